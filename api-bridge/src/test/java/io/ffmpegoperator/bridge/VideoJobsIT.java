package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.bridge.VideoApiFixture.Answer;
import io.ffmpegoperator.crds.EncodeInfo;
import io.ffmpegoperator.crds.JobRelease;
import io.ffmpegoperator.crds.TrimMode;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queueing trims, concats and encodes, and execute. No operator runs here: the tests write the
 * VideoJobs' status the way it would, and check what the bridge makes of it.
 */
class VideoJobsIT {
  /** Short, so the timeout case is quick; long enough for a test to answer a waiting execute. */
  private static final Duration EXECUTE_TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension
  static final VideoApiFixture fx = VideoApiFixture.forTestClass(EXECUTE_TIMEOUT);

  private static long clip;
  private static long twin;
  private static long bigger;
  private static long faster;
  private static long silent;

  @BeforeAll
  static void uploadClips() throws Exception {
    List<Long> ids =
        fx.uploadIds(
            fx.clip("clip.mp4", 1, 160, 120, 10, true),
            fx.clip("twin.mp4", 1, 160, 120, 10, true),
            fx.clip("bigger.mp4", 1, 320, 240, 10, true),
            fx.clip("faster.mp4", 1, 160, 120, 25, true),
            fx.clip("silent.mp4", 1, 160, 120, 10, false));
    clip = ids.get(0);
    twin = ids.get(1);
    bigger = ids.get(2);
    faster = ids.get(3);
    silent = ids.get(4);
  }

  @Test
  void trimQueuesAHeldJob() throws Exception {
    Answer answer =
        fx.post(
            "video/process/trim",
            Map.of(
                "request_code", "trim-ok",
                "video_id", clip,
                "trim_start", "0.2s",
                "trim_end", "00:00:00.800",
                "mode", "fast"));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    long jobId = answer.json().get("job_id").asLong();
    assertThat(answer.text())
        .isEqualTo("{\"message\":\"Trim job added to queue\",\"job_id\":" + jobId + "}");
    VideoJob job = job(jobId);
    VideoJobSpec spec = job.getSpec();
    assertThat(spec.getRequestCode()).isEqualTo("trim-ok");
    assertThat(spec.getOperation()).isEqualTo(VideoOperation.Trim);
    assertThat(spec.getVideoIds()).containsExactly(clip);
    assertThat(spec.getTrim().getTrimStart()).isEqualTo(200);
    assertThat(spec.getTrim().getTrimEnd()).isEqualTo(800);
    assertThat(spec.getTrim().getMode()).isEqualTo(TrimMode.Fast);
    assertThat(spec.getRelease()).isEqualTo(JobRelease.Held);
    assertThat(job.getMetadata().getLabels())
        .containsEntry(VideoJob.REQUEST_CODE_LABEL, VideoJob.requestCodeLabel("trim-ok"));

    long defaults =
        fx.queue(
            "video/process/trim",
            Map.of(
                "request_code", "trim-ok", "video_id", clip, "trim_start", "0", "trim_end", 500));
    assertThat(job(defaults).getSpec().getTrim().getMode()).isEqualTo(TrimMode.Accurate);
  }

