package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video library API end to end: upload, probe, queue, execute and download on the embedded
 * stack, with real ffmpeg doing every job and ffprobe checking every result.
 */
class VideoApiIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();
  @TempDir static Path media;
  private static TestingApiClient api;
  private static long clipA;
  private static long clipB;
  private static long small;
  private static long otherRate;

  @BeforeAll
  static void start() throws Exception {
    api = stack.api();
    stack.media().clip(media.resolve("a.mp4"), 2, 320, 240, 10);
    stack.media().clip(media.resolve("b.mp4"), 1, 320, 240, 10);
    stack.media().clip(media.resolve("small.mp4"), 1, 160, 120, 10);
    stack.media().clip(media.resolve("fast.mp4"), 1, 320, 240, 25);
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

  private static long queue(String path, Map<String, Object> body) throws Exception {
    var answer = api.post(path, body);
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    assertThat(answer.body().get("message").asText()).endsWith("job added to queue");
    return answer.body().get("job_id").asLong();
  }

  /**
   * Queues a job, which must be held until its request code is executed; executes that code, after
   * which the job must have succeeded; returns the id of the video it made.
   */
  private static long process(String path, Map<String, Object> request) throws Exception {
    long job = queue(path, request);
    assertThat(job(job).get("state").asText()).isEqualTo("held");
    execute((String) request.get("request_code"));
    JsonNode done = job(job);
    assertThat(done.get("state").asText()).isEqualTo("succeeded");
    return done.get("output_video_id").asLong();
  }

  /** The body of an encoding request. */
  private static Map<String, Object> encoding(
      String code,
      long videoId,
      String videoCodec,
      String audioCodec,
      String resolution,
      int frameRate) {
    return Map.of(
        "request_code", code,
        "video_id", videoId,
        "video_codec", videoCodec,
        "audio_codec", audioCodec,
        "resolution", resolution,
        "frame_rate", frameRate);
  }

  /** The body of a trim request. */
  private static Map<String, Object> trim(String code, long videoId, String start, String end) {
    return Map.of("request_code", code, "video_id", videoId, "trim_start", start, "trim_end", end);
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
    return stack.media().probe(file).get("format").get("duration").asDouble();
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
    assertThat(record.get("original_file_path").asText())
        .matches("\\./storage/origin/a_\\d{14}(_\\d+)?\\.mp4");
    // The file_path, without its leading '.', serves the file.
    assertThat(Files.readAllBytes(fetchFilePath(record.get("original_file_path").asText(), out)))
        .isEqualTo(Files.readAllBytes(media.resolve("a.mp4")));
    var unknown = api.get("/storage/origin/a_20000101000000.mp4");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("detail").asText()).isEqualTo("File not found");
    assertThat(
            api.get("/storage/origin/..%2F" + key(record.get("original_file_path").asText()))
                .status())
        .isEqualTo(404);
    assertThat(record.get("processed_file_path").isNull()).isTrue();
    assertThat(record.get("trim_info").isNull()).isTrue();
    assertThat(api.get("/video/view/all?skip=1&limit=2").body()).hasSize(2);
    assertThat(api.get("/video/view/all?skip=-1").status()).isEqualTo(422);
  }

  @Test
  void unknownVideosAre404() throws Exception {
    assertThat(api.get("/video/view/info/?video_id=999999").status()).isEqualTo(404);
    assertThat(api.get("/video/download?video_id=999999").status()).isEqualTo(404);
    assertThat(api.post("/video/process/trim", trim("x", 999999, "0", "5")).status())
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
    long video = process("/video/process/trim", trim("trim-accurate", clipA, "500", "1500"));
    // 10 fps: one frame is 0.1 s.
    assertThat(duration(download(video, out))).isBetween(0.9, 1.1);
    JsonNode record = record(video);
    assertThat(record.get("processed_file_path").asText())
        .matches("\\./storage/modi/a_trim_\\d{14}(_\\d+)?\\.mp4");
    assertThat(Files.readAllBytes(fetchFilePath(record.get("processed_file_path").asText(), out)))
        .isEqualTo(Files.readAllBytes(download(video, out)));
    assertThat(record.get("trim_info").get("trim_start").asLong()).isEqualTo(500);
    assertThat(record.get("trim_info").get("trim_end").asLong()).isEqualTo(1500);
    assertThat(record.get("trim_info").get("mode").asText()).isEqualTo("accurate");
    var info = api.get("/video/view/info/?video_id=" + video).body();
    assertThat(info.get("resolution").asText()).isEqualTo("320:240");
    // An MP4 stays an MP4.
    assertThat(record.get("processed_file_path").asText()).endsWith(".mp4");
    assertThat(stack.media().probe(download(video, out)).at("/format/tags/major_brand").asText())
        .isEqualTo("isom");
  }

  @Test
  void fastTrimCopiesAndSaysSo(@TempDir Path out) throws Exception {
    Map<String, Object> fast = new HashMap<>(trim("trim-fast", clipA, "0s", "00:00:01.000"));
    fast.put("mode", "fast");
    long video = process("/video/process/trim", fast);
    assertThat(record(video).get("trim_info").get("mode").asText()).isEqualTo("fast");
    assertThat(duration(download(video, out))).isBetween(0.5, 1.5);
    assertThat(record(video).get("processed_file_path").asText()).endsWith(".mp4");
    assertThat(stack.media().probe(download(video, out)).at("/format/tags/major_brand").asText())
        .isEqualTo("isom");
  }

  @Test
  void trimKeepsAWebmUnlessItCannotHoldTheResult(@TempDir Path out) throws Exception {
    Path webm = stack.media().webmClip(media.resolve("vp9.webm"), 2, 160, 120);
    // Matroska with H.264 under a WebM name: a trim cannot stay WebM, which holds no H.264.
    Path misnamed =
        Files.move(
            stack.media().clip(media.resolve("h264.mkv"), 2, 160, 120), media.resolve("h264.webm"));
    var upload = api.upload(webm, misnamed);
    assertThat(upload.status()).as(String.valueOf(upload.body())).isEqualTo(200);
    long vp9 = upload.body().get(0).get("id").asLong();
    long h264 = upload.body().get(1).get("id").asLong();

    long kept = process("/video/process/trim", trim("trim-webm", vp9, "0", "1000"));
    assertThat(record(kept).get("processed_file_path").asText()).endsWith(".webm");
    Path keptFile = download(kept, out);
    assertThat(docType(keptFile)).isEqualTo("webm");
    JsonNode probe = stack.media().probe(keptFile);
    assertThat(probe.at("/streams/0/codec_name").asText()).isEqualTo("vp9");
    assertThat(probe.at("/streams/1/codec_name").asText()).isEqualTo("opus");

    Map<String, Object> fast = new HashMap<>(trim("trim-webm", h264, "0", "1000"));
    fast.put("mode", "fast");
    long moved = process("/video/process/trim", fast);
    assertThat(record(moved).get("processed_file_path").asText()).endsWith(".mkv");
    Path movedFile = download(moved, out);
    assertThat(docType(movedFile)).isEqualTo("matroska");
    assertThat(stack.media().probe(movedFile).at("/streams/0/codec_name").asText())
        .isEqualTo("h264");
  }

  /** The EBML DocType of a Matroska file: "webm" or "matroska". */
  private static String docType(Path file) throws Exception {
    String head = new String(Files.readAllBytes(file), 0, 64, StandardCharsets.ISO_8859_1);
    return head.contains("webm") ? "webm" : head.contains("matroska") ? "matroska" : head;
  }

  @Test
  void concatIsAStreamCopyInTheGivenOrder(@TempDir Path out) throws Exception {
    long video =
        process(
            "/video/process/concat",
            Map.of("request_code", "concat", "video_ids", List.of(clipA, clipB, clipA)));
    Path joined = download(video, out);
    assertThat(duration(joined)).isBetween(4.8, 5.2);
    List<String> expected =
        new ArrayList<>(stack.media().videoPacketHashes(media.resolve("a.mp4")));
    expected.addAll(stack.media().videoPacketHashes(media.resolve("b.mp4")));
    expected.addAll(stack.media().videoPacketHashes(media.resolve("a.mp4")));
    assertThat(stack.media().videoPacketHashes(joined)).isEqualTo(expected);
    assertThat(record(video).get("processed_file_path").asText())
        .matches("\\./storage/modi/a_concat_\\d{14}(_\\d+)?\\.mp4");
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
    long video =
        process(
            "/video/process/encoding", encoding("encode", clipA, "libx264", "aac", "160:120", 15));
    var info = api.get("/video/view/info/?video_id=" + video).body();
    assertThat(info.get("video_streams").asText()).isEqualTo("h264");
    assertThat(info.get("resolution").asText()).isEqualTo("160:120");
    assertThat(info.get("frame_rate").asInt()).isEqualTo(15);
    JsonNode probe = stack.media().probe(download(video, out));
    assertThat(probe.get("streams").get(0).get("avg_frame_rate").asText()).isEqualTo("15/1");
    assertThat(record(video).get("encode_info").get("resolution").asText()).isEqualTo("160:120");
    assertThat(record(video).get("processed_file_path").asText())
        .matches("\\./storage/modi/a_encode_\\d{14}(_\\d+)?\\.mp4");
  }

  @Test
  void encodeTakesCodecNamesAndRunsTheirUsualEncoder(@TempDir Path out) throws Exception {
    long h264 =
        queue("/video/process/encoding", encoding("by-codec", clipB, "h264", "aac", "160:120", 10));
    long hevc =
        queue("/video/process/encoding", encoding("by-codec", clipB, "hevc", "aac", "160:120", 10));
    execute("by-codec");
    for (long job : List.of(h264, hevc)) {
      JsonNode done = job(job);
      assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
      long video = done.get("output_video_id").asLong();
      String asked = job == h264 ? "h264" : "hevc";
      JsonNode probe = stack.media().probe(download(video, out));
      assertThat(probe.get("streams").get(0).get("codec_name").asText()).isEqualTo(asked);
      assertThat(record(video).get("encode_info").get("video_codec").asText()).isEqualTo(asked);
    }
  }

  @Test
  void badEncodeRequestsAre400() throws Exception {
    Map<String, Object> same = encoding("bad-encode", clipA, "libx264", "aac", "320:240", 10);
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
      var answer = api.post("/video/process/trim", trim("bad-trim", clipA, times[0], times[1]));
      assertThat(answer.status()).as(String.join("..", times)).isEqualTo(400);
    }
  }

  @Test
  void executeReleasesOnlyItsCodeAndReportsFailures() throws Exception {
    var none = api.post("/video/process/execute", Map.of("request_code", "nothing-queued"));
    assertThat(none.status()).isEqualTo(400);

    long other = queue("/video/process/trim", trim("someone-else", clipB, "0", "500"));
    // A job whose input vanished before execute fails; execute names it.
    var upload = api.upload(media.resolve("b.mp4"));
    long doomedVideo = upload.body().get(0).get("id").asLong();
    long doomed = queue("/video/process/trim", trim("doomed", doomedVideo, "0", "500"));
    stack.storage().delete(key(upload.body().get(0).get("original_file_path").asText()));
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

  @Test
  void resultsOfTheSameSourceAndSecondGetNamesOfTheirOwn() throws Exception {
    long first = queue("/video/process/trim", trim("twins", clipB, "0", "500"));
    long second = queue("/video/process/trim", trim("twins", clipB, "0", "500"));
    execute("twins");
    List<String> paths = new ArrayList<>();
    for (long job : List.of(first, second)) {
      paths.add(
          record(job(job).get("output_video_id").asLong()).get("processed_file_path").asText());
    }
    assertThat(paths)
        .doesNotHaveDuplicates()
        .allMatch(path -> path.matches("\\./storage/modi/b_trim_\\d{14}(_\\d+)?\\.mp4"));
  }

  @Test
  void filesStoredByAnEarlierVersionStillListDownloadAndProcess(@TempDir Path out)
      throws Exception {
    // As an earlier version stored an upload: origin/<stamp>_<id>_<name>, the extension as sent.
    long id = 900_000 + clipA;
    String key = "origin/20240910161824_" + id + "_legacy.MP4";
    stack.storage().put(key, media.resolve("a.mp4"));
    Video copy =
        stack
            .kubernetesClient()
            .resources(Video.class)
            .inNamespace(stack.config().namespace())
            .withName(Video.nameFor(clipA))
            .get();
    VideoSpec spec = copy.getSpec();
    spec.setId(id);
    spec.setFileKey(key);
    spec.setUploadedFileName("legacy.MP4");
    Video legacy = new Video();
    legacy.setMetadata(
        new ObjectMetaBuilder()
            .withName(Video.nameFor(id))
            .withNamespace(stack.config().namespace())
            .build());
    legacy.setSpec(spec);
    stack.kubernetesClient().resource(legacy).create();

    assertThat(record(id).get("original_file_path").asText()).isEqualTo("./storage/" + key);
    assertThat(Files.readAllBytes(fetchFilePath("./storage/" + key, out)))
        .isEqualTo(Files.readAllBytes(media.resolve("a.mp4")));
    assertThat(Files.readAllBytes(download(id, out)))
        .isEqualTo(Files.readAllBytes(media.resolve("a.mp4")));
    long trimmed = process("/video/process/trim", trim("legacy", id, "0", "1000"));
    assertThat(record(trimmed).get("processed_file_path").asText())
        .matches("\\./storage/modi/legacy_trim_\\d{14}(_\\d+)?\\.mp4");
    assertThat(duration(download(trimmed, out))).isBetween(0.9, 1.1);
  }

  /** Fetches a file_path the API showed from the bridge, following its redirect. */
  private static Path fetchFilePath(String filePath, Path dir) throws Exception {
    var answer = api.getRedirect(filePath.substring(1));
    assertThat(answer.status()).as(filePath).isEqualTo(307);
    Path file = dir.resolve("served-" + System.nanoTime());
    assertThat(api.download(answer.location(), file)).isEqualTo(200);
    return file;
  }

  /** The S3 key of a file_path the API showed. */
  private static String key(String path) {
    assertThat(path).startsWith("./storage/");
    return path.substring("./storage/".length());
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
