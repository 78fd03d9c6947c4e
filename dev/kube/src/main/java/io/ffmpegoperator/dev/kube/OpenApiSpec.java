package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The OpenAPI documents of the kinds this API serves, shaped as the API server publishes them: one
 * OpenAPI v3 document per group-version ({@code /openapi/v3/apis/<group>/<version>}) and one
 * Swagger 2.0 document of everything ({@code /openapi/v2}).
 *
 * <p>kubectl reads two things from them. {@code explain} finds a kind's schema by the {@code
 * x-kubernetes-group-version-kind} of an operation on the kind's paths, then the schema carrying
 * the same GVK. {@code create}/{@code apply} look for a {@code fieldValidation} parameter on the
 * kind's PATCH operation: when there is one, kubectl leaves validation to the server ({@code
 * ?fieldValidation=Strict}) instead of downloading the protobuf v2 document to validate itself.
 */
final class OpenApiSpec {

  static final String GVK = "x-kubernetes-group-version-kind";
  static final String COMPONENTS = "#/components/schemas/";

  /** The version the documents claim, the same as {@code /version}. */
  static final String VERSION =
      "v" + DiscoveryDocuments.MAJOR + "." + DiscoveryDocuments.MINOR + ".0";

  /**
   * events.k8s.io/v1 Event: discovery does not list it yet, but the store keeps events written
   * there too (EventExpiry treats both paths) and clients ask for its schema.
   */
  static final ResourceType EVENTS_V1 =
      new ResourceType(
          "events.k8s.io", "v1", "Event", "events", "event", List.of("ev"), true, false, null);

  /** The built-in kinds whose schemas {@link BuiltInSchemas} keeps. */
  static final List<ResourceType> BUILT_IN_KINDS =
      Stream.concat(ResourceType.BUILT_IN.stream(), Stream.of(EVENTS_V1)).toList();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LIST_PARAMETERS =
      List.of(
          "allowWatchBookmarks",
          "continue",
          "fieldSelector",
          "labelSelector",
          "limit",
          "resourceVersion",
          "resourceVersionMatch",
          "sendInitialEvents",
          "timeoutSeconds",
          "watch");
  private static final List<String> WRITE_PARAMETERS =
      List.of("dryRun", "fieldManager", "fieldValidation");
  private static final List<String> PATCH_PARAMETERS =
      List.of("dryRun", "fieldManager", "fieldValidation", "force");
  private static final List<String> DELETE_PARAMETERS =
      List.of("dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy");
  private static final List<String> PATCH_TYPES =
      List.of(
          "application/apply-patch+yaml",
          "application/json-patch+json",
          "application/merge-patch+json");
  private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final List<String> MEDIA_TYPES = List.of("application/json", "application/yaml");

  /** The query parameters operations declare: type and what it does. */
  private static final Map<String, String[]> PARAMETERS = parameters();

  /** One served kind and the names of its schemas (the list's is null when there is none). */
  private record Kind(ResourceType type, String schema, String listSchema) {}

  /** One operation on a kind's path. */
  private record Operation(
      String method,
      String action,
      String verb,
      List<String> query,
      String body,
      List<String> bodyTypes,
      boolean bodyRequired,
      Map<String, String> responses) {}

  private final Map<String, List<Kind>> byGroupVersion = new LinkedHashMap<>();
  private final Map<String, ObjectNode> ownSchemas = new LinkedHashMap<>();
  private final BuiltInSchemas builtIns;

  private OpenApiSpec(BuiltInSchemas builtIns) {
    this.builtIns = builtIns;
  }

  /**
   * The documents of the served kinds: built-in ones with the schemas of {@code builtIns}, custom
   * ones with the schema their stored CRD declares for that version.
   *
   * @param types the served kinds (discovery's list), CRD versions included
   * @param crds the stored CustomResourceDefinitions, as JSON
   */
  static OpenApiSpec build(List<ResourceType> types, List<JsonNode> crds, BuiltInSchemas builtIns) {
    OpenApiSpec spec = new OpenApiSpec(builtIns);
    List<ResourceType> served = new ArrayList<>(types);
    if (served.stream().noneMatch(t -> sameKind(t, EVENTS_V1))) {
      served.add(EVENTS_V1);
    }
    for (ResourceType type : served) {
      spec.add(type, crds);
    }
    return spec;
  }

  private static boolean sameKind(ResourceType a, ResourceType b) {
    return a.group().equals(b.group())
        && a.version().equals(b.version())
        && a.kind().equals(b.kind());
  }

