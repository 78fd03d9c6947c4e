package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ffmpegoperator.dev.kube.ManagedFields.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}): creates the object
 * when missing, else sets the fields of the applied configuration, removes those the manager
 * applied before and no longer does (unless another manager owns them), and refuses with 409 when
 * another manager owns a field the configuration would change, unless {@code force=true}.
 *
 * <p>The whole read-modify-write runs under the store's write lock.
 */
final class ServerSideApply {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String STATUS = "status";

  private final PersistentCrudDispatcher crud;
  private final Clock clock;

  ServerSideApply(PersistentCrudDispatcher crud, Clock clock) {
    this.crud = crud;
    this.clock = clock;
  }

  /** Whether the request is a server-side apply. */
  static boolean isApply(String method, String contentType) {
    return "PATCH".equals(method)
        && contentType != null
        && contentType.startsWith("application/apply-patch");
  }

  /** Answers an apply request to a path of one of {@code types}. */
  MockResponse apply(RecordedRequest request, List<ResourceType> types) {
    Map<String, String> query = ApiServerDispatcher.query(request.getPath());
    // The API server checks the options before it looks at the path or the body.
    String manager = query.get("fieldManager");
    if (manager == null || manager.isEmpty()) {
      return fieldManagerRequired();
    }
    Optional<ResourcePath> parsed = ResourcePath.parse(request.getPath());
    if (parsed.isEmpty() || parsed.get().isCollection()) {
      return ApiStatus.failure(
          405,
          "MethodNotAllowed",
          "the server does not allow this method on the requested resource");
    }
    ResourcePath path = parsed.get();
    Optional<ResourceType> type = types.stream().filter(t -> t.servedAt(path)).findFirst();
    if (type.isEmpty()
        || (path.subresource() != null && !STATUS.equals(path.subresource()))
        || (type.get().namespaced() != (path.namespace() != null))) {
      return ApiStatus.failure(404, "NotFound", "the server could not find the requested resource");
    }
    ObjectNode body;
    try {
      // YAML or JSON (which is YAML); through JSON text so numbers compare as stored ones do.
      JsonNode yaml = YAML.readTree(request.getBody().getBytes());
      if (!(yaml instanceof ObjectNode)) {
        return badRequest("error decoding YAML: the applied configuration is not an object");
      }
      body = (ObjectNode) JSON.readTree(JSON.writeValueAsString(yaml));
    } catch (IOException e) {
      return badRequest("error decoding YAML: " + e.getMessage());
    }
    Optional<MockResponse> invalid = checkBody(path, type.get(), body);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    Apply apply =
        new Apply(
            path,
            manager,
            QueryParams.isTrue(query.get("force")),
            "All".equals(query.get("dryRun")),
            body);
    return crud.underWriteLock(() -> applyLocked(apply));
  }

  /** One apply request, checked. */
  private record Apply(
      ResourcePath path, String manager, boolean force, boolean dryRun, ObjectNode body) {}

  private Optional<MockResponse> checkBody(ResourcePath path, ResourceType type, ObjectNode body) {
    String apiVersion = body.path("apiVersion").asText("");
    if (!apiVersion.equals(path.groupVersion())) {
      return Optional.of(
          badRequest(
              "Incorrect version specified in apply patch. Specified patch version: "
                  + apiVersion
                  + ", expected: "
                  + path.groupVersion()));
    }
    String kind = body.path("kind").asText("");
    if (!kind.equals(type.kind())) {
      return Optional.of(
          badRequest(
              "the kind in the applied configuration ("
                  + kind
                  + ") does not match the kind served at the URL ("
                  + type.kind()
                  + ")"));
    }
    JsonNode metadata = body.path("metadata");
    if (metadata.has("managedFields")) {
      return Optional.of(badRequest("metadata.managedFields must be nil"));
    }
    String name = metadata.path("name").asText("");
    if (!name.equals(path.name())) {
      return Optional.of(
          badRequest(
              "the name of the object ("
                  + name
                  + ") does not match the name on the URL ("
                  + path.name()
                  + ")"));
    }
    String namespace = metadata.path("namespace").asText("");
    if (!namespace.isEmpty() && !namespace.equals(path.namespace())) {
      return Optional.of(
          badRequest(
              "the namespace of the provided object does not match the namespace sent on the"
                  + " request"));
    }
    return Optional.empty();
  }

