package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WritePreconditionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MERGE = "application/merge-patch+json";
  private static final String JSON_PATCH = "application/json-patch+json";
  private static final ResourcePath CONFIG_MAP =
      new ResourcePath("", "v1", "default", "configmaps", "ids", null);
  private static final ResourcePath TASK_STATUS =
      new ResourcePath(
          "media.ffmpeg-operator.io", "v1alpha1", "default", "ffmpegtasks", "t", "status");

  @Test
  void aWriteNamesTheVersionItWasBasedOn() throws Exception {
    assertThat(basedOn("PUT", null, "{\"metadata\":{\"resourceVersion\":\"7\"}}")).contains("7");
    assertThat(basedOn("PUT", null, "{\"metadata\":{\"name\":\"x\"}}")).isEmpty();
    assertThat(basedOn("PATCH", MERGE, "{\"metadata\":{\"resourceVersion\":\"7\"}}")).contains("7");
    assertThat(basedOn("PATCH", MERGE, "{\"metadata\":{\"resourceVersion\":null}}")).isEmpty();
    assertThat(basedOn("PATCH", MERGE, "{\"data\":{\"n\":\"1\"}}")).isEmpty();
    assertThat(
            basedOn(
                "PATCH",
                JSON_PATCH,
                "[{\"op\":\"add\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"},"
                    + "{\"op\":\"replace\",\"path\":\"/data/n\",\"value\":\"2\"}]"))
        .contains("7");
    assertThat(
            basedOn(
                "PATCH",
                JSON_PATCH,
                "[{\"op\":\"replace\",\"path\":\"/metadata\",\"value\":{\"resourceVersion\":\"8\"}}]"))
        .contains("8");
    assertThat(
            basedOn(
                "PATCH",
                JSON_PATCH,
                "[{\"op\":\"remove\",\"path\":\"/metadata/resourceVersion\"}]"))
        .isEmpty();
    assertThat(basedOn("PATCH", JSON_PATCH, "[]")).isEmpty();
  }

  @Test
  void aStaleVersionIsAConflictAndTheCurrentOneIsNot() throws Exception {
    JsonNode current = object("5", "u1");
    Optional<MockResponse> stale =
        WritePreconditions.check(
            "PUT",
            TASK_STATUS,
            null,
            JSON.readTree("{\"metadata\":{\"resourceVersion\":\"4\"}}"),
            current);
    assertThat(stale).isPresent();
    assertThat(stale.get().code()).isEqualTo(409);
    JsonNode status = JSON.readTree(stale.get().getBody().getBytes());
    assertThat(status.path("reason").asText()).isEqualTo("Conflict");
    assertThat(status.path("details").path("kind").asText()).isEqualTo("ffmpegtasks");
    assertThat(
            WritePreconditions.check(
                "PUT",
                TASK_STATUS,
                null,
                JSON.readTree("{\"metadata\":{\"resourceVersion\":\"5\"}}"),
                current))
        .isEmpty();
  }

  @Test
  void onlySomeKindsMayBeUpdatedWithoutVersion() throws Exception {
    JsonNode unversioned = JSON.readTree("{\"metadata\":{\"name\":\"t\"}}");
    assertThat(WritePreconditions.check("PUT", CONFIG_MAP, null, unversioned, object("5", "u")))
        .isEmpty();
    assertThat(
            WritePreconditions.check("PUT", TASK_STATUS, null, unversioned, object("5", "u"))
                .map(MockResponse::code))
        .contains(422);
    assertThat(WritePreconditions.check("PATCH", TASK_STATUS, MERGE, unversioned, object("5", "u")))
        .isEmpty();
    assertThat(WritePreconditions.allowsUnconditionalUpdate(path("batch", "jobs"))).isTrue();
    assertThat(WritePreconditions.allowsUnconditionalUpdate(path("", "pods"))).isTrue();
    assertThat(WritePreconditions.allowsUnconditionalUpdate(path("coordination.k8s.io", "leases")))
        .isFalse();
    assertThat(
            WritePreconditions.allowsUnconditionalUpdate(
                path("apiextensions.k8s.io", "customresourcedefinitions")))
        .isFalse();
    assertThat(WritePreconditions.allowsUnconditionalUpdate(path("example.com", "widgets")))
        .isFalse();
  }

  @Test
  void deletePreconditionsCompareUidAndVersion() throws Exception {
    JsonNode current = object("5", "u1");
    assertThat(WritePreconditions.check("DELETE", CONFIG_MAP, null, null, current)).isEmpty();
    assertThat(
            WritePreconditions.check(
                "DELETE",
                CONFIG_MAP,
                null,
                JSON.readTree("{\"preconditions\":{\"uid\":\"u1\",\"resourceVersion\":\"5\"}}"),
                current))
        .isEmpty();
    assertThat(
            WritePreconditions.check(
                    "DELETE",
                    CONFIG_MAP,
                    null,
                    JSON.readTree("{\"preconditions\":{\"uid\":\"u2\"}}"),
                    current)
                .map(MockResponse::code))
        .contains(409);
    assertThat(
            WritePreconditions.check(
                    "DELETE",
                    CONFIG_MAP,
                    null,
                    JSON.readTree("{\"preconditions\":{\"resourceVersion\":\"4\"}}"),
                    current)
                .map(MockResponse::code))
        .contains(409);
  }

  @Test
  void aNullVersionInAMergePatchIsDropped() throws Exception {
    JsonNode body = JSON.readTree("{\"metadata\":{\"resourceVersion\":null,\"name\":\"x\"}}");
    assertThat(WritePreconditions.dropNullResourceVersion("PATCH", MERGE, body)).isTrue();
    assertThat(body.toString()).isEqualTo("{\"metadata\":{\"name\":\"x\"}}");
    assertThat(
            WritePreconditions.dropNullResourceVersion(
                "PATCH", MERGE, JSON.readTree("{\"metadata\":{\"resourceVersion\":\"1\"}}")))
        .isFalse();
  }

  private static Optional<String> basedOn(String method, String contentType, String body)
      throws Exception {
    return WritePreconditions.basedOn(method, contentType, JSON.readTree(body));
  }

  private static JsonNode object(String resourceVersion, String uid) throws Exception {
    return JSON.readTree(
        "{\"metadata\":{\"name\":\"t\",\"resourceVersion\":\""
            + resourceVersion
            + "\",\"uid\":\""
            + uid
            + "\"}}");
  }

  private static ResourcePath path(String group, String plural) {
    return new ResourcePath(group, "v1", "default", plural, "x", null);
  }
}