  private void add(ResourceType type, List<JsonNode> crds) {
    Kind kind;
    if (type.isCustom()) {
      String name = customDefinitionName(type.group(), type.version(), type.kind());
      ownSchemas.put(name, customSchema(type, versionSchema(type, crds)));
      ownSchemas.put(name + "List", listSchema(type, name));
      kind = new Kind(type, name, name + "List");
    } else {
      Optional<String> name = builtIns.definitionFor(type);
      if (name.isPresent()) {
        String list = builtIns.has(name.get() + "List") ? name.get() + "List" : null;
        kind = new Kind(type, name.get(), list);
      } else {
        // The jar has no schema for it (CustomResourceDefinition): an open object, enough for
        // kubectl to find the kind and its PATCH parameters.
        String own = BuiltInSchemas.definitionName(type);
        ObjectNode schema = customSchema(type, null);
        schema.put("x-kubernetes-preserve-unknown-fields", true);
        ownSchemas.put(own, schema);
        kind = new Kind(type, own, null);
      }
    }
    byGroupVersion.computeIfAbsent(groupVersionPath(type), k -> new ArrayList<>()).add(kind);
  }

  /**
   * The API server's schema name for a custom kind: the group reversed like a Java package, then
   * version and kind ({@code io.ffmpeg-operator.media.v1alpha1.FfmpegTask}).
   */
  static String customDefinitionName(String group, String version, String kind) {
    List<String> labels = new ArrayList<>(List.of(group.split("\\.")));
    Collections.reverse(labels);
    return String.join(".", labels) + "." + version + "." + kind;
  }

  /**
   * The key of a group-version in the {@code /openapi/v3} index: {@code api/v1}, {@code apis/g/v}.
   */
  static String groupVersionPath(ResourceType type) {
    return type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.groupVersion();
  }

  /** The group-versions with a v3 document, as {@link #groupVersionPath} names them. */
  Set<String> groupVersionPaths() {
    return byGroupVersion.keySet();
  }

  /** The openAPIV3Schema the CRD declares for the type's version, null if none. */
  private static JsonNode versionSchema(ResourceType type, List<JsonNode> crds) {
    for (JsonNode crd : crds) {
      JsonNode spec = crd.path("spec");
      if (!spec.path("group").asText().equals(type.group())
          || !spec.path("names").path("kind").asText().equals(type.kind())) {
        continue;
      }
      for (JsonNode version : spec.path("versions")) {
        if (version.path("name").asText().equals(type.version())) {
          JsonNode schema = version.path("schema").path("openAPIV3Schema");
          return schema.isObject() ? schema : null;
        }
      }
    }
    return null;
  }

  /**
   * A kind's schema as the API server publishes a CRD's: the declared schema (value validations,
   * enums and extensions kept), with apiVersion, kind and metadata set to the standard ones.
   */
  private ObjectNode customSchema(ResourceType type, JsonNode declared) {
    ObjectNode schema = declared == null ? JSON.createObjectNode() : declared.deepCopy();
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    JsonNode typeMeta = builtIns.schema(BuiltInSchemas.TYPE_META).path("properties");
    properties.set("apiVersion", typeMeta.path("apiVersion").deepCopy());
    properties.set("kind", typeMeta.path("kind").deepCopy());
    properties.set("metadata", reference(BuiltInSchemas.OBJECT_META, metadataDescription()));
    addGroupVersionKind(schema, type, type.kind());
    return schema;
  }

  private ObjectNode listSchema(ResourceType type, String itemSchema) {
    ObjectNode list = JSON.createObjectNode();
    list.put("description", type.kind() + "List is a list of " + type.kind());
    list.put("type", "object");
    list.putArray("required").add("items");
    ObjectNode properties = list.putObject("properties");
    JsonNode typeMeta = builtIns.schema(BuiltInSchemas.TYPE_META).path("properties");
    properties.set("apiVersion", typeMeta.path("apiVersion").deepCopy());
    ObjectNode items = properties.putObject("items");
    items.put("description", "List of " + type.plural() + ".");
    items.put("type", "array");
    items.putObject("items").put("$ref", BuiltInSchemas.DEFINITIONS + itemSchema);
    properties.set("kind", typeMeta.path("kind").deepCopy());
    properties.set("metadata", reference(BuiltInSchemas.LIST_META, metadataDescription()));
    addGroupVersionKind(list, type, type.kind() + "List");
    return list;
  }

