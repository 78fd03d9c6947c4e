package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFmpeg task API end to end on the embedded stack: REST, FfmpegTask, operator, Job, local
 * node, worker, real ffmpeg, real S3, and pre-signed links downloaded with a plain HTTP client.
 */
class FfmpegTaskApiIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();
  @TempDir static Path media;
  private static TestingInputServer inputs;

  @BeforeAll
  static void start() throws Exception {
    stack.media().clip(media.resolve("clip.mp4"), 2, 320, 240);
    stack.media().clip(media.resolve("other.mp4"), 1, 160, 120);
    inputs = new TestingInputServer(media);
  }

  @AfterAll
  static void stop() throws Exception {
    inputs.close();
  }

  /** Registers a task, which must be answered as pending and nothing more yet; returns its id. */
  private static String register(
      String command, Map<String, String> inputFiles, Map<String, String> outputFiles)
      throws Exception {
    JsonNode body = stack.api().registerTask(command, inputFiles, outputFiles);
    assertThat(body.get("status").asText()).isEqualTo("pending");
    assertThat(body.has("output_urls") && body.get("output_urls").isNull()).isTrue();
    assertThat(body.has("error_message") && body.get("error_message").isNull()).isTrue();
    return body.get("task_id").asText();
  }

  /** Registers a task on the 2 s clip as in_1 with one output, out_1; returns its id. */
  private static String registerOnClip(String command, String outputName) throws Exception {
    return register(command, Map.of("in_1", inputs.url("clip.mp4")), Map.of("out_1", outputName));
  }

  private static JsonNode awaitFinished(String taskId) {
    return stack.api().awaitTaskFinished(taskId);
  }

  private static JsonNode downloadAndProbe(String url, Path target) throws Exception {
    assertThat(stack.api().download(url, target)).isEqualTo(200);
    return stack.media().probe(target);
  }

  private static JsonNode stream(JsonNode probe, String type) {
    for (JsonNode s : probe.get("streams")) {
      if (s.get("codec_type").asText().equals(type)) {
        return s;
      }
    }
    throw new AssertionError("no " + type + " stream in " + probe);
  }

  @Test
  void registeredTaskCompletesAndItsLinkDownloads(@TempDir Path out) throws Exception {
    String id =
        registerOnClip(
            "-i in_1 -vf scale=160:120 -c:v libx264 -preset ultrafast -c:a aac out_1",
            "output.mp4");
    Set<String> seen = new LinkedHashSet<>();
    JsonNode done = stack.api().awaitTaskFinished(id, seen);

    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(done.get("task_id").asText()).isEqualTo(id);
    assertThat(done.get("error_message").isNull()).isTrue();
    // register answered pending; a poll may first see any later state, but never one out of order.
    assertThat(List.of("pending", "running", "completed")).containsSubsequence(List.copyOf(seen));
    String link = done.get("output_urls").get("out_1").asText();
    assertThat(link)
        .contains("/ffmpeg-outputs/" + id + "/output.mp4?")
        .contains("X-Amz-Expires=604800");
    JsonNode probe = downloadAndProbe(link, out.resolve("output.mp4"));
    JsonNode video = stream(probe, "video");
    assertThat(video.get("codec_name").asText()).isEqualTo("h264");
    assertThat(video.get("width").asInt()).isEqualTo(160);
    assertThat(video.get("height").asInt()).isEqualTo(120);
    assertThat(stream(probe, "audio").get("codec_name").asText()).isEqualTo("aac");
  }

  @Test
  void twoInputsAndTwoOutputsInOneTask(@TempDir Path out) throws Exception {
    String id =
        register(
            "-i {{in_1}} -i {{in_2}} -map 0:v -c:v libx264 -preset ultrafast -s 96x64 {{out_1}}"
                + " -map 1:a -c:a libmp3lame {{out_2}}",
            Map.of("in_1", inputs.url("clip.mp4"), "in_2", inputs.url("other.mp4")),
            Map.of("out_1", "video.mkv", "out_2", "audio.mp3"));
    JsonNode done = awaitFinished(id);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    JsonNode video =
        downloadAndProbe(done.get("output_urls").get("out_1").asText(), out.resolve("v.mkv"));
    assertThat(video.get("streams")).hasSize(1);
    assertThat(stream(video, "video").get("width").asInt()).isEqualTo(96);
    JsonNode audio =
        downloadAndProbe(done.get("output_urls").get("out_2").asText(), out.resolve("a.mp3"));
    assertThat(audio.get("streams")).hasSize(1);
    assertThat(stream(audio, "audio").get("codec_name").asText()).isEqualTo("mp3");
    // The 1 s input's audio became the mp3: its length shows which input was used.
    assertThat(audio.get("format").get("duration").asDouble()).isBetween(0.8, 1.3);
  }

  @Test
  void failingCommandEndsFailedWithAShortClearMessage() throws Exception {
    String id = registerOnClip("-i in_1 -c:v no_such_encoder out_1", "output.mp4");
    JsonNode done = awaitFinished(id);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("output_urls").isNull()).isTrue();
    String message = done.get("error_message").asText();
    assertThat(message).startsWith("ffmpeg failed").contains("no_such_encoder");
    assertThat(message).hasSizeLessThan(300).doesNotContain("\n").doesNotContain("/work");
    assertThat(jobsOf(id)).hasSize(1);
    // The failure is permanent: the Job was not retried.
    assertThat(podsOf(id)).hasSize(1);
  }

  @Test
  void ffmpegKilledWhileRunningIsRetriedAndCompletes() throws Exception {
    String output = "killed-" + UUID.randomUUID() + ".mp4";
    // -re reads the 5 s sample in real time, so ffmpeg surely still runs when it is killed.
    JsonNode body =
        stack
            .api()
            .registerTask(
                "-re -i in_1 -c:v libx264 -preset ultrafast -c:a aac out_1",
                Map.of("in_1", stack.sampleInput()),
                Map.of("out_1", output));
    String id = body.get("task_id").asText();

    TestingStack.awaitFfmpegWriting(output).destroyForcibly();

    JsonNode done = awaitFinished(id);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    // The first pod ended with the worker's exit code for a killed ffmpeg; a second one did it.
    assertThat(podsOf(id))
        .extracting(FfmpegTaskApiIT::exitCode)
        .containsExactlyInAnyOrder(WorkerExitCodes.FFMPEG_KILLED, WorkerExitCodes.OK);
  }

  @Test
  void inputAnswering404FailsNamingThatInput() throws Exception {
    String id =
        register(
            "-i in_1 -i in_2 -map 0 -map 1 -c copy out_1",
            Map.of("in_1", inputs.url("clip.mp4"), "in_2", inputs.url("missing.mp4")),
            Map.of("out_1", "output.mkv"));
    JsonNode done = awaitFinished(id);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("error_message").asText()).contains("'in_2'").contains("404");
  }

  @Test
  void operatorRestartWhileRunningStillCompletesWithOneJob() throws Exception {
    // -re reads the 2 s input in real time, so the task is surely running during the restart.
    String id =
        registerOnClip("-re -i in_1 -c:v libx264 -preset ultrafast -c:a aac out_1", "slow.mp4");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                stack
                    .api()
                    .get("/ffmpeg/status/" + id)
                    .body()
                    .get("status")
                    .asText()
                    .equals("running"));
    stack.restartOperator();
    JsonNode done = awaitFinished(id);
    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(jobsOf(id)).hasSize(1);
  }

  @Test
  void taskAppliedAsAResourceRunsLikeARestOne() throws Exception {
    FfmpegTask task;
    try (var yaml = Files.newInputStream(Path.of("../../examples/ffmpegtask.yaml"))) {
      task = stack.kubernetesClient().resources(FfmpegTask.class).load(yaml).item();
    }
    stack.kubernetesClient().resource(task).inNamespace("default").create();
    JsonNode done = awaitFinished("scale-sample");
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.get("output_urls").get("out_1").asText())
        .contains("/ffmpeg-outputs/scale-sample/sample-320x180.mp4?");
    // The example asks for resources of its own: its pod has them.
    assertThat(jobsOf("scale-sample"))
        .singleElement()
        .satisfies(
            job -> {
              var resources =
                  job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
              assertThat(resources.getRequests().get("cpu")).hasToString("500m");
              assertThat(resources.getLimits().get("memory")).hasToString("1Gi");
            });
  }

  @Test
  void listPagesAddUpToEveryTaskOnceWhileTasksAreAdded() throws Exception {
    List<String> registered = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      registered.add(registerFailingFast());
    }
    // The list is the bridge's cache: a task shows there a moment after register answers.
    List<String> before =
        await().until(() -> listed("/ffmpeg/tasks?limit=500"), ids -> ids.containsAll(registered));
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          stack
              .api()
              .get("/ffmpeg/tasks?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
              .body();
      page.get("tasks").forEach(task -> seen.add(task.get("task_id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      String added = registerFailingFast();
      registered.add(added);
      await().until(() -> listed("/ffmpeg/tasks?limit=500").contains(added));
    } while (cursor != null);

    // Creation times have whole seconds: a task added in the cursor's second may sort after it and
    // come too, once; every task there before comes exactly once, in the full list's order.
    List<String> all = listed("/ffmpeg/tasks?limit=500");
    assertThat(seen).doesNotHaveDuplicates().containsAll(before);
    assertThat(seen).allMatch(id -> before.contains(id) || registered.contains(id));
    assertThat(seen).isEqualTo(all.stream().filter(seen::contains).toList());
    // Every task registered here fails fast; once they have, none waits in the queue.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> listed("/ffmpeg/tasks?status=failed&limit=500").containsAll(registered));
    assertThat(listed("/ffmpeg/tasks?status=pending&limit=500")).isEmpty();
    assertThat(stack.api().get("/ffmpeg/queue/size").body()).hasToString("{\"queue_size\":0}");
    JsonNode failed = stack.api().get("/ffmpeg/tasks?status=failed&limit=1").body();
    String newest = failed.at("/tasks/0/task_id").asText();
    assertThat(registered).contains(newest);
    assertThat(failed.at("/tasks/0")).isEqualTo(stack.api().get("/ffmpeg/status/" + newest).body());
    assertThat(stack.api().get("/ffmpeg/tasks?status=cancelled").status()).isEqualTo(422);
  }

  @Test
  void registerAnswersAsTheOriginalServiceDid() throws Exception {
    Map<String, Object> seed =
        Map.of(
            "ffmpeg_command", "ffmpeg -i in_1 -t 0.5 -c copy out_1",
            "input_files", Map.of("in_1", inputs.url("clip.mp4")),
            "output_files", Map.of("out_1", "copy.mp4"));
    var accepted = stack.api().post("/ffmpeg/register", seed);
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
    String id = accepted.body().get("task_id").asText();
    assertThat(awaitFinished(id).get("status").asText()).isEqualTo("completed");
    assertThat(task(id).getSpec().getCommand()).isEqualTo("-i in_1 -t 0.5 -c copy out_1");

    var empty = stack.api().post("/ffmpeg/register", with(seed, "ffmpeg_command", ""));
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.text()).isEqualTo("{\"detail\":\"No ffmpeg_command provided\"}");
    var noOutputs = stack.api().post("/ffmpeg/register", with(seed, "output_files", Map.of()));
    assertThat(noOutputs.status()).isEqualTo(400);
    assertThat(noOutputs.text()).isEqualTo("{\"detail\":\"No output_files provided\"}");
    var extra = stack.api().post("/ffmpeg/register", with(seed, "foo", 1));
    assertThat(extra.status()).isEqualTo(422);
    assertThat(extra.body().at("/detail/0/type").asText()).isEqualTo("extra_forbidden");
    assertThat(extra.body().at("/detail/0/loc")).hasToString("[\"body\",\"foo\"]");
    Map<String, Object> noInputs = new HashMap<>(seed);
    noInputs.remove("input_files");
    var missing = stack.api().post("/ffmpeg/register", noInputs);
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().at("/detail/0/type").asText()).isEqualTo("missing");
    assertThat(missing.body().at("/detail/0/loc")).hasToString("[\"body\",\"input_files\"]");
  }

  @Test
  void inputUrlsWithUserInfoAreRefusedByRestAndByTheOperator() throws Exception {
    String url = inputs.url("clip.mp4").replace("://", "://user:secret@");
    var refused =
        stack
            .api()
            .post(
                "/ffmpeg/register",
                Map.of(
                    "ffmpeg_command", "-i in_1 -c copy out_1",
                    "input_files", Map.of("in_1", url),
                    "output_files", Map.of("out_1", "o.mp4")));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().get("detail").asText())
        .contains("input 'in_1': URLs with user info are not accepted");

    FfmpegTask task = new FfmpegTask();
    task.setMetadata(new ObjectMetaBuilder().withName("user-info-by-kubectl").build());
    task.setSpec(
        new FfmpegTaskSpec("-i in_1 -c copy out_1", Map.of("in_1", url), Map.of("out_1", "o.mp4")));
    stack.kubernetesClient().resource(task).inNamespace("default").create();
    JsonNode done = awaitFinished("user-info-by-kubectl");
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("error_message").asText()).contains("URLs with user info");
    assertThat(jobsOf("user-info-by-kubectl")).isEmpty();
  }

  @Test
  void unknownTaskIs404WithDetail() throws Exception {
    var answer = stack.api().get("/ffmpeg/status/00000000-0000-0000-0000-000000000000");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().get("detail").asText()).isNotBlank();
  }

  @Test
  void healthChecksAnswer() throws Exception {
    assertThat(stack.api().get("/health").body()).hasToString("{\"status\":\"ok\"}");
    var ffmpegHealth = stack.api().get("/ffmpeg/health").body();
    assertThat(ffmpegHealth.get("status").asText()).isEqualTo("ok");
    assertThat(ffmpegHealth.get("ffmpeg_installed").asText()).isEqualTo("yes");
  }

  /** A task whose only input answers 404, so it ends soon and costs no ffmpeg run. */
  private static String registerFailingFast() throws Exception {
    return register(
        "-i in_1 -c copy out_1",
        Map.of("in_1", inputs.url("missing.mp4")),
        Map.of("out_1", "o.mp4"));
  }

  /** The task ids a list answers, in its order. */
  private static List<String> listed(String path) throws Exception {
    var answer = stack.api().get(path);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    answer.body().get("tasks").forEach(t -> ids.add(t.get("task_id").asText()));
    return ids;
  }

  private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
    Map<String, Object> changed = new HashMap<>(body);
    changed.put(key, value);
    return changed;
  }

  private static FfmpegTask task(String name) {
    return stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace("default")
        .withName(name)
        .get();
  }

  private static List<Job> jobsOf(String taskId) {
    return stack.jobs().list().getItems().stream()
        .filter(j -> j.getMetadata().getOwnerReferences().get(0).getName().equals(taskId))
        .toList();
  }

  private static Integer exitCode(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode();
  }

  private static List<Pod> podsOf(String taskId) {
    return stack
        .kubernetesClient()
        .pods()
        .inNamespace("default")
        .withLabel("job-name", "fft-" + taskId)
        .list()
        .getItems();
  }
}