  @Test
  void trimRefusesBadTimesAndUnknownVideos() throws Exception {
    assertTrim(400, "abc", "500", null, "Invalid time format for trim_start");
    assertTrim(400, "0", "5 seconds", null, "Invalid time format for trim_end");
    assertTrim(400, "-100", "500", null, "must not be negative");
    assertTrim(400, "500", "500", null, "trim_end must be after trim_start");
    assertTrim(400, "00:00:00.600", "0.5s", null, "trim_end must be after trim_start");
    assertTrim(400, "5000", "6000", null, "is not before the end of video");
    assertTrim(400, "0", "500", "slow", "mode must be");
    Answer unknown =
        fx.post(
            "video/process/trim",
            Map.of("request_code", "c", "video_id", 999999, "trim_start", "0", "trim_end", "1"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.detail()).isEqualTo("Video not found");

    Answer missing = fx.post("video/process/trim", Map.of("request_code", "c", "video_id", "x"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.json().get("detail").findValuesAsText("type"))
        .containsExactly("int_parsing", "missing", "missing");
    assertThat(fx.post("video/process/trim", "not json").status()).isEqualTo(422);
    assertThat(jobsOf("c")).isEmpty();
  }

  @Test
  void concatQueuesTheIdsInOrder() throws Exception {
    Answer answer =
        fx.post(
            "video/process/concat",
            Map.of("request_code", "concat-ok", "video_ids", List.of(twin, clip, twin)));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json().get("message").asText()).isEqualTo("Concat job added to queue");
    VideoJobSpec spec = job(answer.json().get("job_id").asLong()).getSpec();
    assertThat(spec.getOperation()).isEqualTo(VideoOperation.Concat);
    assertThat(spec.getVideoIds()).containsExactly(twin, clip, twin);
    assertThat(spec.getRelease()).isEqualTo(JobRelease.Held);
  }

  @Test
  void concatRefusesUnknownOrMismatchedVideos() throws Exception {
    assertConcat(404, List.of(clip, 999998L, 999999L), "Video not found: 999998, 999999");
    assertConcat(400, List.of(clip), "at least 2");
    assertConcat(400, List.of(), "at least 2");
    assertConcat(400, List.of(clip, bigger), "resolution");
    assertConcat(400, List.of(clip, faster), "frame rate");
    assertConcat(400, List.of(clip, silent), "audio codec");
    Answer typed = fx.post("video/process/concat", Map.of("request_code", "c", "video_ids", "1,2"));
    assertThat(typed.status()).isEqualTo(422);
    assertThat(typed.json().get("detail").get(0).get("type").asText()).isEqualTo("list_type");
    assertThat(jobsOf("c")).isEmpty();
  }

  @Test
  void encodeQueuesWithDefaults() throws Exception {
    Answer answer =
        fx.post("video/process/encoding", Map.of("request_code", "encode-ok", "video_id", clip));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json().get("message").asText()).isEqualTo("Encode job added to queue");
    VideoJobSpec spec = job(answer.json().get("job_id").asLong()).getSpec();
    assertThat(spec.getOperation()).isEqualTo(VideoOperation.Encode);
    assertThat(spec.getVideoIds()).containsExactly(clip);
    assertThat(spec.getEncode().getVideoCodec()).isEqualTo("libx264");
    assertThat(spec.getEncode().getAudioCodec()).isEqualTo("aac");
    assertThat(spec.getEncode().getResolution()).isEqualTo("1920:1080");
    assertThat(spec.getEncode().getFrameRate()).isEqualTo(30);
    assertThat(spec.getEncode().getVideoEncoder()).isEqualTo("libx264");
    assertThat(spec.getEncode().getAudioEncoder()).isEqualTo("aac");

    // Codec names are taken too: the job keeps what was asked and the encoder that will run.
    long h264 =
        fx.queue(
            "video/process/encoding",
            Map.of(
                "request_code", "encode-ok",
                "video_id", clip,
                "video_codec", "h264",
                "audio_codec", "opus",
                "resolution", "160:120",
                "frame_rate", 15));
    EncodeInfo byCodec = job(h264).getSpec().getEncode();
    assertThat(byCodec.getVideoCodec()).isEqualTo("h264");
    assertThat(byCodec.getVideoEncoder()).isEqualTo("libx264");
    assertThat(byCodec.getAudioCodec()).isEqualTo("opus");
    assertThat(byCodec.getAudioEncoder()).isEqualTo("libopus");

    long vp9 =
        fx.queue(
            "video/process/encoding",
            Map.of(
                "request_code", "encode-ok",
                "video_id", clip,
                "video_codec", "libvpx-vp9",
                "audio_codec", "libopus",
                "resolution", "160:120",
                "frame_rate", "10"));
    assertThat(job(vp9).getSpec().getEncode().getFrameRate()).isEqualTo(10);
    // Only the frame rate differs from the source: still a change.
    fx.queue(
        "video/process/encoding",
        Map.of("request_code", "encode-ok", "video_id", clip, "resolution", "160:120"));
  }