  private String metadataDescription() {
    return builtIns
        .schema(BuiltInSchemas.PARTIAL_OBJECT_METADATA)
        .path("properties")
        .path("metadata")
        .path("description")
        .asText();
  }

  private static ObjectNode reference(String definition, String description) {
    ObjectNode ref = JSON.createObjectNode();
    ref.put("$ref", BuiltInSchemas.DEFINITIONS + definition);
    ref.put("description", description);
    return ref;
  }

  private static void addGroupVersionKind(ObjectNode schema, ResourceType type, String kind) {
    ObjectNode gvk = schema.putArray(GVK).addObject();
    gvk.put("group", type.group());
    gvk.put("kind", kind);
    gvk.put("version", type.version());
  }

  // ---- OpenAPI v3 ----

  /** The v3 document of one group-version ({@code api/v1}, {@code apis/batch/v1}), if served. */
  Optional<ObjectNode> v3(String groupVersionPath) {
    List<Kind> kinds = byGroupVersion.get(groupVersionPath);
    if (kinds == null) {
      return Optional.empty();
    }
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", VERSION);
    ObjectNode paths = doc.putObject("paths");
    Set<String> names = new LinkedHashSet<>(BuiltInSchemas.META);
    for (Kind kind : kinds) {
      paths(kind).forEach((path, operations) -> paths.set(path, v3Path(kind, path, operations)));
      names.add(kind.schema());
      if (kind.listSchema() != null) {
        names.add(kind.listSchema());
      }
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    schemas(names).forEach((name, schema) -> schemas.set(name, toV3(schema)));
    return Optional.of(doc);
  }

  private ObjectNode v3Path(Kind kind, String path, List<Operation> operations) {
    ObjectNode item = JSON.createObjectNode();
    for (Operation op : operations) {
      ObjectNode o = item.putObject(op.method());
      o.put("description", description(op, kind, path));
      o.put("operationId", operationId(op, kind, path));
      if (!op.query().isEmpty()) {
        ArrayNode parameters = o.putArray("parameters");
        for (String name : op.query()) {
          ObjectNode p = parameters.addObject();
          p.put("name", name).put("in", "query").put("description", PARAMETERS.get(name)[1]);
          p.putObject("schema").put("type", PARAMETERS.get(name)[0]).put("uniqueItems", true);
        }
      }
      if (op.body() != null) {
        ObjectNode body = o.putObject("requestBody");
        ObjectNode content = body.putObject("content");
        for (String type : op.bodyTypes()) {
          content.putObject(type).putObject("schema").put("$ref", COMPONENTS + op.body());
        }
        if (op.bodyRequired()) {
          body.put("required", true);
        }
      }
      ObjectNode responses = o.putObject("responses");
      op.responses()
          .forEach(
              (code, schema) -> {
                ObjectNode r = responses.putObject(code);
                r.put("description", responseDescription(code));
                if (schema != null) {
                  ObjectNode content = r.putObject("content");
                  for (String type : MEDIA_TYPES) {
                    content.putObject(type).putObject("schema").put("$ref", COMPONENTS + schema);
                  }
                }
              });
      o.putArray("tags").add(tag(kind.type()));
      o.put("x-kubernetes-action", op.action());
      o.set(GVK, operationGvk(kind.type()));
    }
    ArrayNode parameters = item.putArray("parameters");
    for (ObjectNode p : pathParameters(kind, path)) {
      String type = p.remove("type").asText();
      p.putObject("schema").put("type", type).put("uniqueItems", true);
      parameters.add(p);
    }
    return item;
  }

  /**
   * A Swagger 2.0 schema as OpenAPI v3 has it: references under {@code #/components/schemas/}, and
   * a reference with siblings (a description, a default) wrapped in {@code allOf}, as the API
   * server of this version publishes it.
   */
  static JsonNode toV3(JsonNode node) {
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(child -> copy.add(toV3(child)));
      return copy;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode copy = JSON.createObjectNode();
    JsonNode ref = node.get("$ref");
    boolean wrap = ref != null && ref.isTextual() && node.size() > 1;
    node.fields()
        .forEachRemaining(
            field -> {
              if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                String target = v3Reference(field.getValue().asText());
                if (wrap) {
                  copy.putArray("allOf").addObject().put("$ref", target);
                } else {
                  copy.put("$ref", target);
                }
              } else {
                copy.set(field.getKey(), toV3(field.getValue()));
              }
            });
    return copy;
  }

