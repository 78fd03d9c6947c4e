package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.dev.stack.TestingApiClient.Answer;
import io.ffmpegoperator.operator.JdkHttpServers;
import io.ffmpegoperator.settings.ApiClients;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bad-input suite: hostile commands, filters, protocols, placeholders, file names, JSON, sizes,
 * URLs and media against the running stack, with API keys on and input URLs limited to public
 * addresses plus 127.0.0.1 (the stand-in for "a media server on the internet"). Each case asserts
 * the status code and that nothing happened: no resource, no Job, no output, no connection to the
 * forbidden listener on 127.0.0.2 (the stand-in for cloud metadata and internal services), no file
 * written outside the work folder, and no byte of the secret anywhere.
 */
class BadInputIT {
  private static final String KEY = "bad-input-suite-" + UUID.randomUUID();
  private static final String SECRET = "SECRET-" + UUID.randomUUID();
  private static final Path CANARY = Path.of("/tmp", "ffmpeg-operator-canary-" + UUID.randomUUID());

  @RegisterExtension
  static final TestingStack stack =
      new TestingStack(
          config ->
              config.withInputAllowedNetworks("127.0.0.1/32").withApiClients(ApiClients.of(KEY)));

  @TempDir static Path media;
  private static TestingApiClient api;
  private static TestingApiClient anonymous;
  private static TestingRecordingServer forbidden;
  private static HttpServer allowed;
  private static Path secretFile;

  @BeforeAll
  static void start() throws Exception {
    api = new TestingApiClient(stack.apiUri(), KEY);
    anonymous = stack.api();
    forbidden = new TestingRecordingServer("127.0.0.2", SECRET);
    secretFile = Files.writeString(media.resolve("secret.txt"), SECRET + "\n");
    prepareMedia();
    allowed = servingMedia();
  }

  @AfterAll
  static void stop() throws Exception {
    allowed.stop(0);
    forbidden.close();
  }

