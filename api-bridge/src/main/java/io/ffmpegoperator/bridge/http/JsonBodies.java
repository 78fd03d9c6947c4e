package io.ffmpegoperator.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Request bodies read into their records the way FastAPI and pydantic read a body into a model, so
 * clients get the same 422 answers: which bodies count as JSON, which fields are required, and
 * every problem at once in pydantic's words ({@link ValidationError}). A body is parsed, checked
 * against the record's components ({@link RecordSchema}), and only then bound by Jackson, which
 * never sees a body that does not fit. Bodies are read here rather than by Jersey because Jersey's
 * errors (415, 400) differ from FastAPI's.
 */
public final class JsonBodies {
  /**
   * The most read into memory even if no cap was put in front of the body; {@link BodyLimitFilter}
   * applies the configured, smaller, one.
   */
  public static final int MAX_BODY_BYTES = 64 << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBodies() {}

  /**
   * Reads a request body (at most {@link #MAX_BODY_BYTES}) into a {@code type}.
   *
   * @param contentType the request's Content-Type header, or null
   * @throws ApiException 413 when too large, 422 with pydantic's errors when it does not fit
   */
  public static <T extends Record> T read(Class<T> type, String contentType, InputStream body) {
    return parse(type, contentType, readText(body));
  }

  static <T extends Record> T parse(Class<T> type, String contentType, String body) {
    ObjectNode root = object(contentType, body);
    List<ValidationError> errors = new ArrayList<>();
    ObjectNode fields = RecordSchema.of(type).check(root, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    try {
      return JSON.treeToValue(fields, type);
    } catch (JsonProcessingException e) {
      // The check lets through only what the record takes: this is a fault of the record.
      throw new IllegalStateException("could not bind a checked body to " + type.getName(), e);
    }
  }

  /** The body as a JSON object; 422 when it is none. */
  private static ObjectNode object(String contentType, String body) {
    if (body == null || body.isEmpty()) {
      throw ApiException.validation(List.of(ValidationError.missing(List.of("body"), null)));
    }
    if (!isJson(contentType)) {
      // FastAPI hands a non-JSON body to the model as raw bytes, which is never an object.
      throw ApiException.validation(List.of(ValidationError.notAnObject(body)));
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
      int position = offset < 0 || offset > body.length() ? body.length() : (int) offset;
      throw ApiException.validation(
          List.of(ValidationError.jsonInvalid(position, firstLine(e.getOriginalMessage()))));
    }
    if (root == null || root.isMissingNode()) {
      throw ApiException.validation(
          List.of(ValidationError.jsonInvalid(body.length(), "Expecting value")));
    }
    if (root.isNull()) {
      throw ApiException.validation(List.of(ValidationError.missing(List.of("body"), null)));
    }
    if (!(root instanceof ObjectNode object)) {
      throw ApiException.validation(List.of(ValidationError.notAnObject(root)));
    }
    return object;
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

  private static String firstLine(String message) {
    if (message == null) {
      return "Invalid JSON";
    }
    String line = message.lines().findFirst().orElse(message).trim();
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  /** The body as text, at most {@link #MAX_BODY_BYTES}; 413 beyond, or beyond the body's cap. */
  private static String readText(InputStream body) {
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