  private static String v3Reference(String ref) {
    return ref.startsWith(BuiltInSchemas.DEFINITIONS)
        ? COMPONENTS + ref.substring(BuiltInSchemas.DEFINITIONS.length())
        : ref;
  }

  // ---- Swagger 2.0 ----

  /** The Swagger 2.0 document of every served kind, as {@code /openapi/v2} serves it as JSON. */
  ObjectNode v2() {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", VERSION);
    ObjectNode paths = doc.putObject("paths");
    Set<String> names = new LinkedHashSet<>(BuiltInSchemas.META);
    for (List<Kind> kinds : byGroupVersion.values()) {
      for (Kind kind : kinds) {
        paths(kind).forEach((path, operations) -> paths.set(path, v2Path(kind, path, operations)));
        names.add(kind.schema());
        if (kind.listSchema() != null) {
          names.add(kind.listSchema());
        }
      }
    }
    ObjectNode definitions = doc.putObject("definitions");
    schemas(names)
        .forEach(
            (name, schema) ->
                definitions.set(name, ownSchemas.containsKey(name) ? toV2(schema) : schema));
    return doc;
  }

  private ObjectNode v2Path(Kind kind, String path, List<Operation> operations) {
    ObjectNode item = JSON.createObjectNode();
    for (Operation op : operations) {
      ObjectNode o = item.putObject(op.method());
      o.put("description", description(op, kind, path));
      if (op.body() != null) {
        ArrayNode consumes = o.putArray("consumes");
        op.bodyTypes().forEach(consumes::add);
      }
      ArrayNode produces = o.putArray("produces");
      MEDIA_TYPES.forEach(produces::add);
      o.putArray("schemes").add("https");
      o.putArray("tags").add(tag(kind.type()));
      o.put("operationId", operationId(op, kind, path));
      ArrayNode parameters = o.putArray("parameters");
      if (op.body() != null) {
        ObjectNode body = parameters.addObject().put("name", "body").put("in", "body");
        body.put("required", op.bodyRequired());
        body.putObject("schema").put("$ref", BuiltInSchemas.DEFINITIONS + op.body());
      }
      for (String name : op.query()) {
        ObjectNode p = parameters.addObject();
        p.put("uniqueItems", true).put("type", PARAMETERS.get(name)[0]);
        p.put("description", PARAMETERS.get(name)[1]).put("name", name).put("in", "query");
      }
      ObjectNode responses = o.putObject("responses");
      op.responses()
          .forEach(
              (code, schema) -> {
                ObjectNode r = responses.putObject(code);
                r.put("description", responseDescription(code));
                if (schema != null) {
                  r.putObject("schema").put("$ref", BuiltInSchemas.DEFINITIONS + schema);
                }
              });
      o.put("x-kubernetes-action", op.action());
      o.set(GVK, operationGvk(kind.type()));
    }
    ArrayNode parameters = item.putArray("parameters");
    for (ObjectNode p : pathParameters(kind, path)) {
      parameters.add(p.put("uniqueItems", true));
    }
    return item;
  }

  /**
   * A CRD's schema in Swagger 2.0: what 2.0 cannot say ({@code anyOf}, {@code oneOf}, {@code not},
   * {@code nullable}) is left out, as the API server leaves it out of its v2 document.
   */
  static JsonNode toV2(JsonNode node) {
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(child -> copy.add(toV2(child)));
      return copy;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode copy = JSON.createObjectNode();
    node.fields()
        .forEachRemaining(
            field -> {
              switch (field.getKey()) {
                case "anyOf", "oneOf", "not", "nullable" -> {}
                default -> copy.set(field.getKey(), toV2(field.getValue()));
              }
            });
    return copy;
  }

  // ---- shared by both versions ----

  /** The named schemas and everything they refer to, in Swagger 2.0 form. */
  private Map<String, ObjectNode> schemas(Set<String> names) {
    Map<String, ObjectNode> result = new LinkedHashMap<>();
    Set<String> builtInNames = new LinkedHashSet<>();
    for (String name : names) {
      ObjectNode own = ownSchemas.get(name);
      if (own != null) {
        result.put(name, own);
        BuiltInSchemas.collectReferences(own, builtInNames);
      } else {
        builtInNames.add(name);
      }
    }
    builtInNames.removeAll(ownSchemas.keySet());
    result.putAll(builtIns.closure(builtInNames));
    return result;
  }

