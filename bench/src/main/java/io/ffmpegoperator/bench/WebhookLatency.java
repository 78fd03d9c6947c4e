package io.ffmpegoperator.bench;

import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.crds.WebhookDelivery;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item 9, part 1: small tasks registered back to back on the main stack, each with a {@code
 * webhook_url} on the bench's {@link WebhookReceiver}; how long after the bench's own watch saw a
 * task Completed its webhook arrived, whether every call's signature checked out, and how many
 * deliveries took more than one attempt ({@code status.webhook.attempts}).
 */
final class WebhookLatency {
  /**
   * Longest wait for the calls once every task has finished: long enough for the first two retries
   * of the default schedule, so a delivery that needed one is counted, not lost.
   */
  private static final double CALLS_TIMEOUT_MS = 30_000;

  /**
   * What one run measured.
   *
   * @param latencyMs per task that completed and was told: Completed seen → its first call arrived
   * @param undelivered tasks that completed but whose call had not arrived by the end
   * @param badSignatures calls whose signature did not check out
   * @param retried deliveries the operator made more than one attempt at
   * @param repeats calls beyond the first of one delivery id
   */
  record Result(
      int tasks,
      int completed,
      Stats latencyMs,
      int undelivered,
      int calls,
      int badSignatures,
      int retried,
      int repeats) {}

  private WebhookLatency() {}

  static Result measure(BenchContext bench, int n) throws Exception {
    EmbeddedStack stack = bench.stack();
    String input = bench.tinyInput();
    Log.line("9. integrations: " + n + " small tasks with a webhook, registered back to back");
    try (WebhookReceiver receiver = WebhookReceiver.start(secret(stack));
        TaskWatch watch = new TaskWatch(stack.kubernetesClient(), stack.config().namespace())) {
      bench.warmPool().awaitReady();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(
            bench
                .api()
                .register(
                    BenchContext.SMALL_COMMAND,
                    input,
                    "out.mp4",
                    Map.of("webhook_url", receiver.url())));
      }
      if (!watch.awaitFinished(ids, n * 10_000.0 + 60_000)) {
        throw new IOException("not every task with a webhook finished in time");
      }
      List<String> completed =
          ids.stream().filter(id -> watch.finalState(id) == TaskState.Completed).toList();
      receiver.await(completed, CALLS_TIMEOUT_MS);
      Map<String, Integer> attempts = settledAttempts(stack, ids);

      Map<String, Double> firstCall = new HashMap<>();
      Map<String, Integer> perDelivery = new HashMap<>();
      int bad = 0;
      List<WebhookReceiver.Call> calls = receiver.calls();
      for (WebhookReceiver.Call call : calls) {
        if (call.taskId() != null) {
          firstCall.putIfAbsent(call.taskId(), call.arrivedMs());
        }
        perDelivery.merge(String.valueOf(call.deliveryId()), 1, Integer::sum);
        bad += call.signed() ? 0 : 1;
      }
      List<Double> latencies = new ArrayList<>();
      int undelivered = 0;
      for (String id : completed) {
        Double arrived = firstCall.get(id);
        if (arrived == null) {
          undelivered++;
        } else {
          latencies.add(arrived - watch.finishedAt(id));
        }
      }
      int retried = (int) attempts.values().stream().filter(a -> a > 1).count();
      int repeats = perDelivery.values().stream().mapToInt(c -> c - 1).sum();
      return new Result(
          n,
          completed.size(),
          Stats.of(latencies),
          undelivered,
          calls.size(),
          bad,
          retried,
          repeats);
    }
  }

  /**
   * The secret the stack signs with: the configured one, or the one it made and keeps in its home,
   * which is where a receiver set up against {@code make run} reads it.
   */
  private static String secret(EmbeddedStack stack) throws IOException {
    String configured = stack.config().webhooks().secret();
    return configured != null
        ? configured
        : Files.readString(stack.config().home().resolve(StackConfig.WEBHOOK_SECRET_FILE)).trim();
  }

  /**
   * Each task's {@code status.webhook.attempts} once its delivery is settled (Delivered or Failed),
   * or as it is when {@link #CALLS_TIMEOUT_MS} has passed: the status is written after the call.
   */
  private static Map<String, Integer> settledAttempts(EmbeddedStack stack, List<String> ids)
      throws InterruptedException {
    Map<String, Integer> attempts = new HashMap<>();
    Set<String> open = new HashSet<>(ids);
    double deadline = Clock.nowMs() + CALLS_TIMEOUT_MS;
    while (true) {
      for (String id : List.copyOf(open)) {
        FfmpegTask task =
            stack
                .kubernetesClient()
                .resources(FfmpegTask.class)
                .inNamespace(stack.config().namespace())
                .withName(id)
                .get();
        WebhookDelivery delivery =
            task == null || task.getStatus() == null ? null : task.getStatus().getWebhook();
        if (delivery != null && delivery.getAttempts() != null) {
          attempts.put(id, delivery.getAttempts());
        }
        if (delivery != null && delivery.getState() != null && delivery.getState().isFinished()) {
          open.remove(id);
        }
      }
      if (open.isEmpty() || Clock.nowMs() > deadline) {
        return attempts;
      }
      Thread.sleep(100);
    }
  }
}
