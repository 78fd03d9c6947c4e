package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.function.UnaryOperator;

/**
 * Writes through the status subresource, guarded by resourceVersion: another writer (the operator
 * reading and patching, a second reconcile) gives 409, and the change is redone on a fresh read.
 */
final class StatusWrites {
  private static final int ATTEMPTS = 5;

  private StatusWrites() {}

  /**
   * Reads the resource, lets {@code change} edit it (returning null for "nothing to write") and
   * writes its status. Returns what the server holds afterwards, or null if the resource is gone.
   */
  static <T extends HasMetadata, R extends Resource<T>> T update(
      NonNamespaceOperation<T, ?, R> resources, String name, UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      T current = resources.withName(name).get();
      if (current == null) {
        return null;
      }
      T changed = change.apply(current);
      if (changed == null) {
        return current;
      }
      try {
        return resources.resource(changed).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return null;
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
