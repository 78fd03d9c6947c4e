package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.dev.stack.TestingApiClient.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key} on the video library end to end: a client that retries a queue or an
 * execute (after a timeout, say) gets the first answer, and ffmpeg runs once.
 */
class IdempotentVideoApiIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();
  @TempDir static Path media;
  private static TestingApiClient api;
  private static long clip;

  @BeforeAll
  static void upload() throws Exception {
    api = stack.api();
    stack.media().clip(media.resolve("clip.mp4"), 2, 320, 240, 10);
    Answer answer = api.upload(media.resolve("clip.mp4"));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    clip = answer.body().get(0).get("id").asLong();
  }

  @Test
  void aRetriedTrimAndExecuteRunFfmpegOnce() throws Exception {
    String code = "idem-" + UUID.randomUUID();
    Map<String, String> queueKey = key();
    Answer queued = api.post("/video/process/trim", trim(code, "1500"), queueKey);
    Answer retried = api.post("/video/process/trim", trim(code, "1500"), queueKey);
    assertThat(queued.status()).as(queued.text()).isEqualTo(200);
    assertThat(retried.text()).isEqualTo(queued.text());
    Answer other = api.post("/video/process/trim", trim(code, "1000"), queueKey);
    assertThat(other.status()).as(other.text()).isEqualTo(422);
    assertThat(other.body().get("detail").asText()).contains("Idempotency-Key");
    long jobId = queued.body().get("job_id").asLong();
    assertThat(jobsOf(code)).hasSize(1);

    Map<String, String> executeKey = key();
    Answer executed = api.post("/video/process/execute", Map.of("request_code", code), executeKey);
    assertThat(executed.status()).as(executed.text()).isEqualTo(200);
    long videos = videos();
    Answer again = api.post("/video/process/execute", Map.of("request_code", code), executeKey);
    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.text()).isEqualTo(executed.text());

    assertThat(jobsOf(code))
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.getSpec().getJobId()).isEqualTo(jobId);
              assertThat(job.getStatus().getOutputVideoId()).isNotNull();
            });
    assertThat(videos()).isEqualTo(videos);
  }

  @Test
  void concurrentRequestsWithOneKeyQueueOneJob() throws Exception {
    String code = "idem-" + UUID.randomUUID();
    Map<String, String> key = key();
    List<CompletableFuture<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return api.post("/video/process/trim", trim(code, "1500"), key);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    List<String> texts = new ArrayList<>();
    for (CompletableFuture<Answer> answer : answers) {
      assertThat(answer.get().status()).as(answer.get().text()).isEqualTo(200);
      texts.add(answer.get().text());
    }
    assertThat(texts).containsOnly(texts.get(0));
    assertThat(jobsOf(code)).hasSize(1);
  }

  private static Map<String, String> key() {
    return Map.of("Idempotency-Key", UUID.randomUUID().toString());
  }

  private static Map<String, Object> trim(String code, String end) {
    return Map.of("request_code", code, "video_id", clip, "trim_start", "0", "trim_end", end);
  }

  private static List<VideoJob> jobsOf(String code) {
    return stack
        .kubernetesClient()
        .resources(VideoJob.class)
        .inNamespace(stack.config().namespace())
        .list()
        .getItems()
        .stream()
        .filter(job -> code.equals(job.getSpec().getRequestCode()))
        .toList();
  }

  private static long videos() {
    return stack
        .kubernetesClient()
        .resources(Video.class)
        .inNamespace(stack.config().namespace())
        .list()
        .getItems()
        .size();
  }
}
