package io.ffmpegoperator.bridge.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a request record takes, read from its components: each one's JSON name ({@link
 * JsonProperty#value()}, else the component's name), type, and whether it is required ({@link
 * JsonProperty#required()}, which the API document reads too, so the two cannot differ). A body is
 * checked against it the way pydantic checks a model in its lax mode: integers may come as {@code
 * 3}, {@code 3.0} or {@code "3"}, strings only as strings (numbers too where {@link NumberAsText}
 * says so), and every field is looked at, so that all problems are reported at once. Unknown fields
 * are dropped, or reported after the fields' own problems (as pydantic orders them) when the record
 * is {@link ExtraForbidden}.
 */
final class RecordSchema {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Beyond this a double no longer holds every whole number exactly.
  private static final double MAX_EXACT_DOUBLE = 1e15;

  private static final ClassValue<RecordSchema> SCHEMAS =
      new ClassValue<>() {
        @Override
        protected RecordSchema computeValue(Class<?> type) {
          return new RecordSchema(type);
        }
      };

  private record Field(String name, Type type, boolean required, boolean numberAsText) {}

  private final List<Field> fields;
  private final Set<String> names;
  private final boolean extraForbidden;

  private RecordSchema(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record");
    }
    fields = Arrays.stream(type.getRecordComponents()).map(RecordSchema::field).toList();
    names = fields.stream().map(Field::name).collect(Collectors.toUnmodifiableSet());
    extraForbidden = type.isAnnotationPresent(ExtraForbidden.class);
  }

  /** The schema of a record class. */
  static RecordSchema of(Class<? extends Record> type) {
    return SCHEMAS.get(type);
  }

  private static Field field(RecordComponent component) {
    JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
    String name =
        property == null || property.value().isEmpty() ? component.getName() : property.value();
    Type type = component.getGenericType();
    // A component the check does not know fails the record's first use, rather than being let
    // through unchecked.
    checkSupported(type, component);
    return new Field(
        name,
        type,
        property != null && property.required(),
        component.isAnnotationPresent(NumberAsText.class));
  }

  /**
   * The body's fields as the record takes them, ready for Jackson to bind; each problem found is
   * added to {@code errors}, and the result is of no use if there are any.
   */
  ObjectNode check(ObjectNode body, List<ValidationError> errors) {
    ObjectNode checked = NODES.objectNode();
    for (Field field : fields) {
      List<Object> loc = List.of("body", field.name());
      // An explicit null is a value (of the wrong type), as pydantic sees it, not an absent field.
      JsonNode value = body.get(field.name());
      if (value == null) {
        if (field.required()) {
          errors.add(ValidationError.missing(loc, body));
        }
      } else {
        checked.set(field.name(), check(value, field.type(), field.numberAsText(), loc, errors));
      }
    }
    if (extraForbidden) {
      for (Entry<String, JsonNode> entry : body.properties()) {
        if (!names.contains(entry.getKey())) {
          errors.add(
              ValidationError.extraForbidden(List.of("body", entry.getKey()), entry.getValue()));
        }
      }
    }
    return checked;
  }

  private static JsonNode check(
      JsonNode value,
      Type type,
      boolean numberAsText,
      List<Object> loc,
      List<ValidationError> errors) {
    if (type == String.class) {
      if (numberAsText && value.isNumber()) {
        return TextNode.valueOf(value.asText());
      }
      return value.isTextual() ? value : refuse(errors, ValidationError.stringType(loc, value));
    }
    if (isInteger(type)) {
      return integer(value, loc, errors);
    }
    if (isList(type)) {
      if (!value.isArray()) {
        return refuse(errors, ValidationError.listType(loc, value));
      }
      ArrayNode list = NODES.arrayNode();
      for (int i = 0; i < value.size(); i++) {
        list.add(check(value.get(i), typeArgument(type, 0), numberAsText, append(loc, i), errors));
      }
      return list;
    }
    if (!value.isObject()) {
      return refuse(errors, ValidationError.dictType(loc, value));
    }
    ObjectNode map = NODES.objectNode();
    for (Entry<String, JsonNode> entry : value.properties()) {
      map.set(
          entry.getKey(),
          check(
              entry.getValue(),
              typeArgument(type, 1),
              numberAsText,
              append(loc, entry.getKey()),
              errors));
    }
    return map;
  }

  /** An integer as pydantic's lax mode takes one: 3, 3.0 or "3". */
  private static JsonNode integer(JsonNode value, List<Object> loc, List<ValidationError> errors) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return LongNode.valueOf(value.longValue());
    }
    if (value.isFloatingPointNumber()) {
      double number = value.doubleValue();
      if (number == Math.rint(number) && Math.abs(number) < MAX_EXACT_DOUBLE) {
        return LongNode.valueOf((long) number);
      }
      return refuse(errors, ValidationError.intFromFloat(loc, value));
    }
    if (value.isTextual()) {
      try {
        return LongNode.valueOf(Long.parseLong(value.textValue().strip()));
      } catch (NumberFormatException e) {
        return refuse(errors, ValidationError.intParsing(loc, value));
      }
    }
    return refuse(errors, ValidationError.intType(loc, value));
  }

  private static JsonNode refuse(List<ValidationError> errors, ValidationError error) {
    errors.add(error);
    return NODES.nullNode();
  }

  private static void checkSupported(Type type, RecordComponent component) {
    if (type == String.class || isInteger(type)) {
      return;
    }
    if (isList(type)) {
      checkSupported(typeArgument(type, 0), component);
      return;
    }
    if (type instanceof ParameterizedType map
        && map.getRawType() == Map.class
        && typeArgument(type, 0) == String.class) {
      checkSupported(typeArgument(type, 1), component);
      return;
    }
    throw new IllegalArgumentException(
        "request record component " + component + " has a type no body check knows: " + type);
  }

  private static boolean isInteger(Type type) {
    return type == long.class || type == Long.class;
  }

  private static boolean isList(Type type) {
    return type instanceof ParameterizedType list && list.getRawType() == List.class;
  }

  private static Type typeArgument(Type type, int index) {
    return ((ParameterizedType) type).getActualTypeArguments()[index];
  }

  private static List<Object> append(List<Object> loc, Object step) {
    List<Object> longer = new ArrayList<>(loc);
    longer.add(step);
    return longer;
  }
}
