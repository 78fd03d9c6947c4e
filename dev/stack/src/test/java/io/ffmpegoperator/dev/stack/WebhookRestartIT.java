package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ffmpegoperator.crds.WebhookDelivery;
import io.ffmpegoperator.crds.WebhookState;
import io.ffmpegoperator.operator.WebhookSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A webhook delivery carries on across an operator restart: its state is in the task's status, not
 * in the operator, so the new operator makes the next attempts with the same delivery id.
 */
class WebhookRestartIT {
  private static final String SECRET = "webhook-restart-it-secret";

  /** Attempts a second, two, then four seconds apart: the restart falls between two of them. */
  @RegisterExtension
  static final TestingStack stack =
      new TestingStack(
          config ->
              config.withWebhooks(
                  new WebhookSettings(SECRET, Duration.ofSeconds(1), 2, 8, Duration.ofSeconds(5))));

  @RegisterExtension
  static final TestingWebhookReceiver receiver = new TestingWebhookReceiver(SECRET);

  @Test
  void aDeliveryCarriesOnAfterTheOperatorRestartsWithTheSameId() throws Exception {
    receiver.failFirst.set(3);
    TestingApiClient.Answer answer =
        stack
            .api()
            .post(
                "/ffmpeg/register",
                Map.of(
                    "ffmpeg_command", "-i in_1 -t 1 -c copy out_1",
                    "input_files", Map.of("in_1", stack.sampleInput()),
                    "output_files", Map.of("out_1", "restart.mp4"),
                    "webhook_url", receiver.url()));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    String taskId = answer.body().get("task_id").asText();

    await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.calls.isEmpty());
    stack.restartOperator();
    int beforeRestart = receiver.calls.size();

    WebhookDelivery delivery =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> stack.task(taskId).getStatus().getWebhook(),
                d -> d != null && d.getState() != WebhookState.Pending);
    assertThat(delivery.getState()).isEqualTo(WebhookState.Delivered);
    // The attempts that succeeded came from the new operator, under the first one's id.
    assertThat(receiver.calls.size()).isGreaterThan(beforeRestart);
    assertThat(receiver.calls)
        .allSatisfy(call -> assertThat(call.deliveryId()).isEqualTo(delivery.getDeliveryId()))
        .allSatisfy(call -> assertThat(call.validSignature()).isTrue());
    assertThat(receiver.calls.get(receiver.calls.size() - 1).answered()).isEqualTo(204);
  }
}
