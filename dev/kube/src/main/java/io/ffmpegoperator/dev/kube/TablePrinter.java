package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ffmpegoperator.dev.kube.ResourceType.PrinterColumn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders objects as a {@code meta.k8s.io/v1 Table}, the server-side printing {@code kubectl get}
 * asks for: a CRD's additionalPrinterColumns, or the usual columns of Pods, Jobs and Events.
 */
final class TablePrinter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern JSON_PATH_STEP = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)]");
  // kubectl shows a task's state next to its name; the CRD generator sorts columns by name, so
  // columns with these names are moved to the front.
  private static final Set<String> STATE_COLUMNS = Set.of("state", "status", "phase");

  private final Clock clock;

  TablePrinter(Clock clock) {
    this.clock = clock;
  }

  /** Whether an Accept header asks for a Table, as kubectl get does. */
  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /** One column: its definition for kubectl and how to compute its cell from an object. */
  private record Column(
      String name, String type, String format, int priority, Function<JsonNode, JsonNode> cell) {}

  /**
   * The table of a list (its {@code items}) or of one object.
   *
   * @param includeObject the request's includeObject: None, Object or (default) Metadata
   */
  ObjectNode print(ResourceType type, JsonNode listOrObject, String includeObject) {
    List<Column> columns = columns(type);
    ObjectNode table = NODES.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    boolean isList = listOrObject.has("items");
    metadata.put(
        "resourceVersion", listOrObject.path("metadata").path("resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column column : columns) {
      ObjectNode definition = definitions.addObject();
      definition.put("name", column.name());
      definition.put("type", column.type());
      definition.put("format", column.format());
      definition.put("description", "");
      definition.put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    Iterable<JsonNode> objects = isList ? listOrObject.path("items") : List.of(listOrObject);
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      columns.forEach(c -> cells.add(c.cell().apply(object)));
      if ("Object".equals(includeObject)) {
        row.set("object", object);
      } else if (!"None".equals(includeObject)) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata"));
      }
    }
    return table;
  }

  private List<Column> columns(ResourceType type) {
    List<Column> columns = new ArrayList<>();
    columns.add(
        new Column("Name", "string", "name", 0, o -> text(o.path("metadata").path("name"))));
    if (type.isCustom()) {
      columns.addAll(customColumns(type.printerColumns()));
      return columns;
    }
    switch (type.kind()) {
      case "Pod" -> {
        columns.add(new Column("Ready", "string", "", 0, TablePrinter::podReady));
        columns.add(new Column("Status", "string", "", 0, TablePrinter::podStatus));
        columns.add(new Column("Restarts", "string", "", 0, TablePrinter::podRestarts));
      }
      case "Job" -> {
        columns.add(new Column("Status", "string", "", 0, TablePrinter::jobStatus));
        columns.add(new Column("Completions", "string", "", 0, TablePrinter::jobCompletions));
        columns.add(new Column("Duration", "string", "", 0, this::jobDuration));
      }
      case "Event" -> {
        columns.clear();
        columns.add(new Column("Last Seen", "string", "", 0, this::eventLastSeen));
        columns.add(new Column("Type", "string", "", 0, o -> text(o.path("type"))));
        columns.add(new Column("Reason", "string", "", 0, o -> text(o.path("reason"))));
        columns.add(new Column("Object", "string", "", 0, TablePrinter::eventObject));
        columns.add(new Column("Message", "string", "", 0, o -> text(o.path("message"))));
        return columns;
      }
      case "Namespace" ->
          columns.add(
              new Column("Status", "string", "", 0, o -> text(o.path("status").path("phase"))));
      default -> {
        // Name and Age only, as the API server prints kinds it has no printer for.
      }
    }
    columns.add(age());
    return columns;
  }

  /** NAME, then state-like columns, the other columns as declared, and dates (Age) last. */
  private List<Column> customColumns(List<PrinterColumn> declared) {
    if (declared.isEmpty()) {
      return List.of(age());
    }
    List<Column> state = new ArrayList<>();
    List<Column> other = new ArrayList<>();
    List<Column> dates = new ArrayList<>();
    for (PrinterColumn c : declared) {
      Column column =
          new Column(
              c.name(),
              c.type(),
              c.format(),
              c.priority(),
              o -> typedCell(c.type(), evaluate(o, c.jsonPath())));
      if (c.type().equals("date")) {
        dates.add(column);
      } else if (STATE_COLUMNS.contains(c.name().toLowerCase(Locale.ROOT))) {
        state.add(column);
      } else {
        other.add(column);
      }
    }
    List<Column> ordered = new ArrayList<>(state);
    ordered.addAll(other);
    ordered.addAll(dates);
    return ordered;
  }

  private Column age() {
    return new Column(
        "Age", "string", "", 0, o -> since(o.path("metadata").path("creationTimestamp")));
  }

  /** A cell as the API server makes it for a CRD column of this type (null when absent). */
  private JsonNode typedCell(String type, JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return NullNode.getInstance();
    }
    return switch (type) {
      case "integer" ->
          value.isNumber() ? NODES.numberNode(value.asLong()) : NullNode.getInstance();
      case "number" -> value.isNumber() ? value : NullNode.getInstance();
      case "boolean" -> value.isBoolean() ? value : NullNode.getInstance();
      case "date" -> since(value);
      default -> NODES.textNode(value.isValueNode() ? value.asText() : value.toString());
    };
  }

  /** A simple JSONPath ({@code .status.state}, {@code .spec.items[0].name}); missing if absent. */
  static JsonNode evaluate(JsonNode object, String jsonPath) {
    String path = jsonPath.trim();
    if (path.startsWith("{") && path.endsWith("}")) {
      path = path.substring(1, path.length() - 1);
    }
    if (path.startsWith("$")) {
      path = path.substring(1);
    }
    Matcher m = JSON_PATH_STEP.matcher(path);
    JsonNode node = object;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return MissingNode.getInstance();
      }
      end = m.end();
      node = m.group(1) != null ? node.path(m.group(1)) : node.path(Integer.parseInt(m.group(2)));
    }
    return end == path.length() ? node : MissingNode.getInstance();
  }

  private JsonNode since(JsonNode timestamp) {
    if (!timestamp.isTextual()) {
      return NODES.textNode("<unknown>");
    }
    try {
      Instant then = Instant.parse(timestamp.asText());
      return NODES.textNode(humanDuration(Duration.between(then, clock.instant())));
    } catch (DateTimeParseException e) {
      return NODES.textNode("<invalid>");
    }
  }

  /** How kubectl writes an age: 45s, 3m20s, 2h5m, 3d4h, 400d, 2y30d (apimachinery's rules). */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long days = (hours / 24) % 365;
      return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
    }
    return hours / 24 / 365 + "y";
  }

  private static JsonNode text(JsonNode value) {
    return NODES.textNode(value.isValueNode() ? value.asText() : "");
  }

  private static JsonNode podReady(JsonNode pod) {
    int ready = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      ready += status.path("ready").asBoolean() ? 1 : 0;
    }
    return NODES.textNode(ready + "/" + pod.path("spec").path("containers").size());
  }

  private static JsonNode podStatus(JsonNode pod) {
    if (pod.path("metadata").has("deletionTimestamp")) {
      return NODES.textNode("Terminating");
    }
    JsonNode status = pod.path("status");
    String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
    // Like kubectl: a container that waits or has ended says more than the phase.
    for (JsonNode container : status.path("containerStatuses")) {
      JsonNode state = container.path("state");
      if (state.path("waiting").hasNonNull("reason")) {
        reason = state.path("waiting").path("reason").asText();
      } else if (state.path("terminated").hasNonNull("reason")) {
        reason = state.path("terminated").path("reason").asText();
      }
    }
    return NODES.textNode(reason);
  }

  private static JsonNode podRestarts(JsonNode pod) {
    long restarts = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      restarts += status.path("restartCount").asLong();
    }
    return NODES.textNode(Long.toString(restarts));
  }

  private static JsonNode jobStatus(JsonNode job) {
    if (job.path("metadata").has("deletionTimestamp")) {
      return NODES.textNode("Terminating");
    }
    for (String type : List.of("Complete", "Failed", "Suspended")) {
      for (JsonNode condition : job.path("status").path("conditions")) {
        if (type.equals(condition.path("type").asText())
            && "True".equals(condition.path("status").asText())) {
          return NODES.textNode(type);
        }
      }
    }
    return NODES.textNode("Running");
  }

  private static JsonNode jobCompletions(JsonNode job) {
    return NODES.textNode(
        job.path("status").path("succeeded").asLong(0)
            + "/"
            + job.path("spec").path("completions").asLong(1));
  }

  private JsonNode jobDuration(JsonNode job) {
    JsonNode status = job.path("status");
    if (!status.path("startTime").isTextual()) {
      return NODES.textNode("");
    }
    try {
      Instant start = Instant.parse(status.path("startTime").asText());
      Instant end =
          status.path("completionTime").isTextual()
              ? Instant.parse(status.path("completionTime").asText())
              : clock.instant();
      return NODES.textNode(humanDuration(Duration.between(start, end)));
    } catch (DateTimeParseException e) {
      return NODES.textNode("<invalid>");
    }
  }

  private JsonNode eventLastSeen(JsonNode event) {
    for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
      if (event.path(field).isTextual()) {
        return since(event.path(field));
      }
    }
    return since(event.path("metadata").path("creationTimestamp"));
  }

  private static JsonNode eventObject(JsonNode event) {
    JsonNode involved = event.path("involvedObject");
    return NODES.textNode(
        involved.path("kind").asText("").toLowerCase(Locale.ROOT)
            + "/"
            + involved.path("name").asText(""));
  }
}
