package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.storage.StorageKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel and delete of tasks end to end on the embedded stack: REST and kubectl ask, the operator
 * stops the pod and its real ffmpeg, and the outputs leave the real S3.
 */
class TaskCancelIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();

  /** -re reads the 5 s sample in real time, so ffmpeg surely still runs when it is cancelled. */
  private static final String LONG_COMMAND =
      "-re -i in_1 -c:v libx264 -preset ultrafast -c:a aac out_1";

  private static final String SHORT_COMMAND =
      "-i in_1 -t 1 -vf scale=160:90 -c:v libx264 -preset ultrafast -an out_1";

  private static String register(String command, String output) throws Exception {
    return stack.registerOnSample(command, output);
  }

  private static FfmpegTask task(String id) {
    return stack.task(id);
  }

  private static boolean jobsGone(String id) {
    return stack.jobs().withLabel("app.kubernetes.io/instance", id).list().getItems().isEmpty();
  }

  private static String outputKey(String id, String output) {
    return StorageKeys.taskOutput(id, output);
  }

  @Test
  void cancelledRunningTaskHasItsFfmpegStoppedAndKeepsNoOutput() throws Exception {
    String output = "cancel-" + UUID.randomUUID() + ".mp4";
    String id = register(LONG_COMMAND, output);
    ProcessHandle ffmpeg = TestingStack.awaitFfmpegWriting(output);

    TestingApiClient.Answer cancel = stack.api().post("/ffmpeg/cancel/" + id, Map.of());

    assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);
    assertThat(cancel.body().get("task_id").asText()).isEqualTo(id);
    assertThat(cancel.body().has("output_urls")).isTrue();
    assertThat(cancel.body().has("error_message")).isTrue();
    JsonNode done = stack.api().awaitTaskFinished(id);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("error_message").asText()).startsWith("cancelled");
    assertThat(done.get("output_urls").isNull()).isTrue();
    await().atMost(Duration.ofSeconds(15)).until(() -> !ffmpeg.isAlive());
    assertThat(task(id).getStatus().getState()).isEqualTo(TaskState.Cancelled);
    assertThat(task(id).getSpec().getCancel()).isTrue();
    assertThat(stack.storage().size(outputKey(id, output))).isEmpty();
    await().atMost(Duration.ofSeconds(15)).until(() -> jobsGone(id));

    TestingApiClient.Answer again = stack.api().post("/ffmpeg/cancel/" + id, Map.of());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("detail").asText()).contains("cancelled");
  }

  @Test
  void taskCancelledRightAfterRegisterNeverRunsFfmpeg() throws Exception {
    String output = "early-" + UUID.randomUUID() + ".mp4";
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher =
        new Thread(
            () -> {
              while (watching.get()) {
                ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(output))
                    .forEach(p -> seen.add(p.pid()));
                Thread.onSpinWait();
              }
            });
    watcher.start();
    try {
      String id = register(LONG_COMMAND, output);
      TestingApiClient.Answer cancel = stack.api().post("/ffmpeg/cancel/" + id, Map.of());
      assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);

      JsonNode done = stack.api().awaitTaskFinished(id);
      assertThat(done.get("error_message").asText()).startsWith("cancelled");
      await().atMost(Duration.ofSeconds(15)).until(() -> jobsGone(id));
      // Longer than the worker would need to start ffmpeg had its pod been left to run.
      Thread.sleep(3000);
    } finally {
      watching.set(false);
      watcher.join();
    }
    assertThat(seen).as("processes that named the output").isEmpty();
  }

  @Test
  void kubectlCancelsWithSpecCancel() throws Exception {
    FfmpegTask task = new FfmpegTask();
    String id = UUID.randomUUID().toString();
    task.setMetadata(
        new ObjectMetaBuilder().withName(id).withNamespace(stack.config().namespace()).build());
    task.setSpec(
        new FfmpegTaskSpec(
            SHORT_COMMAND, Map.of("in_1", stack.sampleInput()), Map.of("out_1", "out.mp4")));
    task.getSpec().setCancel(true);
    stack.kubernetesClient().resource(task).create();

    JsonNode done = stack.api().awaitTaskFinished(id);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("error_message").asText()).isEqualTo("cancelled before it started");
    assertThat(task(id).getStatus().getState()).isEqualTo(TaskState.Cancelled);
    assertThat(jobsGone(id)).isTrue();
  }

  @Test
  void finishedOrUnknownTasksCannotBeCancelled() throws Exception {
    String id = register(SHORT_COMMAND, "short.mp4");
    assertThat(stack.api().awaitTaskFinished(id).get("status").asText()).isEqualTo("completed");

    TestingApiClient.Answer finished = stack.api().post("/ffmpeg/cancel/" + id, Map.of());
    assertThat(finished.status()).isEqualTo(409);
    assertThat(finished.body().get("detail").asText()).contains("completed");
    assertThat(stack.api().get("/ffmpeg/status/" + id).body().get("status").asText())
        .isEqualTo("completed");

    TestingApiClient.Answer unknown =
        stack.api().post("/ffmpeg/cancel/" + UUID.randomUUID(), Map.of());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("detail").asText()).isEqualTo("Task not found");
  }

  @Test
  void deletedTaskTakesItsJobAndOutputsAndItsLinkStopsWorking(@TempDir Path dir) throws Exception {
    String id = register(SHORT_COMMAND, "kept.mp4");
    JsonNode done = stack.api().awaitTaskFinished(id);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    String link = done.get("output_urls").get("out_1").asText();
    assertThat(stack.api().download(link, dir.resolve("before.mp4"))).isEqualTo(200);

    TestingApiClient.Answer deleted = stack.api().delete("/ffmpeg/tasks/" + id);

    assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
    assertThat(stack.api().get("/ffmpeg/status/" + id).status()).isEqualTo(404);
    assertThat(stack.api().download(link, dir.resolve("after.mp4"))).isIn(403, 404);
    assertThat(stack.storage().size(outputKey(id, "kept.mp4"))).isEmpty();
    assertThat(task(id)).isNull();
    await().atMost(Duration.ofSeconds(15)).until(() -> jobsGone(id));

    assertThat(stack.api().delete("/ffmpeg/tasks/" + id).status()).isEqualTo(404);
    TestingApiClient.Answer unknown = stack.api().delete("/ffmpeg/tasks/" + UUID.randomUUID());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("detail").asText()).isEqualTo("Task not found");
  }

  @Test
  void deletedRunningTaskHasItsFfmpegStoppedFirst() throws Exception {
    String output = "deleted-" + UUID.randomUUID() + ".mp4";
    String id = register(LONG_COMMAND, output);
    ProcessHandle ffmpeg = TestingStack.awaitFfmpegWriting(output);

    assertThat(stack.api().delete("/ffmpeg/tasks/" + id).status()).isEqualTo(204);

    assertThat(ffmpeg.isAlive()).isFalse();
    assertThat(task(id)).isNull();
    assertThat(stack.storage().size(outputKey(id, output))).isEmpty();
  }

  @Test
  void kubectlDeleteRemovesTheOutputsToo() throws Exception {
    String id = register(SHORT_COMMAND, "kubectl.mp4");
    assertThat(stack.api().awaitTaskFinished(id).get("status").asText()).isEqualTo("completed");
    assertThat(stack.storage().size(outputKey(id, "kubectl.mp4"))).isPresent();

    stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace(stack.config().namespace())
        .withName(id)
        .delete();

    await().atMost(Duration.ofSeconds(20)).until(() -> task(id) == null);
    assertThat(stack.storage().size(outputKey(id, "kubectl.mp4"))).isEmpty();
  }
}
