package io.ffmpegoperator.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a register body the way FastAPI and pydantic do, so clients get the same 422 answers: which
 * bodies count as JSON, which fields are required, and the shape of each error. The body is parsed
 * here rather than by Jersey because Jersey's errors (415, 400) differ from FastAPI's.
 */
final class RegisterRequestParser {
  static final String FFMPEG_COMMAND = "ffmpeg_command";
  static final String INPUT_FILES = "input_files";
  static final String OUTPUT_FILES = "output_files";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private RegisterRequestParser() {}

  /**
   * Parses a body.
   *
   * @param contentType the request's Content-Type header, or null
   * @throws ApiException 422 with pydantic-style errors
   */
  static RegisterRequest parse(String contentType, String body) {
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
    List<ValidationError> errors = new ArrayList<>();
    String command = string(root, FFMPEG_COMMAND, true, errors);
    Map<String, String> inputs = stringMap(root, INPUT_FILES, false, errors);
    Map<String, String> outputs = stringMap(root, OUTPUT_FILES, true, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return new RegisterRequest(command, inputs == null ? Map.of() : inputs, outputs);
  }

  /** FastAPI parses as JSON when there is no Content-Type or it is application/json or +json. */
  static boolean isJson(String contentType) {
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

  private static String string(
      JsonNode root, String field, boolean required, List<ValidationError> errors) {
    JsonNode value = root.get(field);
    if (value == null) {
      if (required) {
        errors.add(missing(List.of("body", field), root));
      }
      return null;
    }
    if (!value.isTextual()) {
      errors.add(stringType(List.of("body", field), value));
      return null;
    }
    return value.textValue();
  }

  private static Map<String, String> stringMap(
      JsonNode root, String field, boolean required, List<ValidationError> errors) {
    JsonNode value = root.get(field);
    if (value == null) {
      if (required) {
        errors.add(missing(List.of("body", field), root));
      }
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

  private static ValidationError missing(List<Object> loc, Object input) {
    return new ValidationError("missing", loc, "Field required", input, null);
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
}
