package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;
import java.util.Set;

/**
 * The API server's optimistic concurrency for writes to one stored object: a PUT (main resource or
 * {@code /status}) or PATCH whose body names a {@code metadata.resourceVersion} other than the
 * stored one gets 409 Conflict, a DELETE whose {@code preconditions} do not match gets 409, and a
 * PUT naming no resourceVersion gets 422 for kinds that do not allow unconditional updates.
 *
 * <p>Pure functions of the request and the stored object: the caller runs the check and the write
 * in one critical section.
 */
final class WritePreconditions {

  private static final String METADATA = "metadata";
  private static final String RESOURCE_VERSION = "resourceVersion";
  private static final String RESOURCE_VERSION_PATH = "/metadata/resourceVersion";

  /**
   * Built-in kinds whose update strategy refuses a PUT without resourceVersion (the others, e.g.
   * ConfigMap, Pod, Job, allow it; so do not custom resources).
   */
  private static final Set<String> CONDITIONAL_BUILT_IN =
      Set.of("leases.coordination.k8s.io", "customresourcedefinitions.apiextensions.k8s.io");

  private WritePreconditions() {}

  /**
   * Empty if the write may go ahead on {@code current}, else the API server's refusal.
   *
   * @param body the request body, null if empty or not JSON (the store then answers as it does)
   * @param current the stored object the write is addressed to
   */
  static Optional<MockResponse> check(
      String method, ResourcePath path, String contentType, JsonNode body, JsonNode current) {
    JsonNode metadata = current.path(METADATA);
    String name = metadata.path("name").asText(path.name());
    String stored = metadata.path(RESOURCE_VERSION).asText("");
    if ("DELETE".equals(method)) {
      return deletePreconditions(path, name, body, metadata);
    }
    if (body == null) {
      return Optional.empty();
    }
    Optional<String> basedOn = basedOn(method, contentType, body);
    if (basedOn.isPresent() && !basedOn.get().equals(stored)) {
      return Optional.of(ApiStatus.modified(path, name));
    }
    if ("PUT".equals(method) && basedOn.isEmpty() && !allowsUnconditionalUpdate(path)) {
      return Optional.of(
          ApiStatus.invalid(
              path,
              name,
              "metadata.resourceVersion",
              "Invalid value: 0x0: must be specified for an update"));
    }
    return Optional.empty();
  }

  /**
   * The resourceVersion a PUT or PATCH body says it was based on; empty when it names none (the
   * write is then unconditional, as a PATCH without one is on a real API server).
   */
  static Optional<String> basedOn(String method, String contentType, JsonNode body) {
    if ("PATCH".equals(method) && contentType != null && contentType.contains("json-patch")) {
      return jsonPatchVersion(body);
    }
    if (!"PUT".equals(method) && !"PATCH".equals(method)) {
      return Optional.empty();
    }
    return text(body.path(METADATA).path(RESOURCE_VERSION));
  }

  /**
   * A JSON merge patch setting {@code metadata.resourceVersion} to null means "no precondition"
   * (the field is removed); the store would compare "null" with the stored version instead.
   */
  static boolean dropNullResourceVersion(String method, String contentType, JsonNode body) {
    if (!"PATCH".equals(method)
        || body == null
        || (contentType != null && contentType.contains("json-patch"))
        || !(body.path(METADATA) instanceof ObjectNode metadata)
        || !metadata.path(RESOURCE_VERSION).isNull()) {
      return false;
    }
    metadata.remove(RESOURCE_VERSION);
    return true;
  }

  /** Whether a PUT may leave out the resourceVersion (AllowUnconditionalUpdate of its kind). */
  static boolean allowsUnconditionalUpdate(ResourcePath path) {
    String group = path.group();
    if (CONDITIONAL_BUILT_IN.contains(path.plural() + "." + group)) {
      return false;
    }
    // Custom resources never allow it. Their groups have a dot and are not Kubernetes' own.
    boolean custom = group.contains(".") && !group.endsWith("k8s.io");
    return !custom;
  }

  /** What the object's resourceVersion would be after the patch operations, if they set it. */
  private static Optional<String> jsonPatchVersion(JsonNode operations) {
    Optional<String> version = Optional.empty();
    for (JsonNode operation : operations) {
      String op = operation.path("op").asText();
      String target = operation.path("path").asText();
      if (target.equals(RESOURCE_VERSION_PATH)) {
        version = op.equals("remove") ? Optional.empty() : text(operation.path("value"));
      } else if (target.equals("/metadata") && (op.equals("add") || op.equals("replace"))) {
        version = text(operation.path("value").path(RESOURCE_VERSION));
      }
    }
    return version;
  }

  private static Optional<MockResponse> deletePreconditions(
      ResourcePath path, String name, JsonNode body, JsonNode metadata) {
    JsonNode preconditions = body == null ? null : body.get("preconditions");
    if (preconditions == null || !preconditions.isObject()) {
      return Optional.empty();
    }
    Optional<String> uid = text(preconditions.path("uid"));
    String storedUid = metadata.path("uid").asText("");
    if (uid.isPresent() && !uid.get().equals(storedUid)) {
      return Optional.of(
          ApiStatus.conflict(
              path,
              name,
              "Precondition failed: UID in precondition: "
                  + uid.get()
                  + ", UID in object meta: "
                  + storedUid));
    }
    Optional<String> version = text(preconditions.path(RESOURCE_VERSION));
    String stored = metadata.path(RESOURCE_VERSION).asText("");
    if (version.isPresent() && !version.get().equals(stored)) {
      return Optional.of(
          ApiStatus.conflict(
              path,
              name,
              "Precondition failed: ResourceVersion in precondition: "
                  + version.get()
                  + ", ResourceVersion in object meta: "
                  + stored));
    }
    return Optional.empty();
  }

  private static Optional<String> text(JsonNode value) {
    if (value.isTextual() || value.isNumber()) {
      String text = value.asText();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
    return Optional.empty();
  }
}