  private MockResponse applyLocked(Apply apply) {
    ResourcePath path = apply.path();
    JsonNode current = stored(path);
    String subresource = path.subresource();
    boolean statusApart =
        subresource == null && crud.isStatusSubresourceEnabledForResource(path.itemPath());
    Predicate<List<String>> notOwnable = ManagedFields.notOwnable(subresource, statusApart);
    FieldSet applied = FieldSet.leaves(apply.body(), notOwnable);
    String now = ManagedFields.now(clock);
    Entry mine =
        new Entry(
            apply.manager(), ManagedFields.APPLY, path.groupVersion(), now, subresource, applied);
    if (current == null) {
      return subresource != null ? ApiStatus.notFound(path) : create(apply, mine, statusApart);
    }
    String storedVersion = current.path("metadata").path("resourceVersion").asText("");
    String basedOn = apply.body().path("metadata").path("resourceVersion").asText("");
    if (!basedOn.isEmpty() && !basedOn.equals(storedVersion)) {
      return ApiStatus.modified(path, path.name());
    }

    List<Entry> entries = ManagedFields.read(current);
    if (entries.isEmpty()) {
      // What was written before anyone applied belongs to this pseudo-manager, as on a cluster.
      entries.add(
          new Entry(
              "before-first-apply",
              ManagedFields.UPDATE,
              path.groupVersion(),
              now,
              subresource,
              FieldSet.leaves(current, notOwnable)));
    }
    List<Conflict> conflicts = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.sameManager(mine)) {
        continue;
      }
      for (List<String> field : applied.paths()) {
        if (entry.fields().overlaps(field)
            && !FieldSet.valueAt(current, field).equals(FieldSet.valueAt(apply.body(), field))) {
          conflicts.add(new Conflict(entry, field));
        }
      }
    }
    if (!conflicts.isEmpty() && !apply.force()) {
      return conflict(conflicts);
    }

    FieldSet previous = FieldSet.empty();
    List<Entry> others = new ArrayList<>();
    int position = -1;
    for (Entry entry : entries) {
      if (entry.sameManager(mine)) {
        previous = entry.fields();
        position = others.size();
        continue;
      }
      FieldSet fields = entry.fields();
      for (Conflict c : conflicts) {
        if (c.entry() == entry) {
          fields = fields.withoutOverlapping(c.field());
        }
      }
      others.add(entry.withFields(fields));
    }

    ObjectNode next = current.deepCopy();
    for (List<String> dropped : previous.paths()) {
      if (!applied.overlaps(dropped)
          && others.stream().noneMatch(e -> e.fields().overlaps(dropped))) {
        remove(next, dropped);
      }
    }
    merge(next, apply.body(), notOwnable, List.of());
    if (previous.equals(applied) && position >= 0) {
      // Ownership unchanged: keep the entry as it was, time included.
      Entry asApplied = mine;
      mine = entries.stream().filter(e -> e.sameManager(asApplied)).findFirst().orElse(mine);
    }
    List<Entry> updated = new ArrayList<>(others);
    updated.add(position < 0 ? updated.size() : position, mine);
    updated.removeIf(e -> e.fields().isEmpty());
    ManagedFields.write(next, updated);

    if (withoutManagedFields(next).equals(withoutManagedFields(current))
        && sameOwners(updated, ManagedFields.read(current))) {
      // A no-op apply stores nothing: the resourceVersion stays.
      return json(200, current);
    }
    if (apply.dryRun()) {
      return json(200, next);
    }
    String target = subresource == null ? path.itemPath() : path.itemPath() + "/" + subresource;
    ObjectNode metadata = (ObjectNode) next.get("metadata");
    metadata.put("resourceVersion", storedVersion);
    // A /status write stores the status only: the store sets the managedFields itself.
    return crud.writeApplied(request("PUT", target, next), metadata.get("managedFields"));
  }

  private MockResponse create(Apply apply, Entry mine, boolean statusApart) {
    ObjectNode created = apply.body().deepCopy();
    if (statusApart) {
      created.remove(STATUS);
    }
    ManagedFields.write(created, List.of(mine));
    ObjectNode metadata = (ObjectNode) created.get("metadata");
    if (apply.path().namespace() != null) {
      metadata.put("namespace", apply.path().namespace());
    }
    if (apply.dryRun()) {
      // What the API server answers without storing: no resourceVersion.
      metadata.put("uid", UUID.randomUUID().toString());
      metadata.put("creationTimestamp", ManagedFields.now(clock));
      metadata.put("generation", 1);
      return json(201, created);
    }
    return crud.writeApplied(
        request("POST", apply.path().collectionPath(), created), metadata.get("managedFields"));
  }

  /** One field the configuration would change that another manager owns. */
  private record Conflict(Entry entry, List<String> field) {}

  /**
   * 409 as the API server words it (apimachinery's managedfields conflict.go): one line for one
   * conflict, else the fields grouped under their managers, managers sorted.
   */
  private static MockResponse conflict(List<Conflict> conflicts) {
    String message;
    if (conflicts.size() == 1) {
      Conflict only = conflicts.get(0);
      message =
          "Apply failed with 1 conflict: conflict with "
              + only.entry().printed()
              + ": "
              + FieldSet.describe(only.field());
    } else {
      Map<String, List<String>> byManager = new TreeMap<>();
      Map<String, String> printed = new LinkedHashMap<>();
      for (Conflict c : conflicts) {
        String key = c.entry().manager() + "\u0000" + c.entry().printed();
        byManager.computeIfAbsent(key, k -> new ArrayList<>()).add(FieldSet.describe(c.field()));
        printed.put(key, c.entry().printed());
      }
      List<String> lines = new ArrayList<>();
      byManager.forEach(
          (key, fields) -> {
            lines.add("conflicts with " + printed.get(key) + ":");
            fields.forEach(f -> lines.add("- " + f));
          });
      message = "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }
    ObjectNode status = status(409, "Conflict", message);
    ArrayNode causes = status.putObject("details").putArray("causes");
    for (Conflict c : conflicts) {
      ObjectNode cause = causes.addObject();
      cause.put("reason", "FieldManagerConflict");
      cause.put("message", "conflict with " + c.entry().printed());
      cause.put("field", FieldSet.describe(c.field()));
    }
    status.put("code", 409);
    return json(409, status);
  }

  /** 422 of an apply without fieldManager, as apimachinery's ValidatePatchOptions words it. */
  private static MockResponse fieldManagerRequired() {
    String problem = "Required value: is required for apply patch";
    ObjectNode status =
        status(
            422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: " + problem);
    ObjectNode details = status.putObject("details");
    details.put("group", "meta.k8s.io");
    details.put("kind", "PatchOptions");
    ObjectNode cause = details.putArray("causes").addObject();
    cause.put("reason", "FieldValueRequired");
    cause.put("message", problem);
    cause.put("field", "fieldManager");
    status.put("code", 422);
    return json(422, status);
  }

  private static MockResponse badRequest(String message) {
    return ApiStatus.failure(400, "BadRequest", message);
  }

  private static ObjectNode status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    return status;
  }

  /**
   * Merges the applied configuration into the object: objects key by key, lists and scalars
   * replaced, a null removing the field; fields not ownable (server-set metadata, the other side of
   * a status subresource) left as they are.
   */
  private static void merge(
      ObjectNode target, JsonNode config, Predicate<List<String>> notOwnable, List<String> at) {
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      List<String> path = new ArrayList<>(at);
      path.add(field.getKey());
      if (notOwnable.test(path)) {
        continue;
      }
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject() && !value.isEmpty()) {
        JsonNode existing = target.get(field.getKey());
        ObjectNode child = existing instanceof ObjectNode o ? o : target.putObject(field.getKey());
        merge(child, value, notOwnable, path);
      } else {
        target.set(field.getKey(), value.deepCopy());
      }
    }
  }

  /** Removes the field at the path, and the objects above it that it leaves empty. */
  private static void remove(ObjectNode object, List<String> path) {
    List<ObjectNode> nodes = new ArrayList<>();
    JsonNode node = object;
    for (String key : path.subList(0, path.size() - 1)) {
      if (!(node instanceof ObjectNode o)) {
        return;
      }
      nodes.add(o);
      node = o.get(key);
    }
    if (!(node instanceof ObjectNode parent)) {
      return;
    }
    nodes.add(parent);
    parent.remove(path.get(path.size() - 1));
    // nodes.get(i) is the object at path[0..i); the top-level object itself always stays.
    for (int i = nodes.size() - 1; i >= 1 && nodes.get(i).isEmpty(); i--) {
      nodes.get(i - 1).remove(path.get(i - 1));
    }
  }

  private static JsonNode withoutManagedFields(JsonNode object) {
    ObjectNode copy = object.deepCopy();
    if (copy.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove("managedFields");
    }
    return copy;
  }

  /** The same managers owning the same fields, whenever they last wrote. */
  private static boolean sameOwners(List<Entry> a, List<Entry> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Entry x = a.get(i);
      Entry y = b.get(i);
      if (!x.sameManager(y) || !x.fields().equals(y.fields())) {
        return false;
      }
    }
    return true;
  }

  private JsonNode stored(ResourcePath path) {
    MockResponse response = crud.handleGet(path.itemPath());
    if (response.code() != 200 || response.getBody() == null) {
      return null;
    }
    try {
      return JSON.readTree(response.getBody().getBytes());
    } catch (IOException e) {
      return null;
    }
  }

  private static RecordedRequest request(String method, String path, JsonNode body) {
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.valueOf(method),
        path,
        Headers.builder().add(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE).build(),
        new Buffer(body.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE)
        .setBody(body.toString());
  }
}
