package io.ffmpegoperator.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON request body read the way FastAPI and pydantic read one, so clients get the same 422
 * answers: which bodies count as JSON, which fields are required, and each error's shape. Bodies
 * are parsed here rather than by Jersey because Jersey's errors (415, 400) differ from FastAPI's.
 * Field readers collect errors; {@link #check()} throws them all at once, as pydantic does.
 */
public final class JsonBody {
  /**
   * The most read into memory even if no cap was put in front of the body; {@link BodyLimitFilter}
   * applies the configured, smaller, one.
   */
  public static final int MAX_BODY_BYTES = 64 << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JsonNode root;
  private final List<ValidationError> errors = new ArrayList<>();

  private JsonBody(JsonNode root) {
    this.root = root;
  }

  /**
   * Reads a request body (at most {@link #MAX_BODY_BYTES}) and parses it as a JSON object.
   *
   * @throws ApiException 413 when too large, 422 with pydantic-style errors when not an object
   */
  public static JsonBody read(String contentType, InputStream body) {
    return parse(contentType, readText(body));
  }

  /**
   * Parses a body that must be a JSON object.
   *
   * @param contentType the request's Content-Type header, or null
   * @throws ApiException 422 with pydantic-style errors
   */
  public static JsonBody parse(String contentType, String body) {
    if (body == null || body.isEmpty()) {
      throw ApiException.validation(List.of(missing(List.of("body"), null)));
    }
    if (!isJson(contentType)) {
      // FastAPI hands a non-JSON body to the model as raw bytes, which is never an object.
      throw ApiException.validation(List.of(notAnObject(body)));
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.validation(List.of(jsonInvalid(e, body)));
    }
    if (root == null || root.isMissingNode()) {
      throw ApiException.validation(List.of(jsonInvalid("Expecting value", body.length())));
    }
    if (root.isNull()) {
      throw ApiException.validation(List.of(missing(List.of("body"), null)));
    }
    if (!root.isObject()) {
      throw ApiException.validation(List.of(notAnObject(root)));
    }
    return new JsonBody(root);
  }

  /** FastAPI parses as JSON when there is no Content-Type or it is application/json or +json. */
  public static boolean isJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    int slash = mediaType.indexOf('/');
    if (slash < 0 || !mediaType.substring(0, slash).equals("application")) {
      return false;
    }
    String subtype = mediaType.substring(slash + 1);
    return subtype.equals("json") || subtype.endsWith("+json");
  }

  JsonNode root() {
    return root;
  }

  /** A string field; null when absent (an error if required) or not a string (an error). */
  public String string(String field, boolean required) {
    JsonNode value = present(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      errors.add(stringType(List.of("body", field), value));
      return null;
    }
    return value.textValue();
  }

  /** A field that is a string or a number (e.g. a time); its text, or null as for strings. */
  public String stringOrNumber(String field, boolean required) {
    JsonNode value = present(field, required);
    if (value == null) {
      return null;
    }
    if (value.isNumber()) {
      return value.asText();
    }
    return string(field, required);
  }

  /** An integer field as pydantic's lax mode takes one: 3, 3.0 or "3"; else an error and null. */
  public Long integer(String field, boolean required) {
    JsonNode value = present(field, required);
    return value == null ? null : integer(List.of("body", field), value);
  }

  /** A list of integers; null when absent or wrong, with the errors recorded per element. */
  public List<Long> integers(String field, boolean required) {
    JsonNode value = present(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      errors.add(
          new ValidationError(
              "list_type", List.of("body", field), "Input should be a valid list", value, null));
      return null;
    }
    List<Long> numbers = new ArrayList<>();
    int before = errors.size();
    for (int i = 0; i < value.size(); i++) {
      numbers.add(integer(List.of("body", field, i), value.get(i)));
    }
    return errors.size() == before ? numbers : null;
  }

  /** A string map; null when absent (an error if required) or not an object (an error). */
  public Map<String, String> stringMap(String field, boolean required) {
    JsonNode value = present(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      errors.add(
          new ValidationError(
              "dict_type",
              List.of("body", field),
              "Input should be a valid dictionary",
              value,
              null));
      return null;
    }
    Map<String, String> map = new LinkedHashMap<>();
    value
        .properties()
        .forEach(
            entry -> {
              if (entry.getValue().isTextual()) {
                map.put(entry.getKey(), entry.getValue().textValue());
              } else {
                errors.add(stringType(List.of("body", field, entry.getKey()), entry.getValue()));
              }
            });
    return map;
  }

  /** Throws the errors found so far as one 422, if there are any. */
  public void check() {
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }

  private JsonNode present(String field, boolean required) {
    JsonNode value = root.get(field);
    // An explicit null is a value (of the wrong type), as pydantic sees it, not an absent field.
    if (value == null) {
      if (required) {
        errors.add(missing(List.of("body", field), root));
      }
      return null;
    }
    return value;
  }

  private Long integer(List<Object> loc, JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isFloatingPointNumber()) {
      double number = value.doubleValue();
      if (number == Math.rint(number) && Math.abs(number) < 1e15) {
        return (long) number;
      }
      errors.add(
          new ValidationError(
              "int_from_float",
              loc,
              "Input should be a valid integer, got a number with a fractional part",
              value,
              null));
      return null;
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue().strip());
      } catch (NumberFormatException e) {
        errors.add(intParsing(loc, value));
        return null;
      }
    }
    errors.add(
        new ValidationError("int_type", loc, "Input should be a valid integer", value, null));
    return null;
  }

  public static ValidationError missing(List<Object> loc, Object input) {
    return new ValidationError("missing", loc, "Field required", input, null);
  }

  public static ValidationError intParsing(List<Object> loc, Object input) {
    return new ValidationError(
        "int_parsing",
        loc,
        "Input should be a valid integer, unable to parse string as an integer",
        input,
        null);
  }

  private static ValidationError stringType(List<Object> loc, Object input) {
    return new ValidationError("string_type", loc, "Input should be a valid string", input, null);
  }

  private static ValidationError notAnObject(Object input) {
    return new ValidationError(
        "model_attributes_type",
        List.of("body"),
        "Input should be a valid dictionary or object to extract fields from",
        input,
        null);
  }

  private static ValidationError jsonInvalid(JsonProcessingException e, String body) {
    long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
    int position = offset < 0 || offset > body.length() ? body.length() : (int) offset;
    return jsonInvalid(firstLine(e.getOriginalMessage()), position);
  }

  private static ValidationError jsonInvalid(String reason, int position) {
    // FastAPI sends an empty object as the input of a JSON decode error.
    return new ValidationError(
        "json_invalid",
        List.of("body", position),
        "JSON decode error",
        JsonNodeFactory.instance.objectNode(),
        Map.of("error", reason));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "Invalid JSON";
    }
    String line = message.lines().findFirst().orElse(message).trim();
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  /** The body as text, at most {@link #MAX_BODY_BYTES}; 413 beyond, or beyond the body's cap. */
  public static String readText(InputStream body) {
    if (body == null) {
      return "";
    }
    try {
      // Read in chunks: memory grows with what is sent, not with the ceiling.
      byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw ApiException.detail(413, "Request body too large");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (BodyTooLargeException e) {
      throw ApiException.detail(413, e.getMessage());
    } catch (IOException e) {
      throw ApiException.detail(400, "Could not read the request body");
    }
  }
}
