package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.storage.StorageKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks run on warm workers, end to end: the REST API, the operator, a warm worker pod on the local
 * node that asks the operator for its order, ffmpeg, S3.
 */
class WarmWorkersIT {
  private static final String WARM_LABEL = "media.ffmpeg-operator.io/warm";
  private static final String ASKED = "media.ffmpeg-operator.io/asked-at";

  @RegisterExtension
  static final TestingStack stack = new TestingStack(config -> config.withWarmWorkers(1));

  @TempDir static Path out;

  @BeforeAll
  static void start() throws Exception {
    // A pod logs that it waits just before its first request reaches the operator, which claims
    // only pods it has heard from: a first task, however it runs, gives them that time.
    awaitWaitingWarmWorker();
    String primer = register("-i in_1 -t 1 -c copy out_1", "primer.mp4");
    assertThat(awaitFinished(primer).get("status").asText()).isEqualTo("completed");
  }

  @Test
  void aTaskRunsOnTheWarmWorkerThatWaitedForIt() throws Exception {
    Job warm = awaitWaitingWarmWorker();

    String id = register("-i in_1 -t 1 -c copy out_1", "cut.mp4");
    JsonNode status = awaitFinished(id);
    assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("completed");
    assertThat(
            stack
                .api()
                .download(status.get("output_urls").get("out_1").asText(), out.resolve("cut.mp4")))
        .isEqualTo(200);
    JsonNode probe = stack.media().probe(out.resolve("cut.mp4"));
    assertThat(probe.get("format").get("duration").asDouble()).isBetween(0.9, 1.2);

    FfmpegTask task = task(id);
    assertThat(task.getStatus().getJobName()).isEqualTo(warm.getMetadata().getName());
    // The pod that ran it is the one that was started before the task existed.
    Path log = podLog(warm.getMetadata().getName());
    assertThat(Files.readString(log)).contains("task " + id);
    // And it is found by the task's label, as kubectl get pods -l would find it.
    assertThat(
            stack
                .kubernetesClient()
                .pods()
                .inNamespace(stack.config().namespace())
                .withLabel("app.kubernetes.io/instance", id)
                .list()
                .getItems())
        .extracting(p -> p.getMetadata().getOwnerReferences().get(0).getName())
        .containsExactly(warm.getMetadata().getName());
    // And the next task has a warm worker waiting again.
    Job next = awaitWaitingWarmWorker();
    assertThat(next.getMetadata().getName()).isNotEqualTo(warm.getMetadata().getName());
  }

