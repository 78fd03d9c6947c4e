package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.bridge.VideoApiFixture.Answer;
import io.ffmpegoperator.bridge.VideoApiFixture.Part;
import io.ffmpegoperator.crds.ConcatInfo;
import io.ffmpegoperator.crds.EncodeInfo;
import io.ffmpegoperator.crds.TrimInfo;
import io.ffmpegoperator.crds.TrimMode;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoOrigin;
import io.ffmpegoperator.crds.VideoSpec;
import io.ffmpegoperator.media.MediaInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Upload, list, info and download of the video API, on real Kubernetes API, S3 and ffprobe. */
class VideoLibraryIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final VideoApiFixture fx =
      VideoApiFixture.forTestClass(BridgeConfig.DEFAULT_EXECUTE_TIMEOUT);

  @TempDir static Path dir;
  private static Path clip;
  private static Path mkv;

  @BeforeAll
  static void clips() throws Exception {
    clip = fx.clip("clip.mp4", 1, 160, 120, 10, true);
    mkv = fx.clip("other.mkv", 1, 160, 120, 10, false);
  }

  @Test
  void uploadsOneFileAsARecordAnObjectAndAVideo() throws Exception {
    Answer answer = fx.upload(Part.of(clip));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    JsonNode record = answer.json().get(0);
    assertThat(answer.json()).hasSize(1);
    long id = record.get("id").asLong();
    String path = record.get("original_file_path").asText();
    // As the contract shows it; a second clip.mp4 in the same second would have a copy number.
    assertThat(path).matches("\\./storage/origin/clip_\\d{14}(_\\d+)?\\.mp4");
    String key = key(path);
    // Every key, in this order, and null where it does not apply.
    assertThat(record.toString())
        .isEqualTo(
            "{\"id\":"
                + id
                + ",\"original_file_path\":\""
                + path
                + "\",\"processed_file_path\":null,\"trim_info\":null,\"concat_info\":null,"
                + "\"encode_info\":null}");

    assertThat(fx.storage.size(key)).contains(Files.size(clip));
    await().untilAsserted(() -> assertThat(fx.bridge.uploadDir()).isEmptyDirectory());
    Video video = fx.video(id);
    assertThat(video.getSpec().getId()).isEqualTo(id);
    assertThat(video.getSpec().getOrigin()).isEqualTo(VideoOrigin.Upload);
    assertThat(video.getSpec().getFileKey()).isEqualTo(key);
    assertThat(video.getSpec().getUploadedFileName()).isEqualTo("clip.mp4");
    MediaInfo media = video.getSpec().getMedia();
    assertThat(media.getVideoCodec()).isEqualTo("h264");
    assertThat(media.getAudioCodec()).isEqualTo("aac");
    assertThat(media.resolution()).isEqualTo("160:120");
    assertThat(media.roundedFrameRate()).isEqualTo(10);
    assertThat(media.getDurationMillis()).isBetween(900L, 1100L);
  }

  @Test
  void uploadsSeveralFilesWithDistinctIdsAndKeysEvenWithTheSameName() throws Exception {
    Answer answer =
        fx.upload(
            Part.of(clip), Part.of("CLIP.MKV", mkv), Part.of(clip), Part.of("x y#.mp4", clip));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    answer
        .json()
        .forEach(
            record -> {
              ids.add(record.get("id").asLong());
              keys.add(record.get("original_file_path").asText());
            });
    assertThat(ids).doesNotHaveDuplicates().isSorted();
    assertThat(keys).hasSize(4);
    // The stem keeps its case, the extension is lower-cased.
    assertThat(keys)
        .anySatisfy(
            key -> assertThat(key).matches("\\./storage/origin/CLIP_\\d{14}(_\\d+)?\\.mkv"));
    assertThat(keys)
        .anySatisfy(
            key -> assertThat(key).matches("\\./storage/origin/x_y__\\d{14}(_\\d+)?\\.mp4"));
    assertThat(keys).filteredOn(key -> key.startsWith("./storage/origin/clip_")).hasSize(2);
    for (String key : keys) {
      assertThat(fx.storage.size(key(key))).as(key).isPresent();
    }
    for (long id : ids) {
      assertThat(fx.get("video/view/info?video_id=" + id).status()).isEqualTo(200);
    }
  }

  @Test
  void keepsNonLatinNamesReadableInKeysAndLinks() throws Exception {
    Answer answer = fx.upload(Part.of("영상 파일.MP4", clip));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    long id = answer.json().get(0).get("id").asLong();
    assertThat(answer.json().get(0).get("original_file_path").asText())
        .matches("\\./storage/origin/영상_파일_\\d{14}(_\\d+)?\\.mp4");
    assertThat(fx.video(id).getSpec().getUploadedFileName()).isEqualTo("영상 파일.MP4");
    String link =
        fx.get("video/download?video_id=" + id).json().get(0).get("download_link").asText();
    assertThat(fx.fetch(link)).isEqualTo(Files.readAllBytes(clip));
  }

  @Test
  void refusesWhatIsNotAVideoAndStoresNothing() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello\n");
    Path jpeg = fx.make("still.jpg", "-f", "lavfi", "-i", "testsrc=size=160x120", "-frames:v", "1");
    Path wav = fx.make("tone.wav", "-f", "lavfi", "-i", "sine=duration=1");
    Path rawH264 =
        fx.make(
            "raw.h264",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=160x120",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-f",
            "h264");
    byte[] playlist =
        ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n"
                + clip.toAbsolutePath()
                + "\n#EXT-X-ENDLIST\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] concatList =
        ("ffconcat version 1.0\nfile '" + clip.toAbsolutePath() + "'\n")
            .getBytes(StandardCharsets.UTF_8);
    int videosBefore = fx.videos().size();
    List<String> objectsBefore = fx.objects("origin/");

    assertRefused(fx.upload(Part.of(text)), "Unsupported file format: notes.txt");
    assertRefused(fx.upload(Part.of("movie.avi.txt", clip)), "Unsupported file format");
    assertRefused(fx.upload(Part.of("noextension", clip)), "Unsupported file format");
    assertRefused(fx.upload(Part.of("fake.mp4", text)), "text file");
    assertRefused(fx.upload(Part.of("playlist.mp4", playlist)), "text file");
    assertRefused(fx.upload(Part.of("list.mp4", concatList)), "text file");
    assertRefused(fx.upload(Part.of("empty.mp4", new byte[0])), "empty");
    // ffprobe may only open uploads with the allowed demuxers: other content does not read at all.
    assertRefused(fx.upload(Part.of("photo.mp4", jpeg)), "could not be read");
    assertRefused(fx.upload(Part.of("raw.mp4", rawH264)), "could not be read");
    assertRefused(fx.upload(Part.of("song.mp4", wav)), "could not be read");
    assertRefused(fx.upload(Part.of("garbage.mkv", randomBytes(4096))), "could not be read");
    // One bad file spoils the whole request, whichever position it has.
    assertRefused(fx.upload(Part.of(clip), Part.of("fake.mp4", text)), "fake.mp4");
    assertRefused(fx.upload(Part.of(text), Part.of(clip)), "notes.txt");

    assertThat(fx.videos()).hasSize(videosBefore);
    assertThat(fx.objects("origin/")).isEqualTo(objectsBefore);
    // Parts never probed, and probed ones, are gone with their request.
    await().untilAsserted(() -> assertThat(fx.bridge.uploadDir()).isEmptyDirectory());
  }

  @Test
  void refusesUnsafeFileNamesAndStoresNothing() throws Exception {
    int videosBefore = fx.videos().size();
    List<String> objectsBefore = fx.objects("origin/");

    for (String name :
        List.of(
            "evil\u202E4pm.exe.mp4",
            "zero\u200Bwidth.mp4",
            "bell\u0007.mp4",
            "dir/clip.mp4",
            // Escaped, as a quoted header value must be: the parser reads \\ as one backslash.
            "dir\\\\clip.mp4",
            "dir\u2215clip.mp4",
            "dir\u2044clip.mp4",
            "dir\uFF0Fclip.mp4",
            "dir\uFF3Cclip.mp4",
            "dir\u29F8clip.mp4",
            "dir\u29F9clip.mp4",
            ".hidden.mp4",
            "..mp4",
            "a..b.mp4",
            "x".repeat(252) + ".mp4")) {
      // Raw UTF-8 in the header, as browsers send names; the good clip must not save the request.
      Answer answer = fx.upload(Part.of(clip), Part.of(name, clip));
      assertThat(answer.status()).as(name + ": " + answer.text()).isEqualTo(400);
      assertThat(answer.detail()).as(name).startsWith("Invalid file name (file 2): ");
      assertThat(answer.text()).as(name).doesNotContain(name);
    }

    assertThat(fx.videos()).hasSize(videosBefore);
    assertThat(fx.objects("origin/")).isEqualTo(objectsBefore);
    await().untilAsserted(() -> assertThat(fx.bridge.uploadDir()).isEmptyDirectory());
  }

  @Test
  void aRequestWithoutFilesIsAFastApi422() throws Exception {
    for (Answer answer :
        List.of(
            fx.uploadAs("file", Part.of(clip)),
            fx.send(
                HttpRequest.newBuilder(fx.bridge.uri().resolve("video/upload"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                    .build()),
            fx.send(
                HttpRequest.newBuilder(fx.bridge.uri().resolve("video/upload"))
                    .PUT(HttpRequest.BodyPublishers.noBody())
                    .build()))) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(422);
      JsonNode error = answer.json().get("detail").get(0);
      assertThat(error.get("type").asText()).isEqualTo("missing");
      assertThat(error.get("loc").toString()).isEqualTo("[\"body\",\"files\"]");
    }
  }

  @Test
  void fiftyConcurrentUploadsGetFiftyDistinctIds() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Answer>> uploads = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String name = "same-" + (i % 5) + ".mp4";
        uploads.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return fx.upload(Part.of(name, clip));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      Set<Long> ids = new HashSet<>();
      Set<String> keys = new HashSet<>();
      for (CompletableFuture<Answer> upload : uploads) {
        Answer answer = upload.get();
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        ids.add(answer.json().get(0).get("id").asLong());
        keys.add(key(answer.json().get(0).get("original_file_path").asText()));
      }
      assertThat(ids).hasSize(50);
      assertThat(keys).hasSize(50);
      // Ten uploads of each name: ten names, told apart by second and copy number.
      assertThat(keys).allMatch(key -> key.matches("origin/same-\\d_\\d{14}(_\\d+)?\\.mp4"));
      assertThat(fx.objects("origin/")).containsAll(keys);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listsRecordsOrderedByIdInPages() throws Exception {
    fx.uploadIds(clip, clip, clip);
    int total = fx.videos().size();
    List<Long> all =
        await()
            .until(() -> ids(fx.get("video/view/all?limit=100000")), list -> list.size() == total);
    assertThat(all).isSorted().doesNotHaveDuplicates();

    assertThat(ids(fx.get("video/view/all?skip=1&limit=2"))).isEqualTo(all.subList(1, 3));
    assertThat(ids(fx.get("video/view/all?limit=0"))).isEmpty();
    assertThat(ids(fx.get("video/view/all?skip=" + total))).isEmpty();
    assertThat(ids(fx.get("video/view/all"))).isEqualTo(all.subList(0, Math.min(100, total)));

    assertQueryError(fx.get("video/view/all?skip=-1"), "greater_than_equal", "skip");
    assertQueryError(fx.get("video/view/all?limit=-5"), "greater_than_equal", "limit");
    assertQueryError(fx.get("video/view/all?skip=abc"), "int_parsing", "skip");
    assertQueryError(fx.get("video/view/all?limit=1.5"), "int_parsing", "limit");
  }

  @Test
  void infoDescribesTheStreamsWithOrWithoutTrailingSlash() throws Exception {
    List<Long> ids = fx.uploadIds(clip, mkv);

    for (String path : List.of("video/view/info?video_id=", "video/view/info/?video_id=")) {
      Answer info = fx.get(path + ids.get(0));
      assertThat(info.status()).as(info.text()).isEqualTo(200);
      assertThat(info.text())
          .isEqualTo(
              "{\"video_streams\":\"h264\",\"audio_streams\":\"aac\",\"resolution\":\"160:120\","
                  + "\"frame_rate\":10}");
    }
    assertThat(
            fx.get("video/view/info?video_id=" + ids.get(1)).json().get("audio_streams").isNull())
        .isTrue();

    Answer unknown = fx.get("video/view/info/?video_id=999999");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text()).isEqualTo("{\"detail\":\"Video not found\"}");
    assertQueryError(fx.get("video/view/info"), "missing", "video_id");
    assertQueryError(fx.get("video/view/info?video_id=thirteen"), "int_parsing", "video_id");

    long broken = 900_001;
    createVideo(broken, VideoOrigin.Upload, "origin/broken.mp4", null);
    Answer unreadable = fx.get("video/view/info?video_id=" + broken);
    assertThat(unreadable.status()).isEqualTo(500);
    assertThat(unreadable.detail()).contains("information");
  }

  @Test
  void downloadLinkServesTheUploadedBytes() throws Exception {
    long id = fx.uploadIds(clip).get(0);

    Answer answer = fx.get("video/download?video_id=" + id);

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json()).hasSize(1);
    String link = answer.json().get(0).get("download_link").asText();
    assertThat(link).contains("X-Amz-Expires=604800");
    assertThat(fx.fetch(link)).isEqualTo(Files.readAllBytes(clip));
  }

  @Test
  void downloadOfAnUnknownIdOrAMissingFileIs404() throws Exception {
    Answer unknown = fx.get("video/download?video_id=987654");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.detail()).isEqualTo("Video not found");

    long gone = 900_002;
    createVideo(gone, VideoOrigin.Trim, "modi/never-stored.mkv", new MediaInfo());
    Answer missing = fx.get("video/download?video_id=" + gone);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.detail()).isEqualTo("Video file not found");
    assertQueryError(fx.get("video/download"), "missing", "video_id");
  }

  @Test
  void storagePathsServeTheFilesOfTheirFilePaths() throws Exception {
    String path = fx.upload(Part.of(clip)).json().get(0).get("original_file_path").asText();
    // The file_path without its leading '.' is where the file is served.
    HttpResponse<String> upload = storageGet(path.substring(1));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(307);
    String link = upload.headers().firstValue("Location").orElseThrow();
    assertThat(link).contains("X-Amz-Expires=604800");
    assertThat(fx.fetch(link)).isEqualTo(Files.readAllBytes(clip));

    // A result, a file of an earlier version's shape, and a Korean name (percent-encoded).
    for (String key :
        List.of(
            "modi/clip_trim_20240910161824.mp4",
            "origin/20240910161824_13_old.MP4",
            "modi/영상_encode_20240910161824_2.mp4")) {
      fx.storage.put(key, clip);
      String encoded =
          "/storage/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
      HttpResponse<String> answer = storageGet(encoded);
      assertThat(answer.statusCode()).as(key).isEqualTo(307);
      assertThat(fx.fetch(answer.headers().firstValue("Location").orElseThrow()))
          .isEqualTo(Files.readAllBytes(clip));
    }

    HttpResponse<String> unknown = storageGet("/storage/origin/nope_20240910161824.mp4");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"detail\":\"File not found\"}");
    assertThat(storageGet(path.substring(1), false).statusCode()).isEqualTo(401);
  }

  @Test
  void storagePathsReachNothingElseOfTheBucket() throws Exception {
    fx.storage.putText("secret.txt", "not a library file");
    fx.storage.putText("ffmpeg-outputs/task/out.mp4", "not a library file");
    fx.storage.putText("origin/sub/clip.mp4", "not a plain name under origin/");
    for (String path :
        List.of(
            "/storage/origin/..%2Fsecret.txt",
            "/storage/origin/%2E%2E%2Fsecret.txt",
            "/storage/origin/%2e%2e%2fsecret.txt",
            "/storage/modi/..%2F..%2Fsecret.txt",
            "/storage/modi/..%5Csecret.txt",
            "/storage/modi/..%2Fffmpeg-outputs%2Ftask%2Fout.mp4",
            "/storage/origin/sub%2Fclip.mp4",
            "/storage/origin/..",
            "/storage/origin/%2E%2E",
            "/storage/origin/.",
            "/storage/origin/.hidden.mp4",
            "/storage/origin/%00.mp4",
            "/storage/origin/a%0Ab.mp4",
            "/storage/origin/",
            "/storage/origin/sub/clip.mp4",
            "/storage/secret.txt",
            "/storage/ffmpeg-outputs/task/out.mp4",
            "/storage/origin/../../secret.txt")) {
      HttpResponse<String> answer = storageGet(path);
      assertThat(answer.statusCode()).as(path).isEqualTo(404);
      assertThat(answer.headers().firstValue("Location")).as(path).isEmpty();
      assertThat(JSON.readTree(answer.body()).get("detail").isTextual()).as(path).isTrue();
    }
  }

  /**
   * GET of a raw path (sent as written, not normalised) with the API key; redirects not followed.
   */
  private static HttpResponse<String> storageGet(String rawPath) throws Exception {
    return storageGet(rawPath, true);
  }

  private static HttpResponse<String> storageGet(String rawPath, boolean withKey) throws Exception {
    String base = fx.bridge.uri().toString().replaceAll("/$", "");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + rawPath));
    if (withKey) {
      request.header("Authorization", "Bearer " + VideoApiFixture.API_KEY);
    }
    return fx.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void producedVideosShowTheirFileAndHowTheyWereMade() throws Exception {
    TrimInfo trimInfo = new TrimInfo();
    trimInfo.setTrimStart(0L);
    trimInfo.setTrimEnd(5000L);
    trimInfo.setMode(TrimMode.Accurate);
    ConcatInfo concatInfo = new ConcatInfo();
    concatInfo.setVideoIds(List.of(1L, 2L, 1L));
    EncodeInfo encodeInfo = new EncodeInfo();
    encodeInfo.setVideoCodec("libx265");
    encodeInfo.setAudioCodec("aac");
    encodeInfo.setResolution("1280:720");
    encodeInfo.setFrameRate(24);
    createVideo(
        900_010, VideoOrigin.Trim, "modi/video_trim_1.mkv", null, s -> s.setTrimInfo(trimInfo));
    createVideo(
        900_011,
        VideoOrigin.Concat,
        "modi/video_concat_2.mp4",
        null,
        s -> s.setConcatInfo(concatInfo));
    createVideo(
        900_012,
        VideoOrigin.Encode,
        "modi/video_encode_3.mp4",
        null,
        s -> s.setEncodeInfo(encodeInfo));

    JsonNode records =
        await()
            .until(
                () -> fx.get("video/view/all?skip=0&limit=1000000").json(),
                all -> all.toString().contains("900012"));
    JsonNode byId = null;
    for (JsonNode record : records) {
      if (record.get("id").asLong() == 900_010) {
        byId = record;
      }
    }
    assertThat(byId.toString())
        .isEqualTo(
            "{\"id\":900010,\"original_file_path\":null,"
                + "\"processed_file_path\":\"./storage/modi/video_trim_1.mkv\","
                + "\"trim_info\":{\"trim_start\":0,\"trim_end\":5000,\"mode\":\"accurate\"},"
                + "\"concat_info\":null,\"encode_info\":null}");
    assertThat(records.toString())
        .contains("\"concat_info\":{\"video_ids\":[1,2,1]}")
        .contains(
            "\"encode_info\":{\"video_codec\":\"libx265\",\"audio_codec\":\"aac\","
                + "\"resolution\":\"1280:720\",\"frame_rate\":24}");
  }

  /** The S3 key of a file_path the API showed. */
  private static String key(String path) {
    assertThat(path).startsWith("./storage/");
    return path.substring("./storage/".length());
  }

  private static Video createVideo(long id, VideoOrigin origin, String key, MediaInfo media) {
    return createVideo(id, origin, key, media, spec -> {});
  }

  private static Video createVideo(
      long id, VideoOrigin origin, String key, MediaInfo media, Consumer<VideoSpec> more) {
    VideoSpec spec = new VideoSpec();
    more.accept(spec);
    spec.setId(id);
    spec.setOrigin(origin);
    spec.setFileKey(key);
    spec.setMedia(media);
    Video video = new Video();
    video.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(Video.nameFor(id))
            .withNamespace(VideoApiFixture.NS)
            .build());
    video.setSpec(spec);
    return fx.client().resource(video).create();
  }

  private static void assertRefused(Answer answer, String detail) throws Exception {
    assertThat(answer.status()).as(answer.text()).isEqualTo(415);
    assertThat(answer.detail()).contains(detail).contains("mp4, avi, mov, mkv");
  }

  private static void assertQueryError(Answer answer, String type, String field) throws Exception {
    assertThat(answer.status()).as(answer.text()).isEqualTo(422);
    JsonNode error = answer.json().get("detail").get(0);
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("loc").toString()).isEqualTo("[\"query\",\"" + field + "\"]");
  }

  private static List<Long> ids(Answer answer) throws Exception {
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    answer.json().forEach(record -> ids.add(record.get("id").asLong()));
    return ids;
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(42).nextBytes(bytes);
    bytes[0] = 0;
    return bytes;
  }
}
