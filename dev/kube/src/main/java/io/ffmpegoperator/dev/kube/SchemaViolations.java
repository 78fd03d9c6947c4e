package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CRD version's openAPIV3Schema checked by networknt's json-schema-validator (its OpenAPI 3.0
 * dialect: {@code nullable}, boolean {@code exclusiveMinimum}), and what it finds translated into
 * the API server's field errors: kube-openapi's messages ({@code spec.x in body should be ...}),
 * apiextensions' cause types and {@code field.Path} paths.
 */
final class SchemaViolations {

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDialect(
          Dialects.getOpenApi30(),
          builder ->
              builder.schemaRegistryConfig(
                  SchemaRegistryConfig.builder()
                      // 1.0 is an integer to the API server (go-openapi's isFloatInt).
                      .losslessNarrowing(true)
                      // The API server checks few formats, and none our CRDs use.
                      .formatAssertionsEnabled(false)
                      .build()));

  private final JsonNode schema;
  private final JsonNode converted;
  private final Schema validator;

  /**
   * @param schema the CRD version's openAPIV3Schema, as the CRD declares it
   */
  SchemaViolations(JsonNode schema) {
    this.schema = schema;
    this.converted = converted(schema.deepCopy());
    this.validator = REGISTRY.getSchema(converted);
  }

