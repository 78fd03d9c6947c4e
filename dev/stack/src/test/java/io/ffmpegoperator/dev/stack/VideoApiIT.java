package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video library API end to end: upload, probe, queue, execute and download on the embedded
 * stack, with real ffmpeg doing every job and ffprobe checking every result.
 */
class VideoApiIT {
  @TempDir static Path home;
  @TempDir static Path media;
  private static EmbeddedStack stack;
  private static TestingApiClient api;
  private static TestingMedia ffmpeg;
  private static long clipA;
  private static long clipB;
  private static long small;
  private static long otherRate;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackConfig.forTest(home));
    api = new TestingApiClient(stack.apiUri());
    ffmpeg = new TestingMedia(stack.ffmpeg());
    ffmpeg.clip(media.resolve("a.mp4"), 2, 320, 240, 10);
    ffmpeg.clip(media.resolve("b.mp4"), 1, 320, 240, 10);
    ffmpeg.clip(media.resolve("small.mp4"), 1, 160, 120, 10);
    ffmpeg.clip(media.resolve("fast.mp4"), 1, 320, 240, 25);
    var answer =
        api.upload(
            media.resolve("a.mp4"),
            media.resolve("b.mp4"),
            media.resolve("small.mp4"),
            media.resolve("fast.mp4"));
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    clipA = answer.body().get(0).get("id").asLong();
    clipB = answer.body().get(1).get("id").asLong();
    small = answer.body().get(2).get("id").asLong();
    otherRate = answer.body().get(3).get("id").asLong();
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  private static long queue(String path, Map<String, Object> body) throws Exception {
    var answer = api.post(path, body);
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    assertThat(answer.body().get("message").asText()).endsWith("job added to queue");
    return answer.body().get("job_id").asLong();
  }

  private static JsonNode job(long jobId) throws Exception {
    var answer = api.get("/video/jobs/" + jobId);
    assertThat(answer.status()).isEqualTo(200);
    return answer.body();
  }

  private static void execute(String code) throws Exception {
    var answer = api.post("/video/process/execute", Map.of("request_code", code));
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    assertThat(answer.body().get("message").asText())
        .isEqualTo("All pending jobs for request_code " + code + " executed successfully");
  }

  /** Downloads a video through its link and probes it. */
  private static Path download(long videoId, Path dir) throws Exception {
    var answer = api.get("/video/download?video_id=" + videoId);
    assertThat(answer.status()).isEqualTo(200);
    Path file = dir.resolve("video-" + videoId);
    assertThat(api.download(answer.body().get(0).get("download_link").asText(), file))
        .isEqualTo(200);
    return file;
  }

  private static double duration(Path file) throws Exception {
    return ffmpeg.probe(file).get("format").get("duration").asDouble();
  }

  @Test
  void uploadedVideosAreRecordedProbedAndDownloadable(@TempDir Path out) throws Exception {
    assertThat(List.of(clipA, clipB, small, otherRate)).doesNotHaveDuplicates();
    var info = api.get("/video/view/info/?video_id=" + clipA);
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.body().get("video_streams").asText()).isEqualTo("h264");
    assertThat(info.body().get("audio_streams").asText()).isEqualTo("aac");
    assertThat(info.body().get("resolution").asText()).isEqualTo("320:240");
    assertThat(info.body().get("frame_rate").asInt()).isEqualTo(10);
    assertThat(api.get("/video/view/info?video_id=" + clipA).body()).isEqualTo(info.body());

    assertThat(Files.readAllBytes(download(clipA, out)))
        .isEqualTo(Files.readAllBytes(media.resolve("a.mp4")));

    var all = api.get("/video/view/all");
    List<Long> ids = new ArrayList<>();
    all.body().forEach(v -> ids.add(v.get("id").asLong()));
    assertThat(ids).isSorted().contains(clipA, clipB, small, otherRate);
    JsonNode record = all.body().get(ids.indexOf(clipA));
    assertThat(record.get("original_file_path").asText()).startsWith("origin/").endsWith("a.mp4");
    assertThat(record.get("processed_file_path").isNull()).isTrue();
    assertThat(record.get("trim_info").isNull()).isTrue();
    assertThat(api.get("/video/view/all?skip=1&limit=2").body()).hasSize(2);
    assertThat(api.get("/video/view/all?skip=-1").status()).isEqualTo(422);
  }

  @Test
  void unknownVideosAre404() throws Exception {
    assertThat(api.get("/video/view/info/?video_id=999999").status()).isEqualTo(404);
    assertThat(api.get("/video/download?video_id=999999").status()).isEqualTo(404);
    assertThat(
            api.post(
                    "/video/process/trim",
                    Map.of(
                        "request_code",
                        "x",
                        "video_id",
                        999999,
                        "trim_start",
                        "0",
                        "trim_end",
                        "5"))
                .status())
        .isEqualTo(404);
  }

  @Test
  void fakeVideoIsRefusedAndNothingStored(@TempDir Path dir) throws Exception {
    Path fake = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n");
    int before = api.get("/video/view/all?limit=1000").body().size();
    var answer = api.upload(media.resolve("b.mp4"), fake);
    assertThat(answer.status()).isEqualTo(415);
    assertThat(answer.body().get("detail").asText()).isNotBlank();
    assertThat(api.get("/video/view/all?limit=1000").body()).hasSize(before);
  }

  @Test
  void accurateTrimIsWithinOneFrame(@TempDir Path out) throws Exception {
    long job =
        queue(
            "/video/process/trim",
            Map.of(
                "request_code",
                "trim-accurate",
                "video_id",
                clipA,
                "trim_start",
                "500",
                "trim_end",
                "1500"));
    assertThat(job(job).get("state").asText()).isEqualTo("held");
    execute("trim-accurate");
    JsonNode done = job(job);
    assertThat(done.get("state").asText()).isEqualTo("succeeded");
    long video = done.get("output_video_id").asLong();
    // 10 fps: one frame is 0.1 s.
    assertThat(duration(download(video, out))).isBetween(0.9, 1.1);
    JsonNode record = record(video);
    assertThat(record.get("processed_file_path").asText()).startsWith("modi/");
    assertThat(record.get("trim_info").get("trim_start").asLong()).isEqualTo(500);
    assertThat(record.get("trim_info").get("trim_end").asLong()).isEqualTo(1500);
    assertThat(record.get("trim_info").get("mode").asText()).isEqualTo("accurate");
    var info = api.get("/video/view/info/?video_id=" + video).body();
    assertThat(info.get("resolution").asText()).isEqualTo("320:240");
  }

  @Test
  void fastTrimCopiesAndSaysSo(@TempDir Path out) throws Exception {
    long job =
        queue(
            "/video/process/trim",
            Map.of(
                "request_code",
                "trim-fast",
                "video_id",
                clipA,
                "trim_start",
                "0s",
                "trim_end",
                "00:00:01.000",
                "mode",
                "fast"));
    execute("trim-fast");
    long video = job(job).get("output_video_id").asLong();
    assertThat(record(video).get("trim_info").get("mode").asText()).isEqualTo("fast");
    assertThat(duration(download(video, out))).isBetween(0.5, 1.5);
  }

  @Test
  void concatIsAStreamCopyInTheGivenOrder(@TempDir Path out) throws Exception {
    long job =
        queue(
            "/video/process/concat",
            Map.of("request_code", "concat", "video_ids", List.of(clipA, clipB, clipA)));
    execute("concat");
    long video = job(job).get("output_video_id").asLong();
    Path joined = download(video, out);
    assertThat(duration(joined)).isBetween(4.8, 5.2);
    List<String> expected = new ArrayList<>(ffmpeg.videoPacketHashes(media.resolve("a.mp4")));
    expected.addAll(ffmpeg.videoPacketHashes(media.resolve("b.mp4")));
    expected.addAll(ffmpeg.videoPacketHashes(media.resolve("a.mp4")));
    assertThat(ffmpeg.videoPacketHashes(joined)).isEqualTo(expected);
    assertThat(record(video).get("concat_info").get("video_ids"))
        .extracting(JsonNode::asLong)
        .containsExactly(clipA, clipB, clipA);
  }

  @Test
  void concatOfDifferentVideosIs400() throws Exception {
    for (long other : List.of(small, otherRate)) {
      var answer =
          api.post(
              "/video/process/concat",
              Map.of("request_code", "bad-concat", "video_ids", List.of(clipA, other)));
      assertThat(answer.status()).isEqualTo(400);
    }
    var unknown =
        api.post(
            "/video/process/concat",
            Map.of("request_code", "bad-concat", "video_ids", List.of(clipA, 999999)));
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void encodeProbesToWhatWasAsked(@TempDir Path out) throws Exception {
    long job =
        queue(
            "/video/process/encoding",
            Map.of(
                "request_code",
                "encode",
                "video_id",
                clipA,
                "video_codec",
                "libx264",
                "audio_codec",
                "aac",
                "resolution",
                "160:120",
                "frame_rate",
                15));
    execute("encode");
    long video = job(job).get("output_video_id").asLong();
    var info = api.get("/video/view/info/?video_id=" + video).body();
    assertThat(info.get("video_streams").asText()).isEqualTo("h264");
    assertThat(info.get("resolution").asText()).isEqualTo("160:120");
    assertThat(info.get("frame_rate").asInt()).isEqualTo(15);
    JsonNode probe = ffmpeg.probe(download(video, out));
    assertThat(probe.get("streams").get(0).get("avg_frame_rate").asText()).isEqualTo("15/1");
    assertThat(record(video).get("encode_info").get("resolution").asText()).isEqualTo("160:120");
  }

  @Test
  void badEncodeRequestsAre400() throws Exception {
    Map<String, Object> same =
        Map.of(
            "request_code",
            "bad-encode",
            "video_id",
            clipA,
            "video_codec",
            "libx264",
            "audio_codec",
            "aac",
            "resolution",
            "320:240",
            "frame_rate",
            10);
    assertThat(api.post("/video/process/encoding", same).status()).isEqualTo(400);
    Map<String, Object> noEncoder =
        Map.of("request_code", "bad-encode", "video_id", clipA, "video_codec", "libnope");
    assertThat(api.post("/video/process/encoding", noEncoder).status()).isEqualTo(400);
    Map<String, Object> badSize =
        Map.of("request_code", "bad-encode", "video_id", clipA, "resolution", "wide");
    assertThat(api.post("/video/process/encoding", badSize).status()).isEqualTo(400);
  }

  @Test
  void badTrimsAre400() throws Exception {
    for (String[] times :
        List.of(
            new String[] {"abc", "1000"},
            new String[] {"-5", "1000"},
            new String[] {"1500", "1000"},
            new String[] {"5000", "6000"})) {
      var answer =
          api.post(
              "/video/process/trim",
              Map.of(
                  "request_code",
                  "bad-trim",
                  "video_id",
                  clipA,
                  "trim_start",
                  times[0],
                  "trim_end",
                  times[1]));
      assertThat(answer.status()).as(String.join("..", times)).isEqualTo(400);
    }
  }

  @Test
  void executeReleasesOnlyItsCodeAndReportsFailures() throws Exception {
    var none = api.post("/video/process/execute", Map.of("request_code", "nothing-queued"));
    assertThat(none.status()).isEqualTo(400);

    long other =
        queue(
            "/video/process/trim",
            Map.of(
                "request_code",
                "someone-else",
                "video_id",
                clipB,
                "trim_start",
                "0",
                "trim_end",
                "500"));
    // A job whose input vanished before execute fails; execute names it.
    var upload = api.upload(media.resolve("b.mp4"));
    long doomedVideo = upload.body().get(0).get("id").asLong();
    long doomed =
        queue(
            "/video/process/trim",
            Map.of(
                "request_code",
                "doomed",
                "video_id",
                doomedVideo,
                "trim_start",
                "0",
                "trim_end",
                "500"));
    stack.storage().delete(upload.body().get(0).get("original_file_path").asText());
    var answer = api.post("/video/process/execute", Map.of("request_code", "doomed"));
    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.body().get("detail").asText()).contains(String.valueOf(doomed));
    assertThat(job(doomed).get("state").asText()).isEqualTo("failed");
    assertThat(job(doomed).get("error").asText()).isNotBlank();
    assertThat(job(other).get("state").asText()).isEqualTo("held");

    var later =
        api.post("/video/process/execute?wait=false", Map.of("request_code", "someone-else"));
    assertThat(later.status()).isEqualTo(202);
    var listed = api.get("/video/jobs?request_code=someone-else").body();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("job_id").asLong()).isEqualTo(other);
  }

  private static JsonNode record(long videoId) throws Exception {
    for (JsonNode v : api.get("/video/view/all?limit=1000").body()) {
      if (v.get("id").asLong() == videoId) {
        return v;
      }
    }
    throw new AssertionError("video " + videoId + " is not listed");
  }
}
