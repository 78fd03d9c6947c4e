package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Status} answers of a real API server for failed requests, with the same code, reason,
 * message and details, so that clients (and people reading them) see what a cluster would say.
 */
final class ApiStatus {

  static final String CONTENT_TYPE = "Content-Type";
  static final String JSON_TYPE = "application/json";
  private static final ObjectMapper JSON = new ObjectMapper();

  // How the mock words the 409s it makes itself (with reason "Invalid"); answered as the API
  // server words them instead.
  private static final Pattern MOCK_EXISTS = Pattern.compile("'(.*)' already exists$");
  private static final String MOCK_MODIFIED = "Operation cannot be fulfilled on ";

  private ApiStatus() {}

  /** The mock's own 409s, reworded as the API server's (reason Conflict or AlreadyExists). */
  static MockResponse asApiServer(ResourcePath path, MockResponse response) {
    if (response.code() != 409 || response.getBody() == null) {
      return response;
    }
    JsonNode status = parse(response.getBody().getBytes());
    if (status == null || !"Invalid".equals(status.path("reason").asText())) {
      return response;
    }
    String message = status.path("message").asText();
    Matcher exists = MOCK_EXISTS.matcher(message);
    if (exists.find()) {
      return ApiStatus.alreadyExists(path, exists.group(1));
    }
    if (message.startsWith(MOCK_MODIFIED) && path.name() != null) {
      return ApiStatus.modified(path, path.name());
    }
    return response;
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  /** A Status without details. */
  static MockResponse failure(int code, String reason, String message) {
    return response(code, node(code, reason, message));
  }

  /** 404: {@code configmaps "x" not found}. */
  static MockResponse notFound(ResourcePath path) {
    return response(404, withDetails(404, "NotFound", path, path.name(), "not found"));
  }

  /** 409 of a write based on an old resourceVersion (apimachinery's OptimisticLockErrorMsg). */
  static MockResponse modified(ResourcePath path, String name) {
    return conflict(
        path,
        name,
        "the object has been modified; please apply your changes to the latest version and try"
            + " again");
  }

  /** 409: {@code Operation cannot be fulfilled on configmaps "x": <why>}. */
  static MockResponse conflict(ResourcePath path, String name, String why) {
    ObjectNode status =
        node(
            409,
            "Conflict",
            "Operation cannot be fulfilled on " + resource(path, name) + ": " + why);
    addDetails(status, path, name);
    return response(409, status);
  }

  /** 409: {@code configmaps "x" already exists}. */
  static MockResponse alreadyExists(ResourcePath path, String name) {
    return response(409, withDetails(409, "AlreadyExists", path, name, "already exists"));
  }

  /** 422 of one invalid field: {@code configmaps "x" is invalid: field: Invalid value: ...}. */
  static MockResponse invalid(ResourcePath path, String name, String field, String problem) {
    ObjectNode status =
        withDetails(422, "Invalid", path, name, "is invalid: " + field + ": " + problem);
    ObjectNode cause = ((ObjectNode) status.get("details")).putArray("causes").addObject();
    cause.put("reason", "FieldValueInvalid");
    cause.put("message", problem);
    cause.put("field", field);
    return response(422, status);
  }

  /** {@code configmaps "x"} or {@code jobs.batch "x"}: how the API server names an object. */
  static String resource(ResourcePath path, String name) {
    String resource = path.group().isEmpty() ? path.plural() : path.plural() + "." + path.group();
    return resource + " \"" + name + "\"";
  }

  private static ObjectNode withDetails(
      int code, String reason, ResourcePath path, String name, String what) {
    ObjectNode status = node(code, reason, resource(path, name) + " " + what);
    addDetails(status, path, name);
    return status;
  }

  private static void addDetails(ObjectNode status, ResourcePath path, String name) {
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    if (!path.group().isEmpty()) {
      details.put("group", path.group());
    }
    details.put("kind", path.plural());
  }

  private static ObjectNode node(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return status;
  }

  private static MockResponse response(int code, ObjectNode status) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader(CONTENT_TYPE, JSON_TYPE)
        .setBody(status.toString());
  }
}
