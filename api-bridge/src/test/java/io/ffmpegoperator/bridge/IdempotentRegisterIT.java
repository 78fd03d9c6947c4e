package io.ffmpegoperator.bridge;

import static io.ffmpegoperator.bridge.TestingBridge.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.policy.AddressPolicy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on register: a retry gets the first answer and makes nothing. */
class IdempotentRegisterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_A = "idempotency-it-key-a-0123456789";
  private static final String KEY_B = "idempotency-it-key-b-0123456789";
  private static final String BODY =
      """
      {"ffmpeg_command": "-i in_1 -vf scale=320:240 out_1",
       "input_files": {"in_1": "https://93.184.215.14/video.mp4"},
       "output_files": {"out_1": "output.mp4"}}
      """;

  /** The same request spelled otherwise: other key order, other spacing. */
  private static final String SAME_BODY_RESPELLED =
      "{\"output_files\":{\"out_1\":\"output.mp4\"},\"ffmpeg_command\":\"-i in_1 -vf"
          + " scale=320:240 out_1\",\"input_files\":{\"in_1\":\"https://93.184.215.14/video.mp4\"}}";

  private static TestingBridge fixture;

  @BeforeAll
  static void start() {
    fixture =
        TestingBridge.start(
            List.of(TestingApiServer.TASKS),
            TestingBridge.config()
                .withApiKeys(ApiKeys.of(KEY_A, KEY_B))
                .withAddressPolicy(AddressPolicy.publicOnly()));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void deleteTasks() {
    fixture.client.resources(FfmpegTask.class).inNamespace(NS).delete();
    await().until(() -> tasks().isEmpty());
  }

  @Test
  void theSameKeyAndRequestAnswerTheFirstAnswerAndMakeOneTask() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first = register(fixture, BODY, key, KEY_A);
    HttpResponse<String> retry = register(fixture, SAME_BODY_RESPELLED, key, KEY_A);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(JSON.readTree(retry.body())).isEqualTo(JSON.readTree(first.body()));
    assertThat(tasks()).hasSize(1);
  }

  @Test
  void aRetryReachingAnotherBridgeReplicaGetsTheSameTask() throws Exception {
    String key = UUID.randomUUID().toString();
    String taskId = taskId(register(fixture, BODY, key, KEY_A));
    // A second bridge on the same API server, with an empty cache of its own.
    try (ApiBridge other =
        ApiBridge.start(
            TestingBridge.config()
                .withApiKeys(ApiKeys.of(KEY_A, KEY_B))
                .withAddressPolicy(AddressPolicy.publicOnly()),
            fixture.client,
            fixture.storage,
            TestingBridge.TRUE_FFMPEG)) {
      HttpResponse<String> retry =
          TestingBridge.send(
              registerRequest(other.uri().resolve("ffmpeg/register"), BODY, key), KEY_A);
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
      assertThat(taskId(retry)).isEqualTo(taskId);
    }
    assertThat(tasks()).hasSize(1);
  }

  @Test
  void theSameKeyWithAnotherRequestIs422AndMakesNothing() throws Exception {
    String key = UUID.randomUUID().toString();
    String taskId = taskId(register(fixture, BODY, key, KEY_A));
    HttpResponse<String> other = register(fixture, BODY.replace("320:240", "640:480"), key, KEY_A);

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(other.body()).get("detail").asText())
        .contains("Idempotency-Key")
        .contains("different request")
        .contains(taskId);
    assertThat(tasks()).hasSize(1);
  }

  @Test
  void keysAreEachClientsOwn() throws Exception {
    String key = UUID.randomUUID().toString();
    String forA = taskId(register(fixture, BODY, key, KEY_A));
    String forB = taskId(register(fixture, BODY.replace("320:240", "640:480"), key, KEY_B));

    assertThat(forB).isNotEqualTo(forA);
    assertThat(tasks()).hasSize(2);
  }

  @Test
  void withoutAKeyEveryRegisterMakesATask() throws Exception {
    register(fixture, BODY, null, KEY_A);
    register(fixture, BODY, null, KEY_A);
    assertThat(tasks()).hasSize(2);
  }

  @Test
  void aKeyThatIsNoKeyIs422() throws Exception {
    for (String bad : List.of("x".repeat(256), "has space", "tab\there")) {
      HttpResponse<String> response = register(fixture, BODY, bad, KEY_A);
      assertThat(response.statusCode()).as(bad).isEqualTo(422);
      assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("Idempotency-Key");
    }
    assertThat(tasks()).isEmpty();
  }

  private static HttpResponse<String> register(
      TestingBridge bridge, String body, String idempotencyKey, String apiKey) throws Exception {
    return TestingBridge.send(
        registerRequest(bridge.bridge.uri().resolve("ffmpeg/register"), body, idempotencyKey),
        apiKey);
  }

  private static HttpRequest.Builder registerRequest(
      java.net.URI uri, String body, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return request;
  }

  private static String taskId(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("task_id").asText();
  }

  private static List<FfmpegTask> tasks() {
    return fixture.client.resources(FfmpegTask.class).inNamespace(NS).list().getItems();
  }
}