  @Test
  void encodeRefusesWhatThisFfmpegCannotDoAndNoOps() throws Exception {
    assertEncode(400, Map.of("video_codec", "libx999"), "not an encoder of FFmpeg");
    assertEncode(400, Map.of("video_codec", "aac"), "not a video encoder");
    assertEncode(400, Map.of("audio_codec", "libx264"), "not an audio encoder");
    assertEncode(400, Map.of("audio_codec", "vorbis"), "experimental");
    assertEncode(400, Map.of("video_codec", "h264_nvenc"), "not an encoder of FFmpeg");
    for (String resolution :
        List.of("1920x1080", "0:100", "641:480", "640:-480", "7682:100", "a:b")) {
      assertEncode(400, Map.of("resolution", resolution), "Invalid resolution");
    }
    assertEncode(400, Map.of("frame_rate", 0), "frame_rate must be 1 to 120");
    assertEncode(400, Map.of("frame_rate", 121), "frame_rate must be 1 to 120");
    assertEncode(
        400,
        Map.of("video_codec", "libx264", "resolution", "160:120", "frame_rate", 10),
        "already encoded as requested");
    // Without audio in the source, the audio codec asked for changes nothing.
    Answer silentSame =
        fx.post(
            "video/process/encoding",
            Map.of(
                "request_code", "c",
                "video_id", silent,
                "audio_codec", "libopus",
                "resolution", "160:120",
                "frame_rate", 10));
    assertThat(silentSame.status()).as(silentSame.text()).isEqualTo(400);
    Answer unknown =
        fx.post("video/process/encoding", Map.of("request_code", "c", "video_id", 999999));
    assertThat(unknown.status()).isEqualTo(404);
    Answer typed =
        fx.post(
            "video/process/encoding",
            Map.of("request_code", "c", "video_id", clip, "frame_rate", 29.97));
    assertThat(typed.status()).isEqualTo(422);
    assertThat(jobsOf("c")).isEmpty();
  }