  @Test
  void aTaskThatCanNeverSucceedFailsOnceOnAWarmWorker() throws Exception {
    Job warm = awaitWaitingWarmWorker();
    String id = register("-i in_1 -c:v nosuchcodec out_1", "bad.mp4");
    JsonNode status = awaitFinished(id);
    assertThat(status.get("status").asText()).isEqualTo("failed");
    assertThat(status.get("error_message").asText()).containsIgnoringCase("ffmpeg");
    // The pod failure policy applies to a warm worker's Job as to any: no retry. The task may fail
    // on the worker's report a moment before the Job counts the pod.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        stack
                            .jobs()
                            .withName(warm.getMetadata().getName())
                            .get()
                            .getStatus()
                            .getFailed())
                    .isEqualTo(1));
    Thread.sleep(2_000);
    assertThat(stack.jobs().withName(warm.getMetadata().getName()).get().getStatus().getFailed())
        .as("still one failed pod, no retry")
        .isEqualTo(1);
  }

  @Test
  void ffmpegKilledOnAWarmWorkerIsRetriedAndCompletes() throws Exception {
    Job warm = awaitWaitingWarmWorker();
    String output = "killed-" + UUID.randomUUID() + ".mp4";
    // -re reads the 5 s sample in real time, so ffmpeg surely still runs when it is killed.
    String id = register("-re -i in_1 -c:v libx264 -preset ultrafast -c:a aac out_1", output);

    TestingStack.awaitFfmpegWriting(output).destroyForcibly();

    JsonNode status = awaitFinished(id);
    assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("completed");
    // The claimed Job itself retried: its second pod asked for the same task's order.
    assertThat(task(id).getStatus().getJobName()).isEqualTo(warm.getMetadata().getName());
    // A warm task completes at the worker's /done, a moment before its pod exits and the Job
    // counts it.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Job claimed = stack.jobs().withName(warm.getMetadata().getName()).get();
              assertThat(claimed.getStatus().getFailed()).isEqualTo(1);
              assertThat(claimed.getStatus().getSucceeded()).isEqualTo(1);
            });
  }

  @Test
  void cancelStopsTheClaimedWarmWorkerAndKeepsNoOutput() throws Exception {
    Job warm = awaitWaitingWarmWorker();
    String output = "cancelled-" + UUID.randomUUID() + ".mp4";
    // -re reads the 5 s sample in real time, so ffmpeg surely still runs when it is cancelled.
    String id = register("-re -i in_1 -c:v libx264 -preset ultrafast -c:a aac out_1", output);
    ProcessHandle ffmpeg = TestingStack.awaitFfmpegWriting(output);

    assertThat(stack.api().post("/ffmpeg/cancel/" + id, Map.of()).status()).isEqualTo(202);

    JsonNode status = awaitFinished(id);
    assertThat(status.get("error_message").asText()).startsWith("cancelled");
    await().atMost(Duration.ofSeconds(15)).until(() -> !ffmpeg.isAlive());
    assertThat(task(id).getStatus().getJobName()).isEqualTo(warm.getMetadata().getName());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> stack.jobs().withName(warm.getMetadata().getName()).get() == null);
    assertThat(stack.storage().size(StorageKeys.taskOutput(id, output))).isEmpty();
    // The pool makes a new warm worker for the next task.
    assertThat(awaitWaitingWarmWorker().getMetadata().getName())
        .isNotEqualTo(warm.getMetadata().getName());
  }

  // ------------------------------------------------------------------ helpers

  /** Registers a task on the stack's sample clip as in_1 with one output, out_1; returns its id. */
  private static String register(String command, String outputName) throws Exception {
    return stack.registerOnSample(command, outputName);
  }

  private static JsonNode awaitFinished(String id) {
    return stack.api().awaitTaskFinished(id);
  }

  private static FfmpegTask task(String id) {
    return stack.task(id);
  }

  /**
   * The one unclaimed warm Job, once its pod has logged that it waits for an order and the operator
   * has marked the Job as asking.
   */
  private static Job awaitWaitingWarmWorker() {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              List<Job> unclaimed =
                  stack.jobs().withLabel(WARM_LABEL, "true").list().getItems().stream()
                      .filter(
                          j ->
                              j.getMetadata().getAnnotations() == null
                                  || !j.getMetadata()
                                      .getAnnotations()
                                      .containsKey("media.ffmpeg-operator.io/task"))
                      .toList();
              if (unclaimed.size() != 1) {
                return null;
              }
              Path log = podLog(unclaimed.get(0).getMetadata().getName());
              // The operator marks the Job once its pod's first request came: only then may a task
              // claim it.
              return log != null
                      && Files.readString(log).contains("waiting for a work order")
                      && unclaimed.get(0).getMetadata().getAnnotations().containsKey(ASKED)
                  ? unclaimed.get(0)
                  : null;
            },
            job -> job != null);
  }

  /** The stderr log the local node keeps for the (first) pod of a Job, or null before it runs. */
  private static Path podLog(String jobName) throws Exception {
    Path node = stack.home().resolve("node");
    if (!Files.isDirectory(node)) {
      return null;
    }
    try (var pods = Files.list(node)) {
      return pods.filter(p -> p.getFileName().toString().startsWith(jobName + "-"))
          .map(p -> p.resolve("logs/stderr.log"))
          .filter(Files::isRegularFile)
          .findFirst()
          .orElse(null);
    }
  }
}
