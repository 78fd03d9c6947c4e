package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.WebhookDelivery;
import io.ffmpegoperator.crds.WebhookState;
import io.ffmpegoperator.operator.WebhookSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed webhooks end to end: a task registered with a {@code webhook_url} on loopback (allowed in
 * the embedded stack, as for inputs) is told how it ended by the operator, through retries, and the
 * receiver checks each call's signature as the README shows.
 */
class WebhooksIT {
  private static final String SECRET = "webhooks-it-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A schedule of milliseconds, so the retries of a whole delivery fit in a test. */
  @RegisterExtension
  static final TestingStack stack =
      new TestingStack(
          config ->
              config.withWebhooks(
                  new WebhookSettings(
                      SECRET, Duration.ofMillis(300), 2, 4, Duration.ofSeconds(5))));

  @RegisterExtension
  static final TestingWebhookReceiver receiver = new TestingWebhookReceiver(SECRET);

  @BeforeEach
  void reset() {
    receiver.calls.clear();
    receiver.failFirst.set(0);
  }

  @Test
  void aCompletedTaskIsToldOnceSignedAfterTheReceiverFailedTwice() throws Exception {
    receiver.failFirst.set(2);
    String taskId = register("-i in_1 -t 1 -c copy out_1", "completed.mp4");

    JsonNode finished = stack.api().awaitTaskFinished(taskId);
    assertThat(finished.get("status").asText()).isEqualTo("completed");
    WebhookDelivery delivery = awaitDelivery(taskId);

    assertThat(delivery.getState()).isEqualTo(WebhookState.Delivered);
    assertThat(delivery.getAttempts()).isEqualTo(3);
    assertThat(delivery.getLastStatusCode()).isEqualTo(204);
    assertThat(delivery.getDeliveredTime()).isNotNull();
    assertThat(delivery.getEvent()).isEqualTo("task.completed");
    List<TestingWebhookReceiver.Call> calls = receiver.calls;
    assertThat(calls).hasSize(3);
    assertThat(calls).allSatisfy(call -> assertThat(call.validSignature()).isTrue());
    assertThat(calls.stream().map(TestingWebhookReceiver.Call::deliveryId).distinct().toList())
        .containsExactly(delivery.getDeliveryId());
    assertThat(calls.stream().map(TestingWebhookReceiver.Call::answered).toList())
        .containsExactly(500, 500, 204);

    JsonNode body = JSON.readTree(calls.get(2).body());
    assertThat(fieldNames(body))
        .containsExactly("task_id", "status", "output_urls", "error_message", "event");
    assertThat(body.get("task_id").asText()).isEqualTo(taskId);
    assertThat(body.get("status").asText()).isEqualTo("completed");
    assertThat(body.get("event").asText()).isEqualTo("task.completed");
    assertThat(body.get("error_message").isNull()).isTrue();
    assertThat(stack.api().download(body.get("output_urls").get("out_1").asText(), tempFile()))
        .isEqualTo(200);
    // The URL is on the resource, never in the seed's status response.
    assertThat(stack.api().get("/ffmpeg/status/" + taskId).text()).doesNotContain("127.0.0.1");
  }

  @Test
  void aFailedTaskDeliversTaskFailed() throws Exception {
    String taskId = register("-i in_1 -c:v nosuchencoder out_1", "failed.mp4");

    assertThat(stack.api().awaitTaskFinished(taskId).get("status").asText()).isEqualTo("failed");
    WebhookDelivery delivery = awaitDelivery(taskId);

    assertThat(delivery.getState()).isEqualTo(WebhookState.Delivered);
    assertThat(delivery.getAttempts()).isEqualTo(1);
    JsonNode body = JSON.readTree(receiver.calls.get(0).body());
    assertThat(body.get("event").asText()).isEqualTo("task.failed");
    assertThat(body.get("status").asText()).isEqualTo("failed");
    assertThat(body.get("error_message").asText()).contains("nosuchencoder");
    assertThat(body.get("output_urls").isNull()).isTrue();
    assertThat(receiver.calls.get(0).validSignature()).isTrue();
  }

  @Test
  void aReceiverThatNeverAnswers2xxIsGivenUpOnWithAWarningAndTheTaskStaysCompleted()
      throws Exception {
    receiver.failFirst.set(Integer.MAX_VALUE);
    String taskId = register("-i in_1 -t 1 -c copy out_1", "never.mp4");

    assertThat(stack.api().awaitTaskFinished(taskId).get("status").asText()).isEqualTo("completed");
    WebhookDelivery delivery = awaitDelivery(taskId);

    assertThat(delivery.getState()).isEqualTo(WebhookState.Failed);
    assertThat(delivery.getAttempts()).isEqualTo(4);
    assertThat(delivery.getLastStatusCode()).isEqualTo(500);
    assertThat(delivery.getLastError()).isEqualTo("HTTP 500");
    assertThat(receiver.calls).hasSize(4);
    assertThat(task(taskId).getStatus().getState().apiName()).isEqualTo("completed");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                stack
                    .kubernetesClient()
                    .v1()
                    .events()
                    .inNamespace(stack.config().namespace())
                    .list()
                    .getItems()
                    .stream()
                    .anyMatch(
                        e ->
                            taskId.equals(e.getInvolvedObject().getName())
                                && "Warning".equals(e.getType())
                                && "WebhookFailed".equals(e.getReason())));
  }

  private static String register(String command, String output) throws Exception {
    TestingApiClient.Answer answer =
        stack
            .api()
            .post(
                "/ffmpeg/register",
                Map.of(
                    "ffmpeg_command", command,
                    "input_files", Map.of("in_1", stack.sampleInput()),
                    "output_files", Map.of("out_1", output),
                    "webhook_url", receiver.url()));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(fieldNames(answer.body()))
        .containsExactly("task_id", "status", "output_urls", "error_message");
    String taskId = answer.body().get("task_id").asText();
    assertThat(task(taskId).getSpec().getWebhook().getUrl()).isEqualTo(receiver.url());
    return taskId;
  }

  private static WebhookDelivery awaitDelivery(String taskId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> task(taskId).getStatus().getWebhook(),
            d -> d != null && d.getState() != WebhookState.Pending);
  }

  private static FfmpegTask task(String taskId) {
    return stack.task(taskId);
  }

  private static java.nio.file.Path tempFile() throws IOException {
    return java.nio.file.Files.createTempFile(stack.home(), "webhook-output", ".mp4");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