  /** The kind's paths and their operations, as the API server routes them. */
  private Map<String, List<Operation>> paths(Kind kind) {
    ResourceType type = kind.type();
    String prefix =
        type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.groupVersion();
    String collection =
        type.namespaced()
            ? prefix + "/namespaces/{namespace}/" + type.plural()
            : prefix + "/" + type.plural();
    String item = collection + "/{name}";
    String self = kind.schema();
    String status = BuiltInSchemas.STATUS;
    List<String> patchTypes = new ArrayList<>(PATCH_TYPES);
    if (!type.isCustom()) {
      patchTypes.add(STRATEGIC_MERGE_PATCH);
    }
    Map<String, List<Operation>> paths = new LinkedHashMap<>();
    if (type.namespaced()) {
      paths.put(
          prefix + "/" + type.plural(),
          List.of(
              new Operation(
                  "get",
                  "list",
                  "list",
                  LIST_PARAMETERS,
                  null,
                  List.of(),
                  false,
                  responses("200", kind.listSchema()))));
    }
    List<String> deleteCollection = new ArrayList<>(LIST_PARAMETERS);
    deleteCollection.remove("watch");
    deleteCollection.remove("allowWatchBookmarks");
    deleteCollection.addAll(DELETE_PARAMETERS);
    paths.put(
        collection,
        List.of(
            new Operation(
                "get",
                "list",
                "list",
                LIST_PARAMETERS,
                null,
                List.of(),
                false,
                responses("200", kind.listSchema())),
            new Operation(
                "post",
                "post",
                "create",
                WRITE_PARAMETERS,
                self,
                MEDIA_TYPES,
                true,
                responses("200", self, "201", self, "202", self)),
            new Operation(
                "delete",
                "deletecollection",
                "deletecollection",
                deleteCollection.stream().sorted().toList(),
                BuiltInSchemas.DELETE_OPTIONS,
                MEDIA_TYPES,
                false,
                responses("200", status))));
    paths.put(item, itemOperations(self, status, patchTypes, true));
    if (type.statusSubresource()) {
      paths.put(item + "/status", itemOperations(self, status, patchTypes, false));
    }
    return paths;
  }

  private static List<Operation> itemOperations(
      String self, String status, List<String> patchTypes, boolean withDelete) {
    List<Operation> operations = new ArrayList<>();
    operations.add(
        new Operation(
            "get", "get", "read", List.of(), null, List.of(), false, responses("200", self)));
    operations.add(
        new Operation(
            "put",
            "put",
            "replace",
            WRITE_PARAMETERS,
            self,
            MEDIA_TYPES,
            true,
            responses("200", self, "201", self)));
    operations.add(
        new Operation(
            "patch",
            "patch",
            "patch",
            PATCH_PARAMETERS,
            BuiltInSchemas.PATCH,
            patchTypes,
            true,
            responses("200", self, "201", self)));
    if (withDelete) {
      operations.add(
          new Operation(
              "delete",
              "delete",
              "delete",
              DELETE_PARAMETERS,
              BuiltInSchemas.DELETE_OPTIONS,
              MEDIA_TYPES,
              false,
              responses("200", status, "202", status)));
    }
    return operations;
  }

  private static Map<String, String> responses(String... codeAndSchema) {
    Map<String, String> responses = new LinkedHashMap<>();
    for (int i = 0; i < codeAndSchema.length; i += 2) {
      responses.put(codeAndSchema[i], codeAndSchema[i + 1]);
    }
    return responses;
  }

  private static String responseDescription(String code) {
    return switch (code) {
      case "201" -> "Created";
      case "202" -> "Accepted";
      default -> "OK";
    };
  }

  /** The parameters of the path itself: name, namespace; in Swagger 2.0 form. */
  private static List<ObjectNode> pathParameters(Kind kind, String path) {
    List<ObjectNode> parameters = new ArrayList<>();
    if (path.contains("{name}")) {
      ObjectNode name = JSON.createObjectNode();
      name.put("name", "name").put("in", "path").put("required", true);
      name.put("description", "name of the " + kind.type().kind()).put("type", "string");
      parameters.add(name);
    }
    if (path.contains("{namespace}")) {
      ObjectNode namespace = JSON.createObjectNode();
      namespace.put("name", "namespace").put("in", "path").put("required", true);
      namespace.put("description", "object name and auth scope, such as for teams and projects");
      namespace.put("type", "string");
      parameters.add(namespace);
    }
    ObjectNode pretty = JSON.createObjectNode();
    pretty.put("name", "pretty").put("in", "query");
    pretty.put("description", "If 'true', then the output is pretty printed.");
    pretty.put("type", "string");
    parameters.add(pretty);
    return parameters;
  }