  /** Files the allowed server offers: a real clip and hostile ones dressed as video. */
  private static void prepareMedia() throws Exception {
    TestingMedia ffmpeg = stack.media();
    ffmpeg.clip(media.resolve("clip.mp4"), 1, 160, 120);
    Files.writeString(
        media.resolve("playlist.mp4"),
        "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n"
            + forbiddenUrl("/segment.ts")
            + "\n#EXTINF:1,\nfile://"
            + secretFile
            + "\n#EXT-X-ENDLIST\n");
    Files.writeString(
        media.resolve("list.mp4"),
        "ffconcat version 1.0\nfile '" + secretFile + "'\nfile '" + forbiddenUrl("/x") + "'\n");
    Files.write(media.resolve("empty.mp4"), new byte[0]);
    Files.writeString(media.resolve("notes.mp4"), "just some text, not a video\n");
    Path png = media.resolve("tiny.png");
    TestingMedia.run(
        stack.ffmpeg().ffmpeg().toString(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "color=red:s=32x32:d=1",
        "-frames:v",
        "1",
        png.toString());
    Path bombPng = pixelBomb(png, media.resolve("bomb.png"));
    // The same claim inside a Matroska file: 700 bytes that promise 16000x16000 frames.
    TestingMedia.run(
        stack.ffmpeg().ffmpeg().toString(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-i",
        bombPng.toString(),
        "-c",
        "copy",
        media.resolve("bomb.mkv").toString());
  }

  /** A PNG whose header claims 16000x16000 pixels (with a valid checksum) over 32x32 of data. */
  private static Path pixelBomb(Path png, Path target) throws Exception {
    byte[] bytes = Files.readAllBytes(png);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.putInt(16, 16000).putInt(20, 16000); // IHDR width and height
    CRC32 crc = new CRC32();
    crc.update(bytes, 12, 17); // chunk type and data
    buffer.putInt(29, (int) crc.getValue());
    return Files.write(target, bytes);
  }

  /** Serves media/ on 127.0.0.1; {@code /redirect?to=URL} answers 302 to that URL. */
  private static HttpServer servingMedia() throws Exception {
    HttpServer server = JdkHttpServers.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/redirect")) {
            String to = exchange.getRequestURI().getQuery().substring("to=".length());
            exchange.getResponseHeaders().add("Location", to);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
          }
          Path file = media.resolve(path.substring(1)).normalize();
          if (!file.startsWith(media) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          exchange.sendResponseHeaders(200, Files.size(file) == 0 ? -1 : Files.size(file));
          try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
          }
        });
    server.start();
    return server;
  }

  private static String allowedUrl(String path) {
    return "http://127.0.0.1:" + allowed.getAddress().getPort() + path;
  }

  private static String forbiddenUrl(String path) {
    return "http://127.0.0.2:" + forbidden.port() + path;
  }

  /** What a case expects beyond its status code. */
  private enum Outcome {
    /** Refused at the door: nothing at all may exist afterwards. */
    REFUSED,
    /** Accepted, then the task fails before anything is stored; the message names the cause. */
    TASK_FAILS
  }

  /**
   * One hostile request.
   *
   * @param failure for {@link Outcome#TASK_FAILS}, a fragment of the task's error message
   */
  private record Case(String name, int status, Outcome outcome, String failure, Request request) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  private interface Request {
    Answer send() throws Exception;
  }

  private static Case refused(String name, int status, Request request) {
    return new Case(name, status, Outcome.REFUSED, null, request);
  }

  private static Case command(String name, String command) {
    return refused(name, 422, () -> register(command, Map.of("in_1", allowedUrl("/clip.mp4"))));
  }

  private static Case input(String name, String url) {
    return refused(name, 422, () -> register("-i in_1 -c copy out_1", Map.of("in_1", url)));
  }

  private static Case failingInput(String name, String url, String failure) {
    return new Case(
        name,
        200,
        Outcome.TASK_FAILS,
        failure,
        () -> register("-i in_1 -c copy out_1", Map.of("in_1", url)));
  }

  private static Case upload(String name, int status, String fileName, String mediaFile) {
    return refused(name, status, () -> api.upload(List.of(fileName), media.resolve(mediaFile)));
  }

  private static Answer register(String command, Map<String, String> inputs) throws Exception {
    return register(command, inputs, Map.of("out_1", "out.mp4"));
  }

  private static Answer register(
      String command, Map<String, String> inputs, Map<String, String> outputs) throws Exception {
    return api.post(
        "/ffmpeg/register",
        Map.of("ffmpeg_command", command, "input_files", inputs, "output_files", outputs));
  }

  private static Answer json(String body) throws Exception {
    return api.raw(
        "POST", "/ffmpeg/register", "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Case> cases() {
    String clip = allowedUrl("/clip.mp4");
    List<Case> cases = new ArrayList<>();
    // Commands that read files of the pod, write outside the work folder, or open URLs.
    cases.add(command("raw data input reads any file", "-f data -i in_1 out_1"));
    cases.add(command("movie filter opens a file", "-i in_1 -vf movie=" + secretFile + " out_1"));
    cases.add(
        command(
            "drawtext textfile reads a file",
            "-i in_1 -vf drawtext=textfile=" + secretFile + " out_1"));
    cases.add(
        command(
            "filter script from a file",
            "-i in_1 -filter_complex_script " + secretFile + " out_1"));
    cases.add(command("ffmpeg 7 option from a file", "-i in_1 -/vf " + secretFile + " out_1"));
    cases.add(command("concat protocol", "-i concat:in_1|" + secretFile + " out_1"));
    cases.add(command("subfile protocol", "-i subfile:,,start,0,end,0,:" + secretFile + " out_1"));
    cases.add(command("vstats file written anywhere", "-i in_1 -vstats_file " + CANARY + " out_1"));
    cases.add(command("pass log file", "-i in_1 -pass 1 -passlogfile " + CANARY + " out_1"));
    cases.add(command("extra output file", "-i in_1 out_1 " + CANARY));
    cases.add(command("tee muxer writes more files", "-i in_1 -f tee out_1"));
    cases.add(command("progress to a URL", "-i in_1 -progress " + forbiddenUrl("/p") + " out_1"));
    cases.add(command("amovie opens a URL", "-i in_1 -af amovie=" + forbiddenUrl("/a") + " out_1"));
    cases.add(
        command(
            "metadata filter writes to a URL",
            "-i in_1 -vf metadata=mode=print:file=" + forbiddenUrl("/m") + " out_1"));
    cases.add(command("source filter that never ends", "-filter_complex testsrc -i in_1 out_1"));
    cases.add(command("input looped forever", "-stream_loop -1 -i in_1 out_1"));
    cases.add(
        command(
            "user widens the protocol whitelist", "-protocol_whitelist file,http -i in_1 out_1"));
    cases.add(command("user keeps input metadata", "-i in_1 -map_metadata 0 out_1"));
    // Placeholders.
    cases.add(command("placeholder inside an argument", "-i x{{in_1}} out_1"));
    cases.add(command("input used as an output", "-i in_1 in_1 out_1"));
    cases.add(command("undeclared placeholder", "-i in_1 {{nope}} out_1"));
    cases.add(command("output never written", "-i in_1 -f null -"));
    // Output file names.
    cases.add(
        refused(
            "output name climbs out of the folder",
            422,
            () -> register("-i in_1 out_1", Map.of("in_1", clip), Map.of("out_1", "../x.mp4"))));
    cases.add(
        refused(
            "output name is a playlist",
            422,
            () -> register("-i in_1 out_1", Map.of("in_1", clip), Map.of("out_1", "o.m3u8"))));
    cases.add(
        refused(
            "output name with a look-alike slash",
            422,
            () ->
                register("-i in_1 out_1", Map.of("in_1", clip), Map.of("out_1", "a\u2215b.mp4"))));
    cases.add(
        upload("upload name with a right-to-left override", 400, "clip\u202e4pm.mp4", "clip.mp4"));
    cases.add(upload("upload name with a path", 400, "../../clip.mp4", "clip.mp4"));
    cases.add(upload("upload name with a control character", 400, "cl\u0007ip.mp4", "clip.mp4"));
    // JSON and sizes.
    cases.add(refused("malformed JSON", 422, () -> json("{\"ffmpeg_command\": ")));
    cases.add(
        refused(
            "wrong types",
            422,
            () -> json("{\"ffmpeg_command\": 42, \"input_files\": [], \"output_files\": \"x\"}")));
    cases.add(refused("missing fields", 422, () -> json("{}")));
    cases.add(
        refused(
            "body over the size cap",
            413,
            () -> json("{\"ffmpeg_command\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}")));
    cases.add(command("command over the length cap", "-i in_1 " + "-an ".repeat(3000) + "out_1"));
    cases.add(
        refused(
            "too many inputs",
            422,
            () -> {
              Map<String, String> inputs = new LinkedHashMap<>();
              StringBuilder command = new StringBuilder();
              for (int i = 0; i < 17; i++) {
                inputs.put("in_" + i, clip);
                command.append("-i in_").append(i).append(' ');
              }
              return register(command + "out_1", inputs);
            }));
    cases.add(
        refused(
            "too many outputs",
            422,
            () -> {
              Map<String, String> outputs = new LinkedHashMap<>();
              StringBuilder command = new StringBuilder("-i in_1");
              for (int i = 0; i < 17; i++) {
                outputs.put("out_" + i, "o" + i + ".mp4");
                command.append(" out_").append(i);
              }
              return register(command.toString(), Map.of("in_1", clip), outputs);
            }));
    // URLs.
    cases.add(input("loopback address outside the allowed network", forbiddenUrl("/a.mp4")));
    cases.add(
        input(
            "loopback written as a decimal number",
            "http://2130706434:" + forbidden.port() + "/a.mp4"));
    cases.add(
        input(
            "loopback written as an IPv4-mapped IPv6 address",
            "http://[::ffff:127.0.0.2]:" + forbidden.port() + "/a.mp4"));
    cases.add(input("cloud metadata address", "http://169.254.169.254/latest/meta-data/"));
    cases.add(input("private address", "http://10.0.0.1/a.mp4"));
    cases.add(input("file URL", "file://" + secretFile));
    cases.add(input("ftp URL", "ftp://127.0.0.1/a.mp4"));
    cases.add(input("URL with user info", allowedUrl("/clip.mp4").replace("://", "://u:p@")));
    cases.add(input("s3 URL of another bucket", "s3://someone-elses-bucket/a.mp4"));
    cases.add(
        failingInput(
            "redirect to a forbidden address",
            allowedUrl("/redirect?to=" + forbiddenUrl("/a.mp4")),
            "in_1' could not be fetched: 127.0.0.2 resolves to a loopback address"));
    cases.add(
        failingInput(
            "redirect to a file URL",
            allowedUrl("/redirect?to=file://" + secretFile),
            "in_1' could not be fetched: redirected to a link that is not http or https"));
    // Media that is not what it says.
    cases.add(
        failingInput(
            "HLS playlist disguised as mp4",
            allowedUrl("/playlist.mp4"),
            "in_1' is not usable media: unsupported format"));
    cases.add(
        failingInput(
            "ffconcat list disguised as mp4",
            allowedUrl("/list.mp4"),
            "in_1' is not usable media: unsupported format"));
    cases.add(
        failingInput(
            "zero-byte input",
            allowedUrl("/empty.mp4"),
            "in_1' is not usable media: unsupported format"));
    cases.add(
        failingInput(
            "text file as input",
            allowedUrl("/notes.mp4"),
            "in_1' is not usable media: unsupported format"));
    cases.add(
        failingInput(
            "pixel bomb as input",
            allowedUrl("/bomb.png"),
            "in_1' is not usable media: its 16000x16000 frames exceed the limit"));
    cases.add(upload("HLS playlist uploaded as mp4", 415, "playlist.mp4", "playlist.mp4"));
    cases.add(upload("ffconcat list uploaded as mp4", 415, "list.mp4", "list.mp4"));
    cases.add(upload("zero-byte upload", 415, "empty.mp4", "empty.mp4"));
    cases.add(upload("pixel bomb upload", 415, "bomb.mkv", "bomb.mkv"));
    // Who may call.
    cases.add(
        refused(
            "no API key",
            401,
            () ->
                anonymous.post(
                    "/ffmpeg/register",
                    Map.of(
                        "ffmpeg_command",
                        "-i in_1 out_1",
                        "input_files",
                        Map.of("in_1", clip),
                        "output_files",
                        Map.of("out_1", "o.mp4")))));
    cases.add(
        refused(
            "wrong API key",
            401,
            () ->
                new TestingApiClient(stack.apiUri(), "not-the-key")
                    .upload(List.of("clip.mp4"), media.resolve("clip.mp4"))));
    cases.add(refused("status without a key", 401, () -> anonymous.get("/ffmpeg/status/x")));
    cases.add(refused("video list without a key", 401, () -> anonymous.get("/video/view/all")));
    return cases.stream();
  }

  /** What exists now; a refused request must leave all of it as it was. */
  private record Snapshot(
      Set<String> tasks,
      Set<String> videos,
      Set<String> videoJobs,
      Set<String> jobs,
      Set<String> objects) {}

  private static Snapshot snapshot() {
    KubernetesClient k8s = stack.kubernetesClient();
    String ns = stack.config().namespace();
    return new Snapshot(
        names(k8s.resources(FfmpegTask.class).inNamespace(ns).list().getItems()),
        names(k8s.resources(Video.class).inNamespace(ns).list().getItems()),
        names(k8s.resources(VideoJob.class).inNamespace(ns).list().getItems()),
        names(k8s.resources(Job.class).inNamespace(ns).list().getItems()),
        objectKeys());
  }

  private static Set<String> objectKeys() {
    Set<String> keys = new TreeSet<>();
    stack
        .storage()
        .client()
        .listObjectsV2Paginator(b -> b.bucket(stack.storage().bucket()))
        .contents()
        .stream()
        .map(S3Object::key)
        .forEach(keys::add);
    return keys;
  }

  private static Set<String> names(
      List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
    Set<String> names = new TreeSet<>();
    items.forEach(item -> names.add(item.getMetadata().getName()));
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileInputIsRefusedAndNothingHappens(Case hostile) throws Exception {
    Snapshot before = snapshot();
    Answer answer = hostile.request().send();

    assertThat(answer.status()).as(answer.text()).isEqualTo(hostile.status());
    assertThat(answer.text())
        .doesNotContain(SECRET)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    if (hostile.status() != 200) {
      assertThat(answer.body().has("detail")).as(answer.text()).isTrue();
    }
    if (hostile.outcome() == Outcome.REFUSED) {
      assertThat(snapshot()).isEqualTo(before);
    } else {
      String taskId = answer.body().get("task_id").asText();
      JsonNode status = api.awaitTaskFinished(taskId);
      assertThat(status.get("status").asText()).isEqualTo("failed");
      assertThat(status.get("error_message").asText()).contains(hostile.failure());
      assertThat(status.get("output_urls").isNull()).isTrue();
      Snapshot after = snapshot();
      assertThat(after.objects())
          .filteredOn(key -> key.startsWith("ffmpeg-outputs/"))
          .isEqualTo(
              before.objects().stream().filter(k -> k.startsWith("ffmpeg-outputs/")).toList());
      assertThat(status.toString()).doesNotContain(SECRET);
    }
    assertThat(forbidden.hits()).as("connections to the forbidden address").isEmpty();
    assertThat(CANARY).doesNotExist();
    for (String key : objectKeys()) {
      if (!key.startsWith("samples/")) {
        byte[] bytes =
            stack
                .storage()
                .client()
                .getObjectAsBytes(b -> b.bucket(stack.storage().bucket()).key(key))
                .asByteArray();
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as(key).doesNotContain(SECRET);
      }
    }
  }

  @Test
  void healthChecksAndDocsNeedNoKey() throws Exception {
    assertThat(anonymous.get("/health").status()).isEqualTo(200);
    assertThat(anonymous.get("/ffmpeg/health").status()).isEqualTo(200);
    assertThat(anonymous.get("/openapi.json").status()).isEqualTo(200);
  }

  @Test
  void goodRequestsStillWorkWithAKey() throws Exception {
    Answer answer =
        register(
            "-i in_1 -vf scale=80:60 -c:v libx264 -preset ultrafast out_1",
            Map.of("in_1", allowedUrl("/clip.mp4")));
    assertThat(answer.status()).isEqualTo(200);
    JsonNode status = api.awaitTaskFinished(answer.body().get("task_id").asText());
    assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("completed");
    assertThat(forbidden.hits()).isEmpty();
  }

  @Test
  void invalidTaskMadeWithKubectlFailsAndNeverGetsAJob() {
    KubernetesClient k8s = stack.kubernetesClient();
    String ns = stack.config().namespace();
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder().withName("hostile-by-kubectl").withNamespace(ns).build());
    Map<String, String> inputs = new HashMap<>();
    inputs.put("in_1", allowedUrl("/clip.mp4"));
    task.setSpec(
        new FfmpegTaskSpec(
            "-i in_1 -vf movie=" + secretFile + " out_1", inputs, Map.of("out_1", "o.mp4")));
    k8s.resource(task).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              FfmpegTask seen =
                  k8s.resources(FfmpegTask.class)
                      .inNamespace(ns)
                      .withName("hostile-by-kubectl")
                      .get();
              return seen.getStatus() != null && seen.getStatus().getState() == TaskState.Failed;
            });
    FfmpegTask failed =
        k8s.resources(FfmpegTask.class).inNamespace(ns).withName("hostile-by-kubectl").get();
    assertThat(failed.getStatus().getConditions())
        .anyMatch(c -> "InvalidCommand".equals(c.getReason()));
    assertThat(k8s.resources(Job.class).inNamespace(ns).list().getItems())
        .noneMatch(job -> job.getMetadata().getName().contains("hostile-by-kubectl"));
  }
}
