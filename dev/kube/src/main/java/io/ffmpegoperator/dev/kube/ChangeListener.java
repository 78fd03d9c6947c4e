package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.crud.AttributeSet;

/**
 * Told of every stored change, as a watch must see it: in the order of the changes, each with the
 * resourceVersion it was given.
 */
@FunctionalInterface
interface ChangeListener {

  /**
   * Called under the store's write lock, after the change is stored, so it must be quick and must
   * not write to the store. Not called while stored objects are restored at start.
   *
   * @param itemPath the object's own path (no subresource)
   * @param key the key the mock stores the object under (the removed key on removal)
   * @param before the object before the change, null on create; on removal a copy of the removed
   *     object carrying the removal's resourceVersion, as the API server's DELETED event does
   * @param after the object as stored, null on removal
   * @param resourceVersion the version the change was given: {@code after}'s, or on removal a new
   *     one issued for it (the mock gives removals none)
   */
  void changed(
      ResourcePath itemPath,
      AttributeSet key,
      JsonNode before,
      JsonNode after,
      long resourceVersion);
}
