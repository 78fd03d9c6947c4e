package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The API server's answers to a custom resource that does not fit its schema: 422 {@code Invalid}
 * with one cause per field (apimachinery's {@code errors.NewInvalid}) and 400 for unknown fields
 * under {@code fieldValidation=Strict}.
 */
final class FieldErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FieldErrors() {}

  /**
   * 422: {@code FfmpegTask.media.ffmpeg-operator.io "t1" is invalid: [spec.priority: ..., ...]}.
   */
  static MockResponse invalid(String kind, String group, String name, List<FieldError> errors) {
    ObjectNode status = status(422, "Invalid", message(kind, group, name, errors));
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    details.put("group", group);
    details.put("kind", kind);
    ArrayNode causes = details.putArray("causes");
    for (FieldError error : errors) {
      causes
          .addObject()
          .put("reason", error.reason())
          .put("message", error.body())
          .put("field", error.field());
    }
    return response(422, status);
  }

  /** The Status message: one error bare, several as {@code [e1, e2]}, repeats left out. */
  static String message(String kind, String group, String name, List<FieldError> errors) {
    String what = (group.isEmpty() ? kind : kind + "." + group) + " " + FieldError.quote(name);
    Set<String> distinct = new LinkedHashSet<>();
    errors.forEach(e -> distinct.add(e.toString()));
    if (distinct.isEmpty()) {
      return what + " is invalid";
    }
    String aggregate =
        distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
    return what + " is invalid: " + aggregate;
  }

  /**
   * 400 of {@code fieldValidation=Strict}: {@code FfmpegTask in version "v1alpha1" cannot be
   * handled as a FfmpegTask: strict decoding error: unknown field "spec.bogus"}.
   */
  static MockResponse strictDecoding(String kind, String version, List<String> unknownFields) {
    StringBuilder message =
        new StringBuilder(kind)
            .append(" in version ")
            .append(FieldError.quote(version))
            .append(" cannot be handled as a ")
            .append(kind)
            .append(": strict decoding error: ");
    for (int i = 0; i < unknownFields.size(); i++) {
      message.append(i == 0 ? "" : ", ").append(unknownField(unknownFields.get(i)));
    }
    return response(400, status(400, "BadRequest", message.toString()));
  }

  /** {@code unknown field "spec.bogus"}: a strict error's part and a warning's text. */
  static String unknownField(String path) {
    return "unknown field " + FieldError.quote(path);
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

  private static MockResponse response(int code, ObjectNode status) {
    status.put("code", code);
    return new MockResponse()
        .setResponseCode(code)
        .setHeader(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE)
        .setBody(status.toString());
  }
}
