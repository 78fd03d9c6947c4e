package io.fabric8.mockwebserver.crud;

import java.util.Collection;

/**
 * Lists the attributes of an {@link AttributeSet}, which the mock keeps package-private. It lives
 * in the mock's package for that alone: the embedded API server's index of stored keys
 * (io.ffmpegoperator.dev.kube.AttributeIndex) must know every attribute of a key to file it.
 */
public final class AttributeSetAccess {
  private AttributeSetAccess() {}

  public static Collection<Attribute> attributes(AttributeSet set) {
    return set.attributes.values();
  }
}