  private static ObjectNode operationGvk(ResourceType type) {
    ObjectNode gvk = JSON.createObjectNode();
    gvk.put("group", type.group());
    gvk.put("kind", type.kind());
    gvk.put("version", type.version());
    return gvk;
  }

  /** {@code patchCoreV1NamespacedPod}, {@code listBatchV1JobForAllNamespaces}, ... */
  private static String operationId(Operation op, Kind kind, String path) {
    ResourceType type = kind.type();
    boolean allNamespaces = type.namespaced() && !path.contains("{namespace}");
    boolean collection = op.verb().equals("deletecollection");
    return (collection ? "delete" : op.verb())
        + groupVersionId(type)
        + (collection ? "Collection" : "")
        + (type.namespaced() && !allNamespaces ? "Namespaced" : "")
        + type.kind()
        + (path.endsWith("/status") ? "Status" : "")
        + (allNamespaces ? "ForAllNamespaces" : "");
  }

  private static String groupVersionId(ResourceType type) {
    String group = type.group().isEmpty() ? "core" : type.group().replaceFirst("\\.k8s\\.io$", "");
    StringBuilder id = new StringBuilder();
    for (String part : group.split("[.-]")) {
      id.append(capitalize(part));
    }
    return id.append(capitalize(type.version())).toString();
  }

  private static String tag(ResourceType type) {
    String group = type.group().isEmpty() ? "core" : type.group().replaceFirst("\\.k8s\\.io$", "");
    return group.replace('.', '_').replace('-', '_') + "_" + type.version();
  }

  private static String description(Operation op, Kind kind, String path) {
    String what = path.endsWith("/status") ? "status of the specified " : "the specified ";
    String k = kind.type().kind();
    return switch (op.verb()) {
      case "list" -> "list or watch objects of kind " + k;
      case "create" -> "create " + article(k) + k;
      case "deletecollection" -> "delete collection of " + k;
      case "read" -> "read " + what + k;
      case "replace" -> "replace " + what + k;
      case "patch" -> "partially update " + what + k;
      default -> "delete " + article(k) + k;
    };
  }

  private static String article(String kind) {
    return "AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ";
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  private static Map<String, String[]> parameters() {
    Map<String, String[]> p = new LinkedHashMap<>();
    p.put(
        "allowWatchBookmarks",
        new String[] {"boolean", "Ask a watch for BOOKMARK events, which carry only a version."});
    p.put("continue", new String[] {"string", "Where a list cut by limit goes on."});
    p.put("dryRun", new String[] {"string", "All: check the request and store nothing."});
    p.put(
        "fieldManager",
        new String[] {"string", "The name of the actor making the change, for managedFields."});
    p.put(
        "fieldValidation",
        new String[] {
          "string",
          "What the server does with fields the schema does not know or names twice: Ignore"
              + " (drop them), Warn (drop them and warn, the default) or Strict (refuse the"
              + " request)."
        });
    p.put("fieldSelector", new String[] {"string", "Only objects whose fields match this."});
    p.put("force", new String[] {"boolean", "Apply: take over the fields others manage."});
    p.put(
        "gracePeriodSeconds",
        new String[] {"integer", "Seconds before the object is deleted; 0 deletes it now."});
    p.put("labelSelector", new String[] {"string", "Only objects whose labels match this."});
    p.put("limit", new String[] {"integer", "At most this many objects in one answer."});
    p.put(
        "orphanDependents",
        new String[] {"boolean", "Deprecated, use propagationPolicy: leave dependents alone."});
    p.put(
        "propagationPolicy",
        new String[] {"string", "What becomes of dependents: Orphan, Background or Foreground."});
    p.put("resourceVersion", new String[] {"string", "The version the answer is taken at."});
    p.put(
        "resourceVersionMatch",
        new String[] {"string", "How resourceVersion applies to a list: Exact or NotOlderThan."});
    p.put(
        "sendInitialEvents",
        new String[] {"boolean", "A watch begins with the current objects as ADDED events."});
    p.put("timeoutSeconds", new String[] {"integer", "How long a list or watch may take."});
    p.put("watch", new String[] {"boolean", "Stream changes instead of answering a list."});
    return p;
  }
}
