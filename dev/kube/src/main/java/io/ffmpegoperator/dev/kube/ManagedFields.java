package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An object's {@code metadata.managedFields}: which manager set which fields, by Apply (server-side
 * apply) or Update (any other write), as the API server keeps them.
 */
final class ManagedFields {

  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  /** Set by the API server itself, never owned by a manager. */
  private static final Set<String> SYSTEM_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "selfLink",
          "managedFields");

  private ManagedFields() {}

  /** One entry; managers are told apart by name, operation, subresource and (Update) version. */
  record Entry(
      String manager,
      String operation,
      String apiVersion,
      String time,
      String subresource,
      FieldSet fields) {

    boolean sameManager(Entry other) {
      return manager.equals(other.manager)
          && operation.equals(other.operation)
          && Objects.equals(subresource, other.subresource)
          && (operation.equals(APPLY) || Objects.equals(apiVersion, other.apiVersion));
    }

    Entry withFields(FieldSet newFields) {
      return new Entry(manager, operation, apiVersion, time, subresource, newFields);
    }

    /** How a conflict names the manager (apimachinery's printManager). */
    String printed() {
      String printed = FieldError.quote(manager);
      if (subresource != null) {
        printed += " with subresource " + FieldError.quote(subresource);
      }
      return operation.equals(UPDATE) ? printed + " using " + apiVersion : printed;
    }
  }

  /**
   * The fields a write to {@code subresource} (null for the main resource) can own: not apiVersion,
   * kind, the metadata the server sets, nor what lives behind the other side of a status
   * subresource.
   */
  static Predicate<List<String>> notOwnable(String subresource, boolean statusApart) {
    return path -> {
      String top = path.get(0);
      if (top.equals("apiVersion") || top.equals("kind")) {
        return true;
      }
      if ("status".equals(subresource)) {
        return !top.equals("status");
      }
      if (top.equals("metadata")) {
        return path.size() == 2 && SYSTEM_METADATA.contains(path.get(1));
      }
      return statusApart && top.equals("status");
    };
  }

  /** The entries of a stored object, in their order. */
  static List<Entry> read(JsonNode object) {
    List<Entry> entries = new ArrayList<>();
    for (JsonNode e : object.path("metadata").path("managedFields")) {
      entries.add(
          new Entry(
              e.path("manager").asText(""),
              e.path("operation").asText(UPDATE),
              e.path("apiVersion").asText(null),
              e.path("time").asText(null),
              e.hasNonNull("subresource") ? e.get("subresource").asText() : null,
              FieldSet.parse(e.path("fieldsV1"))));
    }
    return entries;
  }

  /** Sets the entries (those owning nothing left out) as the object's managedFields. */
  static void write(ObjectNode object, List<Entry> entries) {
    ObjectNode metadata =
        object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (Entry entry : entries) {
      if (entry.fields().isEmpty()) {
        continue;
      }
      ObjectNode e = array.addObject();
      e.put("manager", entry.manager());
      e.put("operation", entry.operation());
      e.put("apiVersion", entry.apiVersion());
      e.put("time", entry.time());
      e.put("fieldsType", "FieldsV1");
      e.set("fieldsV1", entry.fields().encode());
      if (entry.subresource() != null) {
        e.put("subresource", entry.subresource());
      }
    }
    if (array.isEmpty()) {
      metadata.remove("managedFields");
    } else {
      metadata.set("managedFields", array);
    }
  }

  /** Now, as managedFields times are written: RFC 3339 in seconds. */
  static String now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
