package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The schemas of the Kubernetes API's own kinds (Pod, Job, Lease, ObjectMeta, ...), with their
 * descriptions, as the API server publishes them: taken from the Swagger 2.0 document that
 * fabric8's kubernetes-model-validator jar ships, never written by hand.
 *
 * <p>Schemas come out in Swagger 2.0 form ({@code #/definitions/} references, a reference may have
 * siblings such as a description); {@link OpenApiSpec} turns them into OpenAPI v3 where needed.
 */
final class BuiltInSchemas {

  static final String DEFINITIONS = "#/definitions/";
  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  static final String LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
  static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
  static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
  static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
  static final String TYPE_META = "io.k8s.apimachinery.pkg.apis.meta.v1.TypeMeta";
  static final String PARTIAL_OBJECT_METADATA =
      "io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata";

  /** Where the jar keeps its document; it names every Kubernetes and OpenShift type. */
  private static final String RESOURCE = "/openshift-generated.json";

  /** The metadata types every document refers to, besides the kinds. */
  static final List<String> META =
      List.of(OBJECT_META, LIST_META, STATUS, DELETE_OPTIONS, PATCH, TYPE_META);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ObjectNode> definitions;

  private BuiltInSchemas(Map<String, ObjectNode> definitions) {
    this.definitions = definitions;
  }

  /**
   * The schemas of the built-in kinds and what they refer to. The jar's document is large (all of
   * OpenShift too): it is read once, on first use, and only what the kinds need is kept.
   */
  static BuiltInSchemas get() {
    return Loaded.INSTANCE;
  }

  private static final class Loaded {
    static final BuiltInSchemas INSTANCE = load(OpenApiSpec.BUILT_IN_KINDS);
  }

  /** Reads the jar's document and keeps the closure of the named kinds plus {@link #META}. */
  static BuiltInSchemas load(Collection<ResourceType> kinds) {
    JsonNode all;
    try (InputStream in = BuiltInSchemas.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      all = JSON.readTree(in).path("definitions");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    List<String> roots = new ArrayList<>(META);
    roots.add(PARTIAL_OBJECT_METADATA);
    for (ResourceType kind : kinds) {
      String name = definitionName(kind);
      if (all.has(name)) {
        roots.add(name);
      }
      if (all.has(name + "List")) {
        roots.add(name + "List");
      }
    }
    Map<String, ObjectNode> kept = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : closure(all::get, roots).entrySet()) {
      ObjectNode copy = entry.getValue().deepCopy();
      removeFabric8Info(copy);
      kept.put(entry.getKey(), copy);
    }
    for (ResourceType kind : kinds) {
      String name = definitionName(kind);
      addGroupVersionKind(kept.get(name), kind, kind.kind());
      addGroupVersionKind(kept.get(name + "List"), kind, kind.kind() + "List");
    }
    return new BuiltInSchemas(kept);
  }

  /**
   * The API server's name for a built-in kind's schema: {@code io.k8s.api.<package>.<version>.Kind}
   * where the package is the group's first label ({@code core} for the core group).
   */
  static String definitionName(ResourceType kind) {
    String group = kind.group();
    String pkg = group.isEmpty() ? "core" : group.substring(0, (group + ".").indexOf('.'));
    return "io.k8s.api." + pkg.toLowerCase(Locale.ROOT) + "." + kind.version() + "." + kind.kind();
  }

  /** The schema's name if the jar has one for this kind. */
  Optional<String> definitionFor(ResourceType kind) {
    String name = definitionName(kind);
    return definitions.containsKey(name) ? Optional.of(name) : Optional.empty();
  }

  /** Whether a schema of this name is kept. */
  boolean has(String name) {
    return definitions.containsKey(name);
  }

  /** A copy of one kept schema, in Swagger 2.0 form. */
  ObjectNode schema(String name) {
    ObjectNode schema = definitions.get(name);
    if (schema == null) {
      throw new IllegalArgumentException("no built-in schema " + name);
    }
    return schema.deepCopy();
  }

  /** Copies of the named schemas and all they refer to, by name, in Swagger 2.0 form. */
  Map<String, ObjectNode> closure(Collection<String> names) {
    Map<String, ObjectNode> copies = new LinkedHashMap<>();
    closure(definitions::get, names)
        .forEach((name, schema) -> copies.put(name, (ObjectNode) schema.deepCopy()));
    return copies;
  }

  private static Map<String, JsonNode> closure(
      Function<String, JsonNode> lookup, Collection<String> names) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    Deque<String> todo = new ArrayDeque<>(names);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (found.containsKey(name)) {
        continue;
      }
      JsonNode schema = lookup.apply(name);
      if (schema == null) {
        throw new IllegalArgumentException("no built-in schema " + name);
      }
      found.put(name, schema);
      collectReferences(schema, todo);
    }
    return found;
  }

  /** Adds the definition names {@code node} refers to (anywhere inside) to {@code names}. */
  static void collectReferences(JsonNode node, Collection<String> names) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith(DEFINITIONS)) {
        names.add(ref.asText().substring(DEFINITIONS.length()));
      }
      node.forEach(child -> collectReferences(child, names));
    } else if (node.isArray()) {
      node.forEach(child -> collectReferences(child, names));
    }
  }

  /** fabric8's own annotation, and wrong for some kinds (group "" for Job): not the server's. */
  private static void removeFabric8Info(JsonNode node) {
    if (node.isObject()) {
      ((ObjectNode) node).remove("x-fabric8-info");
    }
    for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
      removeFabric8Info(children.next());
    }
  }

  /** The extension kubectl finds a kind's schema by; the jar does not carry it. */
  private static void addGroupVersionKind(ObjectNode schema, ResourceType type, String kind) {
    if (schema == null) {
      return;
    }
    ObjectNode gvk = schema.putArray(OpenApiSpec.GVK).addObject();
    gvk.put("group", type.group());
    gvk.put("kind", kind);
    gvk.put("version", type.version());
  }
}