  /** Every field of {@code object} that does not fit, in the validator's order. */
  List<FieldError> check(JsonNode object) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> composites = new HashSet<>();
    for (Error error : validator.validate(object)) {
      List<Object> instance = elements(error.getInstanceLocation());
      List<Object> evaluation = elements(error.getEvaluationPath());
      Composite composite = composite(evaluation, instance);
      if (composite != null) {
        // The branches' own errors say little; kube-openapi reports the composite.
        String field = fieldPath(schema, composite.instance());
        if (composites.add(field + " " + composite.keyword())) {
          errors.add(
              new FieldError(
                  FieldError.INVALID,
                  field,
                  object.at(pointer(composite.instance())),
                  field + " in body " + composite.detail(),
                  pointer(composite.instance())));
        }
        continue;
      }
      errors.add(translate(error, instance, evaluation));
    }
    return errors;
  }

  private FieldError translate(Error error, List<Object> instance, List<Object> evaluation) {
    String field = fieldPath(schema, instance);
    JsonPointer location = pointer(instance);
    JsonNode value = error.getInstanceNode();
    JsonNode keywordValue = error.getSchemaNode();
    JsonNode declaring = converted.at(pointer(evaluation.subList(0, evaluation.size() - 1)));
    String in = field + " in body ";
    return switch (error.getKeyword()) {
      case "type" -> {
        String found = String.valueOf(error.getArguments()[0]);
        yield new FieldError(
            FieldError.TYPE_INVALID,
            field,
            FieldError.text(found),
            in + "must be of type " + typeNames(keywordValue) + ": " + FieldError.quote(found),
            location);
      }
      case "enum" -> {
        List<String> supported = new ArrayList<>();
        keywordValue.forEach(
            v -> supported.add(FieldError.quote(v.isTextual() ? v.asText() : v.toString())));
        yield new FieldError(
            FieldError.NOT_SUPPORTED,
            field,
            value,
            "supported values: " + String.join(", ", supported),
            location);
      }
      case "required" -> {
        List<Object> missing = new ArrayList<>(instance);
        missing.add(error.getProperty());
        yield new FieldError(FieldError.REQUIRED, fieldPath(schema, missing), null, "", location);
      }
      case "minimum", "exclusiveMinimum" -> bound(field, value, declaring, location, "minimum");
      case "maximum", "exclusiveMaximum" -> bound(field, value, declaring, location, "maximum");
      case "maxLength" ->
          new FieldError(
              FieldError.TOO_LONG,
              field,
              value,
              "may not be longer than " + keywordValue.asLong(),
              location);
      case "minLength" ->
          new FieldError(
              FieldError.INVALID,
              field,
              value,
              in + "should be at least " + keywordValue.asLong() + " chars long",
              location);
      case "pattern" ->
          new FieldError(
              FieldError.INVALID,
              field,
              value,
              in + "should match '" + keywordValue.asText() + "'",
              location);
      case "maxItems", "maxProperties" ->
          new FieldError(
              FieldError.TOO_MANY,
              field,
              IntNode.valueOf(value.size()),
              "must have at most " + keywordValue.asLong() + " items",
              location);
      case "minItems" ->
          new FieldError(
              FieldError.INVALID,
              field,
              IntNode.valueOf(value.size()),
              in + "should have at least " + keywordValue.asLong() + " items",
              location);
      case "minProperties" ->
          new FieldError(
              FieldError.INVALID,
              field,
              IntNode.valueOf(value.size()),
              in + "should have at least " + keywordValue.asLong() + " properties",
              location);
      case "multipleOf" ->
          new FieldError(
              FieldError.INVALID,
              field,
              value,
              in + "should be a multiple of " + FieldError.goNumber(keywordValue.asDouble()),
              location);
      case "uniqueItems" ->
          new FieldError(
              FieldError.INVALID, field, value, in + "shouldn't contain duplicates", location);
      default -> new FieldError(FieldError.INVALID, field, value, error.getMessage(), location);
    };
  }

  /** kube-openapi's minimum/maximum messages, exclusive when the schema says so. */
  private static FieldError bound(
      String field, JsonNode value, JsonNode declaring, JsonPointer location, String keyword) {
    boolean exclusive =
        declaring
            .path(keyword.equals("minimum") ? "exclusiveMinimum" : "exclusiveMaximum")
            .asBoolean();
    String relation =
        keyword.equals("minimum")
            ? (exclusive ? "greater than " : "greater than or equal to ")
            : (exclusive ? "less than " : "less than or equal to ");
    return new FieldError(
        FieldError.INVALID,
        field,
        value,
        field
            + " in body should be "
            + relation
            + FieldError.goNumber(declaring.path(keyword).asDouble()),
        location);
  }

  private static String typeNames(JsonNode type) {
    if (!type.isArray()) {
      return type.asText();
    }
    List<String> names = new ArrayList<>();
    type.forEach(t -> names.add(t.asText()));
    return String.join(",", names);
  }

  /** An anyOf, oneOf or not that failed, at the instance it applies to. */
  private record Composite(String keyword, List<Object> instance) {
    String detail() {
      return switch (keyword) {
        case "anyOf" -> "must validate at least one schema (anyOf)";
        case "oneOf" -> "must validate one and only one schema (oneOf)";
        default -> "must not validate the schema (not)";
      };
    }
  }

  /**
   * The first anyOf/oneOf/not on the evaluation path, if any, with the instance it looked at: each
   * {@code properties/x}, {@code additionalProperties} and {@code items} step is one instance step.
   */
  private static Composite composite(List<Object> evaluation, List<Object> instance) {
    int depth = 0;
    for (int i = 0; i < evaluation.size(); i++) {
      String step = String.valueOf(evaluation.get(i));
      switch (step) {
        case "properties" -> {
          depth++;
          i++;
        }
        case "additionalProperties", "items" -> depth++;
        case "anyOf", "oneOf", "not" -> {
          return new Composite(step, instance.subList(0, Math.min(depth, instance.size())));
        }
        case "allOf" -> i++;
        default -> {
          // a keyword
        }
      }
    }
    return null;
  }

  /**
   * The path as apimachinery's {@code field.Path} prints it: a declared property is a child ({@code
   * spec.command}), a key of a map ({@code additionalProperties}) a key ({@code
   * spec.outputs[out_1]}), an item an index ({@code spec.items[0]}).
   */
  static String fieldPath(JsonNode schema, List<Object> elements) {
    StringBuilder path = new StringBuilder();
    JsonNode at = schema;
    for (Object element : elements) {
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
        at = at.path("items");
      } else {
        String name = String.valueOf(element);
        if (!at.path("properties").has(name) && at.path("additionalProperties").isObject()) {
          path.append('[').append(name).append(']');
          at = at.path("additionalProperties");
        } else {
          path.append(path.length() == 0 ? "" : ".").append(name);
          at = at.path("properties").path(name);
        }
      }
    }
    return path.length() == 0 ? FieldError.ROOT : path.toString();
  }

  static List<Object> elements(NodePath path) {
    List<Object> elements = new ArrayList<>(path.getNameCount());
    for (int i = 0; i < path.getNameCount(); i++) {
      elements.add(path.getElement(i));
    }
    return elements;
  }

  static JsonPointer pointer(List<Object> elements) {
    JsonPointer pointer = JsonPointer.empty();
    for (Object element : elements) {
      pointer =
          element instanceof Integer index
              ? pointer.appendIndex(index)
              : pointer.appendProperty(String.valueOf(element));
    }
    return pointer;
  }

  /**
   * The schema as the validator should read it: {@code x-kubernetes-int-or-string} becomes {@code
   * type: [integer, string]}, as apiextensions converts it (its {@code anyOf} would only repeat the
   * check), and the other {@code x-kubernetes-*} keys, which are no JSON-schema keywords, go.
   */
  private static JsonNode converted(JsonNode node) {
    if (!(node instanceof ObjectNode schema)) {
      return node;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      schema.putArray("type").add("integer").add("string");
      schema.remove("anyOf");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = schema.properties().iterator();
    while (fields.hasNext()) {
      if (fields.next().getKey().startsWith("x-kubernetes-")) {
        fields.remove();
      }
    }
    schema.path("properties").forEach(SchemaViolations::converted);
    converted(schema.path("additionalProperties"));
    converted(schema.path("items"));
    converted(schema.path("not"));
    for (String list : List.of("allOf", "anyOf", "oneOf")) {
      schema.path(list).forEach(SchemaViolations::converted);
    }
    return schema;
  }
}
