package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API server does with a custom resource a client writes, before it is stored: prunes the
 * fields its CRD's structural schema does not declare (a warning, or 400 under {@code
 * fieldValidation=Strict}), checks it against the schema and the CRD's {@code
 * x-kubernetes-validations} rules, and refuses it with 422 {@code Invalid} naming each field that
 * does not fit. A {@code /status} write is held to the status part of the schema, a main-resource
 * write of a kind with a status subresource to the rest; on an update, a value left as stored is
 * not held against the writer (validation ratcheting).
 */
final class SchemaValidation {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaValidation.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final String NOT_CHECKED =
      "some validation rules were not checked because the object was invalid; correct the"
          + " existing errors to complete validation";

  private final PersistentCrudDispatcher crud;
  private volatile Known known;

  SchemaValidation(PersistentCrudDispatcher crud) {
    this.crud = crud;
  }

  /**
   * Checks a client's write of one object.
   *
   * @param requestPath the path written to (a collection on create, {@code .../status} for status)
   * @param before the stored object, null on create
   * @param after the object about to be stored
   * @return what to store: {@code after}, or {@code after} pruned
   * @throws ClientWrite.Refused to store nothing and answer 400 or 422
   */
  String check(ClientWrite write, String requestPath, String before, String after) {
    if ("DELETE".equals(write.method())) {
      return after;
    }
    ResourcePath path = ResourcePath.parse(requestPath).orElse(null);
    CustomType type = path == null ? null : types().get(key(path));
    if (type == null) {
      return after;
    }
    ObjectNode object = parse(after);
    JsonNode old = before == null ? null : parse(before);
    Predicate<String> written = writtenPart(type, "status".equals(path.subresource()));

    SchemaPruning.Result pruned = SchemaPruning.prune(object, type.schema());
    List<String> unknown = pruned.unknownFields().stream().filter(written).toList();
    if (!unknown.isEmpty()) {
      switch (write.fieldValidation()) {
        case "Strict" ->
            throw new ClientWrite.Refused(
                FieldErrors.strictDecoding(type.kind(), type.version(), unknown));
        case "Ignore" -> {
          // pruned without a word
        }
        default -> unknown.forEach(f -> write.warn(FieldErrors.unknownField(f)));
      }
    }

    List<FieldError> errors =
        new ArrayList<>(relevant(type.violations().check(object), written, object, old));
    if (type.rules() != null) {
      if (errors.stream().anyMatch(SchemaValidation::blocking)) {
        errors.add(new FieldError(FieldError.INVALID, FieldError.ROOT, null, NOT_CHECKED, null));
      } else {
        errors.addAll(relevant(type.rules().check(object, old), written, object, null));
      }
    }
    if (!errors.isEmpty()) {
      String name = object.path("metadata").path("name").asText("");
      throw new ClientWrite.Refused(FieldErrors.invalid(type.kind(), type.group(), name, errors));
    }
    return pruned.changed() ? object.toString() : after;
  }

  /**
   * The errors of the part written, less those of values left as stored ({@code old} null: none
   * left).
   */
  private static List<FieldError> relevant(
      List<FieldError> errors, Predicate<String> written, JsonNode object, JsonNode old) {
    return errors.stream()
        .filter(e -> written.test(e.field()))
        .filter(
            e ->
                old == null
                    || e.location() == null
                    || !old.at(e.location()).equals(object.at(e.location())))
        .toList();
  }

  /** A type or enum error: the API server then leaves the rules unchecked. */
  private static boolean blocking(FieldError error) {
    return error.reason().equals(FieldError.TYPE_INVALID)
        || error.reason().equals(FieldError.NOT_SUPPORTED);
  }

  /** Which field paths a write may change: status only, all but status, or all. */
  private static Predicate<String> writtenPart(CustomType type, boolean statusWrite) {
    Predicate<String> status =
        f -> f.equals("status") || f.startsWith("status.") || f.startsWith("status[");
    if (statusWrite) {
      return status;
    }
    return type.statusSubresource() ? status.negate() : f -> true;
  }

  private static String key(ResourcePath path) {
    return path.group() + "/" + path.version() + "/" + path.plural();
  }

  /** The custom types by group/version/plural, read again only after a CRD changed. */
  private Map<String, CustomType> types() {
    long crdChanges = crud.crdChanges();
    Known current = known;
    if (current != null && current.crdChanges() == crdChanges) {
      return current.types();
    }
    Map<String, CustomType> types = new HashMap<>();
    MockResponse crds = crud.handleGet(CRDS);
    if (crds.code() == 200 && crds.getBody() != null) {
      for (JsonNode crd : parse(crds.getBody().getBytes()).path("items")) {
        for (JsonNode version : crd.path("spec").path("versions")) {
          JsonNode schema = version.path("schema").path("openAPIV3Schema");
          if (!schema.isObject()) {
            continue;
          }
          try {
            CustomType type = CustomType.of(crd, version, schema);
            types.put(type.group() + "/" + type.version() + "/" + type.plural(), type);
          } catch (RuntimeException e) {
            // The API server would have refused such a CRD; its objects go unchecked here.
            LOG.warn(
                "Objects of {} {} are not validated: {}",
                crd.path("metadata").path("name").asText(),
                version.path("name").asText(),
                e.toString());
          }
        }
      }
    }
    known = new Known(crdChanges, Map.copyOf(types));
    return types;
  }

  private record Known(long crdChanges, Map<String, CustomType> types) {}

  /** One served version of a CRD, its schema compiled. */
  private record CustomType(
      String group,
      String version,
      String kind,
      String plural,
      boolean statusSubresource,
      JsonNode schema,
      SchemaViolations violations,
      CelRules rules) {

    static CustomType of(JsonNode crd, JsonNode version, JsonNode schema) {
      JsonNode spec = crd.path("spec");
      return new CustomType(
          spec.path("group").asText(),
          version.path("name").asText(),
          spec.path("names").path("kind").asText(),
          spec.path("names").path("plural").asText(),
          version.path("subresources").has("status"),
          schema,
          new SchemaViolations(schema),
          CelRules.declared(schema) ? new CelRules(schema) : null);
    }
  }

  private static ObjectNode parse(String json) {
    return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static ObjectNode parse(byte[] json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