  @Test
  void executeWithoutHeldJobsIs400() throws Exception {
    Answer answer = fx.post("video/process/execute", Map.of("request_code", "nobody"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text()).isEqualTo("{\"detail\":\"No pending jobs for request_code nobody\"}");
    assertThat(fx.post("video/process/execute", Map.of()).status()).isEqualTo(422);
    assertThat(fx.post("video/process/execute?wait=perhaps", Map.of("request_code", "x")).status())
        .isEqualTo(422);
  }

  @Test
  void executeWithoutWaitingReleasesOnlyThatCodesHeldJobs() throws Exception {
    long first = queueTrim("release-me");
    long second = queueTrim("release-me");
    long other = queueTrim("release-me-not");

    Answer answer =
        fx.post("video/process/execute?wait=false", Map.of("request_code", "release-me"));

    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(answer.json().get("job_ids").toString()).isEqualTo("[" + first + "," + second + "]");
    assertThat(job(first).getSpec().getRelease()).isEqualTo(JobRelease.Released);
    assertThat(job(second).getSpec().getRelease()).isEqualTo(JobRelease.Released);
    assertThat(job(other).getSpec().getRelease()).isEqualTo(JobRelease.Held);
    // Released jobs are no longer pending: a second execute has nothing to do.
    assertThat(
            fx.post("video/process/execute?wait=false", Map.of("request_code", "release-me"))
                .status())
        .isEqualTo(400);
  }

  @Test
  void executeWaitsUntilEveryJobSucceeded() throws Exception {
    long first = queueTrim("all-good");
    long second = queueTrim("all-good");
    long other = queueTrim("bystander");

    CompletableFuture<Answer> execute = executeReleasing("all-good", first, second);
    setState(first, VideoJobState.Succeeded, null);
    assertThat(execute).isNotDone();
    setState(second, VideoJobState.Running, null);
    setState(second, VideoJobState.Succeeded, null);

    Answer answer = execute.get(EXECUTE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.text())
        .isEqualTo(
            "{\"message\":\"All pending jobs for request_code all-good executed successfully\"}");
    assertThat(job(other).getSpec().getRelease()).isEqualTo(JobRelease.Held);
  }

  @Test
  void executeNamesEachFailedJob() throws Exception {
    long ok = queueTrim("some-fail");
    long bad = queueTrim("some-fail");
    long worse = queueTrim("some-fail");

    CompletableFuture<Answer> execute = executeReleasing("some-fail", ok, bad, worse);
    setState(ok, VideoJobState.Succeeded, null);
    setState(bad, VideoJobState.Failed, "ffmpeg exited with code 1: Invalid data");
    setState(worse, VideoJobState.Failed, "input video 1 is gone");

    Answer answer = execute.get(EXECUTE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(answer.status()).as(answer.text()).isEqualTo(500);
    assertThat(answer.detail())
        .isEqualTo(
            "Job "
                + bad
                + " failed: ffmpeg exited with code 1: Invalid data; Job "
                + worse
                + " failed: input video 1 is gone");
  }

  @Test
  void executeTimesOutNamingTheUnfinishedJobs() throws Exception {
    long done = queueTrim("slow");
    long stuck = queueTrim("slow");

    CompletableFuture<Answer> execute = executeReleasing("slow", done, stuck);
    setState(done, VideoJobState.Succeeded, null);
    setState(stuck, VideoJobState.Running, null);

    Answer answer = execute.get(EXECUTE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    assertThat(answer.status()).as(answer.text()).isEqualTo(504);
    assertThat(answer.detail()).contains("job(s) " + stuck + " of request_code slow");
    assertThat(answer.detail()).doesNotContain("job(s) " + done + ",");
  }

  @Test
  void jobEndpointsShowStateAndResult() throws Exception {
    long first = queueTrim("watched");
    long second =
        fx.queue(
            "video/process/concat",
            Map.of("request_code", "watched", "video_ids", List.of(clip, twin)));
    queueTrim("unwatched");

    JsonNode held = fx.get("video/jobs/" + first).json();
    // Every key, in this order, and null where it does not apply yet.
    assertThat(held.toString())
        .isEqualTo(
            "{\"job_id\":"
                + first
                + ",\"request_code\":\"watched\",\"operation\":\"trim\",\"video_ids\":["
                + clip
                + "],\"state\":\"held\",\"progress\":0,\"output_video_id\":null,\"error\":null}");

    VideoJob succeeded = job(second);
    fx.client()
        .resource(succeeded)
        .editStatus(
            j -> {
              j.setStatus(new io.ffmpegoperator.crds.VideoJobStatus());
              j.getStatus().setState(VideoJobState.Succeeded);
              j.getStatus().setProgress(100);
              j.getStatus().setOutputVideoId(4242L);
              return j;
            });
    JsonNode done =
        await()
            .until(
                () -> fx.get("video/jobs/" + second).json(),
                j -> j.get("state").asText().equals("succeeded"));
    assertThat(done.get("output_video_id").asLong()).isEqualTo(4242);
    assertThat(done.get("progress").asInt()).isEqualTo(100);

    List<Long> listed = new ArrayList<>();
    fx.get("video/jobs?request_code=watched")
        .json()
        .forEach(j -> listed.add(j.get("job_id").asLong()));
    assertThat(listed).containsExactly(first, second);

    Answer unknown = fx.get("video/jobs/999999");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.detail()).isEqualTo("Job not found");
    Answer notANumber = fx.get("video/jobs/abc");
    assertThat(notANumber.status()).isEqualTo(422);
    assertThat(notANumber.json().get("detail").get(0).get("loc").toString())
        .isEqualTo("[\"path\",\"job_id\"]");
  }

  private static long queueTrim(String requestCode) throws Exception {
    return fx.queue(
        "video/process/trim",
        Map.of(
            "request_code", requestCode, "video_id", clip, "trim_start", "0", "trim_end", "500"));
  }

  /**
   * Sends a waiting execute of {@code requestCode} and returns it once it has released {@code
   * jobIds}, for the test to play the operator.
   */
  private static CompletableFuture<Answer> executeReleasing(String requestCode, long... jobIds) {
    CompletableFuture<Answer> execute =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return fx.post("video/process/execute", Map.of("request_code", requestCode));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    for (long id : jobIds) {
      await().until(() -> job(id).getSpec().getRelease() == JobRelease.Released);
    }
    return execute;
  }

  /** What the operator would write. */
  private static void setState(long jobId, VideoJobState state, String message) {
    fx.client()
        .resource(job(jobId))
        .editStatus(
            j -> {
              if (j.getStatus() == null) {
                j.setStatus(new io.ffmpegoperator.crds.VideoJobStatus());
              }
              j.getStatus().setState(state);
              j.getStatus().setMessage(message);
              return j;
            });
  }

  private static VideoJob job(long jobId) {
    return fx.videoJob(jobId);
  }

  private static List<VideoJob> jobsOf(String requestCode) {
    return fx.videoJobs().stream()
        .filter(j -> requestCode.equals(j.getSpec().getRequestCode()))
        .toList();
  }

  private static void assertTrim(int status, String start, String end, String mode, String detail)
      throws Exception {
    Map<String, Object> body = new HashMap<>();
    body.put("request_code", "c");
    body.put("video_id", clip);
    body.put("trim_start", start);
    body.put("trim_end", end);
    if (mode != null) {
      body.put("mode", mode);
    }
    Answer answer = fx.post("video/process/trim", body);
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.detail()).contains(detail);
  }

  private static void assertConcat(int status, List<Long> ids, String detail) throws Exception {
    Answer answer = fx.post("video/process/concat", Map.of("request_code", "c", "video_ids", ids));
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.detail()).contains(detail);
  }

  private static void assertEncode(int status, Map<String, Object> fields, String detail)
      throws Exception {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("request_code", "c");
    body.put("video_id", clip);
    Answer answer = fx.post("video/process/encoding", body);
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.detail()).contains(detail);
  }
}
