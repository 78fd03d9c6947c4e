package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.ParallelPhase;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.dev.ffmpeg.SeamCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parallel task end to end on the embedded stack: REST (or kubectl) makes it, the operator runs
 * its probe, segment, audio and join children as Jobs of their own, and the joined output cannot be
 * told from the same command run in one go.
 */
class ParallelTaskIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();

  /** 61 frames (odd) at 25 fps in three scenes of different sources, a keyframe every 10. */
  private static final int FRAMES = 61;

  private static final String VIDEO_FILTER = "scale=160:120";

  private static final String COMMAND =
      "-i in_1 -vf " + VIDEO_FILTER + " -c:v libx264 -preset veryslow -c:a aac -b:a 64k out_1";

  /**
   * How much more than the median frame a frame near a seam may lose against the single run (dB):
   * the step x264 puts between its I- and P-frames, which viewers accept in every stream.
   */
  private static final double SEAM_MARGIN_DB = 3.0;

  private static final Pattern FRAMES_OPTION = Pattern.compile("-frames:v (\\d+)");

  private static String input;
  private static Path clip;

  @BeforeAll
  static void storeClip(@TempDir Path dir) throws Exception {
    clip = dir.resolve("scenes.mp4");
    TestingMedia.run(
        stack.ffmpeg().ffmpeg().toString(),
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=192x144:rate=25:duration=0.76",
        "-f",
        "lavfi",
        "-i",
        "smptebars=size=192x144:rate=25:duration=0.8",
        "-f",
        "lavfi",
        "-i",
        "mandelbrot=size=192x144:rate=25,trim=duration=0.88",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=44100:duration=2.44",
        "-filter_complex",
        "[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]",
        "-map",
        "[v]",
        "-map",
        "3:a",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "10",
        "-c:a",
        "aac",
        clip.toString());
    String key = "parallel-it/scenes.mp4";
    stack.storage().put(key, clip);
    input = "s3://" + stack.config().bucket() + "/" + key;
  }

  private static TestingApiClient.Answer register(
      String command, String output, Map<String, Object> parallel) throws Exception {
    return stack
        .api()
        .post(
            "/ffmpeg/register",
            Map.of(
                "ffmpeg_command",
                command,
                "input_files",
                Map.of("in_1", input),
                "output_files",
                Map.of("out_1", output),
                "parallel",
                parallel));
  }

  private static String registered(String output, Map<String, Object> parallel) throws Exception {
    TestingApiClient.Answer answer = register(COMMAND, output, parallel);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.body().get("task_id").asText();
  }

  private static List<FfmpegTask> children(String parent) {
    return stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace(stack.config().namespace())
        .withLabel(CrdConstants.LABEL_PARENT, parent)
        .list()
        .getItems();
  }

  private static Optional<Job> jobOf(String task) {
    return stack.jobs().withLabel(CrdConstants.LABEL_INSTANCE, task).list().getItems().stream()
        .findFirst();
  }

  private static int podsOf(Job job) {
    return stack
        .kubernetesClient()
        .pods()
        .inNamespace(stack.config().namespace())
        .withLabel("job-name", job.getMetadata().getName())
        .list()
        .getItems()
        .size();
  }

  private static long frames(Path file) throws Exception {
    return Long.parseLong(
        TestingMedia.run(
                stack.ffmpeg().ffprobe().toString(),
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=nb_read_frames",
                "-of",
                "csv=p=0",
                file.toString())
            .trim());
  }

  /** The ffmpeg a pod runs for the child task {@code child}, found by its own seek and length. */
  private static ProcessHandle awaitFfmpegOf(FfmpegTask child) {
    String command = child.getSpec().getCommand();
    String seek = command.substring(0, command.indexOf(" -i "));
    String length = command.substring(command.indexOf("-frames:v"), command.indexOf(" -map"));
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().orElse("").endsWith("ffmpeg"))
                    .filter(
                        p -> {
                          String line = p.info().commandLine().orElse("");
                          return line.contains(seek + " ") && line.contains(length + " ");
                        })
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  /** Each segment's frame count, in order, read from its child task's command. */
  private static List<Long> segmentFrames(String parent, int segments) {
    List<Long> frames = new ArrayList<>();
    for (int k = 0; k < segments; k++) {
      Matcher count =
          FRAMES_OPTION.matcher(stack.task(parent + "-seg-" + k).getSpec().getCommand());
      assertThat(count.find()).isTrue();
      frames.add(Long.parseLong(count.group(1)));
    }
    return frames;
  }

  private static Path downloaded(JsonNode done, Path file) throws Exception {
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(stack.api().download(done.get("output_urls").get("out_1").asText(), file))
        .isEqualTo(200);
    return file;
  }

  @Test
  void segmentsJoinSeamlesslyAndAKilledSegmentRerunsAlone(@TempDir Path dir) throws Exception {
    assertThat(frames(clip)).isEqualTo(FRAMES);
    String id = registered("joined.mp4", Map.of("segments", 3));
    // The same command in one pod, for the seam check to compare with.
    TestingApiClient.Answer single =
        stack
            .api()
            .post(
                "/ffmpeg/register",
                Map.of(
                    "ffmpeg_command",
                    COMMAND,
                    "input_files",
                    Map.of("in_1", input),
                    "output_files",
                    Map.of("out_1", "single.mp4")));
    assertThat(single.status()).as(single.text()).isEqualTo(200);

    // The last segment's pod is killed while its ffmpeg runs: its Job makes a second pod.
    String last = id + "-seg-2";
    FfmpegTask lastSegment =
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.task(last), t -> t != null);
    List<Long> segmentFrames = segmentFrames(id, 3);
    // The client follows the task it registered; the children are the operator's.
    assertThat(stack.api().get("/ffmpeg/status/" + last).status()).isEqualTo(404);
    ProcessHandle ffmpeg = awaitFfmpegOf(lastSegment);
    ProcessHandle worker = ffmpeg.parent().orElseThrow();
    worker.destroyForcibly();
    ffmpeg.destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jobOf(last).map(ParallelTaskIT::podsOf).orElse(0) >= 2);
    // The task list shows the task the client made, not the children doing its work.
    JsonNode listed = stack.api().get("/ffmpeg/tasks").body();
    assertThat(listed.toString()).contains(id).doesNotContain(id + "-seg-");
    Map<String, Integer> podsPerSegment = new HashMap<>();
    for (int k = 0; k < 3; k++) {
      String segment = id + "-seg-" + k;
      Job job = jobOf(segment).orElseThrow();
      podsPerSegment.put(segment, podsOf(job));
      // kubectl get jobs: each child's Job is owned by the child, each child by the task.
      OwnerReference jobOwner = job.getMetadata().getOwnerReferences().get(0);
      assertThat(jobOwner.getName()).isEqualTo(segment);
      OwnerReference childOwner = stack.task(segment).getMetadata().getOwnerReferences().get(0);
      assertThat(childOwner.getName()).isEqualTo(id);
      assertThat(childOwner.getController()).isTrue();
    }
    assertThat(podsPerSegment)
        .containsEntry(id + "-seg-0", 1)
        .containsEntry(id + "-seg-1", 1)
        .containsEntry(last, 2);

    Path output = downloaded(stack.api().awaitTaskFinished(id), dir.resolve("joined.mp4"));
    Path singleRun =
        downloaded(
            stack.api().awaitTaskFinished(single.body().get("task_id").asText()),
            dir.resolve("single.mp4"));
    assertThat(frames(output)).isEqualTo(FRAMES);
    double inputDuration = stack.media().probe(clip).path("format").path("duration").asDouble();
    double outputDuration = stack.media().probe(output).path("format").path("duration").asDouble();
    // One AAC frame: 1024 samples at 44.1 kHz.
    assertThat(Math.abs(outputDuration - inputDuration)).isLessThanOrEqualTo(1024 / 44100.0);
    // Frame count and duration, even timestamps across the joins, a keyframe at each, audio that
    // ends with the video, and seam frames no worse against the single run than the others.
    SeamCheck.Report seams =
        new SeamCheck(stack.ffmpeg().ffmpeg(), stack.ffmpeg().ffprobe())
            .check(clip, output, singleRun, segmentFrames, VIDEO_FILTER);
    assertThat(seams.seams()).hasSize(2);
    assertThat(seams.problems(SEAM_MARGIN_DB)).isEmpty();

    FfmpegTask task = stack.task(id);
    assertThat(task.getStatus().getState()).isEqualTo(TaskState.Completed);
    assertThat(task.getStatus().getJobName()).isNull();
    assertThat(task.getStatus().getParallel().getPhase()).isEqualTo(ParallelPhase.Done);
    assertThat(task.getStatus().getParallel().getSegmentsTotal()).isEqualTo(3);
    assertThat(task.getStatus().getParallel().getPhases())
        .containsOnlyKeys("Probe", "Segments", "Join", "Store");
    assertThat(task.getStatus().getParallel().getChildren())
        .containsEntry(id + "-probe", "probe")
        .containsEntry(id + "-seg-2", "segment")
        .containsEntry(id + "-audio", "audio")
        .containsEntry(id + "-join", "join");
    await().atMost(Duration.ofSeconds(30)).until(() -> children(id).isEmpty());
    assertThat(Files.size(output)).isPositive();
  }

  @Test
  void theKubectlExampleRunsInSegmentsOfAboutTwoSeconds(@TempDir Path dir) throws Exception {
    FfmpegTask example;
    try (var yaml = Files.newInputStream(Path.of("../../examples/parallel-ffmpegtask.yaml"))) {
      example = stack.kubernetesClient().resources(FfmpegTask.class).load(yaml).item();
    }
    String name = example.getMetadata().getName();
    stack.kubernetesClient().resource(example).inNamespace(stack.config().namespace()).create();

    // kubectl get jobs -l media.ffmpeg-operator.io/parent=parallel-sample: the probe's Job, then
    // the three segments' (5 s of sample, a keyframe every second, cut every 2 s), the audio's.
    List<Job> jobs =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> stack.jobs().withLabel(CrdConstants.LABEL_PARENT, name).list().getItems(),
                found -> found.size() >= 5);
    for (Job job : jobs) {
      String child = job.getMetadata().getOwnerReferences().get(0).getName();
      assertThat(child).startsWith(name + "-");
      FfmpegTask owner = stack.task(child);
      if (owner != null) {
        assertThat(owner.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo(name);
      }
    }

    Path output = downloaded(stack.api().awaitTaskFinished(name), dir.resolve("parallel.mp4"));
    FfmpegTask done = stack.task(name);
    assertThat(done.getStatus().getParallel().getSegmentsTotal()).isEqualTo(3);
    assertThat(frames(output)).isEqualTo(5 * 25);
  }

  @Test
  void cancelStopsEveryChild() throws Exception {
    String id = registered("cancelled-" + UUID.randomUUID() + ".mp4", Map.of("segments", 3));
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.task(id + "-seg-0") != null);

    TestingApiClient.Answer cancel = stack.api().post("/ffmpeg/cancel/" + id, Map.of());

    assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);
    JsonNode done = stack.api().awaitTaskFinished(id);
    assertThat(done.get("error_message").asText()).startsWith("cancelled");
    assertThat(stack.task(id).getStatus().getState()).isEqualTo(TaskState.Cancelled);
    await().atMost(Duration.ofSeconds(30)).until(() -> children(id).isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stack.jobs().list().getItems().stream()
                    .noneMatch(j -> j.getMetadata().getName().contains(id)));
  }

  @Test
  void unsplittableCommandsAndBadSegmentsAreRefused() throws Exception {
    TestingApiClient.Answer crossFrame =
        register("-i in_1 -vf tmix=frames=3 -c:v libx264 out_1", "x.mp4", Map.of("segments", 3));
    assertThat(crossFrame.status()).as(crossFrame.text()).isEqualTo(422);
    assertThat(crossFrame.body().get("detail").asText()).contains("tmix");

    // A command that cannot run at all says each reason once, not again as unsplittable.
    TestingApiClient.Answer broken =
        register("-i in_1 -bogus 1 -c:v libx264 out_1", "x.mp4", Map.of("segments", 3));
    assertThat(broken.status()).as(broken.text()).isEqualTo(422);
    String detail = broken.body().get("detail").asText();
    assertThat(detail.split("-bogus", -1)).as(detail).hasSize(2);

    TestingApiClient.Answer tooMany = register(COMMAND, "x.mp4", Map.of("segments", 1000));
    assertThat(tooMany.status()).isEqualTo(422);
    assertThat(tooMany.body().get("detail").asText()).contains("between 2 and 32");

    TestingApiClient.Answer both =
        register(COMMAND, "x.mp4", Map.of("segments", 2, "segment_seconds", 1));
    assertThat(both.status()).isEqualTo(422);
    assertThat(both.body().get("detail").asText()).contains("exactly one");
  }
}
