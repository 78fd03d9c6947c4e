package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes from a custom resource what its structural schema does not declare, as the API server
 * prunes before it stores: unknown fields (unless {@code x-kubernetes-preserve-unknown-fields}) and
 * {@code null}s of fields that are not {@code nullable} and have no default. {@code apiVersion},
 * {@code kind} and {@code metadata} stay, metadata with ObjectMeta's fields only. A JSON-schema
 * validator checks values; it does not remove anything, hence this walk.
 */
final class SchemaPruning {

  /** ObjectMeta's fields as JSON (apimachinery meta/v1). */
  static final Set<String> OBJECT_META =
      Set.of(
          "name",
          "generateName",
          "namespace",
          "selfLink",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "labels",
          "annotations",
          "ownerReferences",
          "finalizers",
          "managedFields");

  /**
   * @param unknownFields the removed unknown fields as field paths ({@code spec.bogus})
   * @param changed whether anything was removed, unknown fields or nulls
   */
  record Result(List<String> unknownFields, boolean changed) {}

  private final List<String> unknown = new ArrayList<>();
  private boolean changed;

  private SchemaPruning() {}

  /** Prunes {@code object} (changed in place) by {@code schema}, a CRD's openAPIV3Schema. */
  static Result prune(ObjectNode object, JsonNode schema) {
    SchemaPruning pruning = new SchemaPruning();
    pruning.object(object, schema, "", true);
    return new Result(List.copyOf(pruning.unknown), pruning.changed);
  }

  private void value(JsonNode value, JsonNode schema, String path) {
    if (value.isObject()) {
      object(
          (ObjectNode) value,
          schema,
          path,
          schema.path("x-kubernetes-embedded-resource").asBoolean());
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        value(value.get(i), schema.get("items"), path + "[" + i + "]");
      }
    }
  }

  /**
   * @param resource an object with apiVersion, kind and metadata: the root or an embedded one
   */
  private void object(ObjectNode object, JsonNode schema, String path, boolean resource) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      String child = path.isEmpty() ? name : path + "." + name;
      if (resource && (name.equals("apiVersion") || name.equals("kind"))) {
        continue;
      }
      if (resource && name.equals("metadata")) {
        metadata(value, child);
        continue;
      }
      JsonNode declared = properties.get(name);
      String at = child;
      if (declared == null && additional.isObject()) {
        declared = additional;
        at = path + "[" + name + "]";
      }
      if (declared == null) {
        if (!preserve && !additional.asBoolean(false)) {
          fields.remove();
          changed = true;
          unknown.add(child);
        }
      } else if (value.isNull()) {
        if (!declared.path("nullable").asBoolean() && !declared.has("default")) {
          fields.remove();
          changed = true;
        }
      } else {
        value(value, declared, at);
      }
    }
  }

  private void metadata(JsonNode metadata, String path) {
    if (!metadata.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = metadata.properties().iterator();
    while (fields.hasNext()) {
      String name = fields.next().getKey();
      if (!OBJECT_META.contains(name)) {
        fields.remove();
        changed = true;
        unknown.add(path + "." + name);
      }
    }
  }
}
