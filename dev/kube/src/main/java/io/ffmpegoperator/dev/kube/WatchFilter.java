package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What one watch selects: a collection (in one namespace or all of them) and label and field
 * selectors; and how a stored change looks to it.
 */
record WatchFilter(ResourcePath collection, LabelSelector labels, FieldSelector fields) {

  /**
   * The event this watch sees for a change, if any. As the API server's watch cache decides: an
   * object that was and is selected is MODIFIED, one that only is now is ADDED, and one that only
   * was is DELETED, with its last content at the change's resourceVersion.
   */
  Optional<WatchEvent> eventFor(WatchHub.Change change) {
    if (!inCollection(change.itemPath())) {
      return Optional.empty();
    }
    boolean now = change.after() != null && selects(change.after());
    boolean was = change.before() != null && selects(change.before());
    if (now) {
      return Optional.of(
          new WatchEvent(was ? WatchEvent.MODIFIED : WatchEvent.ADDED, change.after()));
    }
    if (was) {
      return Optional.of(
          new WatchEvent(WatchEvent.DELETED, atVersion(change.before(), change.resourceVersion())));
    }
    return Optional.empty();
  }

  boolean inCollection(ResourcePath itemPath) {
    return collection.group().equals(itemPath.group())
        && collection.version().equals(itemPath.version())
        && collection.plural().equals(itemPath.plural())
        && (collection.namespace() == null || collection.namespace().equals(itemPath.namespace()));
  }

  /** Whether the selectors select the object (its collection is not checked). */
  boolean selects(JsonNode object) {
    return labels.matches(object) && fields.matches(object);
  }

  private static JsonNode atVersion(JsonNode object, long resourceVersion) {
    String version = String.valueOf(resourceVersion);
    if (Objects.equals(object.path("metadata").path("resourceVersion").asText(null), version)
        || !(object.path("metadata") instanceof ObjectNode)) {
      return object;
    }
    JsonNode copy = object.deepCopy();
    ((ObjectNode) copy.path("metadata")).put("resourceVersion", version);
    return copy;
  }
}
