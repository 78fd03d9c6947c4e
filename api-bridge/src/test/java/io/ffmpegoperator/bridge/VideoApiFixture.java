package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import io.ffmpegoperator.dev.s3.EmbeddedS3;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bridge on a real stack for the video API tests: the embedded Kubernetes API with the CRDs,
 * s3proxy, and a real ffmpeg (from PATH, else the bundled one). No operator runs: tests play its
 * part by writing VideoJob statuses and Videos themselves. The bridge requires {@link #API_KEY},
 * which every request sent through the fixture carries unless it names another.
 *
 * <p>Either {@link #start started} in a folder and closed by the test, or {@link #forTestClass
 * registered} on a static field as a JUnit extension for the whole class.
 */
final class VideoApiFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  static final String NS = EmbeddedKubernetes.NAMESPACE;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String API_KEY = "video-api-test-key-0123456789";
  private static final String KEY = "test-access";
  private static final String SECRET = "test-secret";

  private final Duration executeTimeout;
  private final UnaryOperator<BridgeConfig> configure;
  private boolean ownsDir;
  Path dir;
  FfmpegBinaries ffmpeg;
  EmbeddedKubernetes kube;
  EmbeddedS3 s3;
  S3Storage storage;
  ApiBridge bridge;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private VideoApiFixture(Duration executeTimeout, UnaryOperator<BridgeConfig> configure) {
    this.executeTimeout = executeTimeout;
    this.configure = configure;
  }

  private VideoApiFixture startIn(Path dir) throws Exception {
    this.dir = dir;
    this.ffmpeg = TestingFfmpeg.binaries();
    this.kube = EmbeddedKubernetes.start(dir.resolve("kube"), 0);
    this.s3 = EmbeddedS3.start(dir.resolve("s3"), 0, KEY, SECRET);
    this.storage = new S3Storage(new S3Settings("videos", "us-east-1", s3.endpoint(), KEY, SECRET));
    storage.ensureBucket();
    this.bridge =
        ApiBridge.start(
            configure.apply(
                new BridgeConfig("127.0.0.1", 0, NS, executeTimeout)
                    .withApiKeys(ApiKeys.of(API_KEY))),
            kube.client(),
            storage,
            ffmpeg);
    return this;
  }

  static VideoApiFixture start(Path dir, Duration executeTimeout) throws Exception {
    return new VideoApiFixture(executeTimeout, config -> config).startIn(dir);
  }

  /** With the config changed, e.g. smaller limits. */
  static VideoApiFixture start(Path dir, UnaryOperator<BridgeConfig> configure) throws Exception {
    return new VideoApiFixture(BridgeConfig.DEFAULT_EXECUTE_TIMEOUT, configure).startIn(dir);
  }

  /**
   * A fixture for a whole test class, to register on a static field: started in a folder of its own
   * before the class's {@code @BeforeAll} methods and closed after its {@code @AfterAll} ones.
   * Meanwhile Awaitility polls every 50 ms: what the tests wait for, they mostly write themselves.
   */
  static VideoApiFixture forTestClass(Duration executeTimeout) {
    return new VideoApiFixture(executeTimeout, config -> config);
  }

  /** {@link #forTestClass(Duration)} with the config changed, e.g. smaller limits. */
  static VideoApiFixture forTestClass(UnaryOperator<BridgeConfig> configure) {
    return new VideoApiFixture(BridgeConfig.DEFAULT_EXECUTE_TIMEOUT, configure);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
    ownsDir = true;
    startIn(Files.createTempDirectory("video-api-"));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Awaitility.reset();
    close();
  }

  KubernetesClient client() {
    return kube.client();
  }

  /** A test-pattern H.264 clip (with an AAC tone if asked) under the fixture's folder. */
  Path clip(String name, double seconds, int width, int height, int fps, boolean audio)
      throws IOException {
    Files.createDirectories(dir.resolve("media"));
    return TestClips.make(
        ffmpeg.ffmpeg(), dir.resolve("media").resolve(name), seconds, width, height, fps, audio);
  }

  /** Runs ffmpeg with {@code args} and the output file last; for media TestClips cannot make. */
  Path make(String name, String... args) throws Exception {
    Path file = dir.resolve("media").resolve(name);
    Files.createDirectories(file.getParent());
    return TestingFfmpeg.make(file, args);
  }

  /** The Video resource of a library video, or null. */
  Video video(long id) {
    return client().resources(Video.class).inNamespace(NS).withName(Video.nameFor(id)).get();
  }

  /** The VideoJob resource of a job, or null. */
  VideoJob videoJob(long jobId) {
    return client()
        .resources(VideoJob.class)
        .inNamespace(NS)
        .withName(VideoJob.nameFor(jobId))
        .get();
  }

  /** Fetches a link (e.g. a pre-signed download link) without credentials; it must answer 200. */
  byte[] fetch(String link) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(link)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(link).isEqualTo(200);
    return response.body();
  }

  List<Video> videos() {
    return client().resources(Video.class).inNamespace(NS).list().getItems();
  }

  List<VideoJob> videoJobs() {
    return client().resources(VideoJob.class).inNamespace(NS).list().getItems();
  }

  List<String> objects(String prefix) {
    return storage
        .client()
        .listObjectsV2Paginator(r -> r.bucket(storage.bucket()).prefix(prefix))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  /** One file part of an upload. */
  record Part(String fileName, BodyPublisher content) {
    static Part of(String fileName, byte[] bytes) {
      return new Part(fileName, BodyPublishers.ofByteArray(bytes));
    }

    static Part of(Path file) throws IOException {
      return of(file.getFileName().toString(), file);
    }

    static Part of(String fileName, Path file) throws IOException {
      return new Part(fileName, BodyPublishers.ofFile(file));
    }
  }

  /** {@code PUT /video/upload} with the parts as {@code files}, streamed from disk. */
  Answer upload(Part... parts) throws Exception {
    return uploadAs("files", parts);
  }

  Answer uploadAs(String field, Part... parts) throws Exception {
    return send(uploadRequest(field, parts).build());
  }

  /** The request of {@link #upload}, to send with other headers or another body publisher. */
  HttpRequest.Builder uploadRequest(String field, Part... parts) {
    String boundary = "----video-api-test-" + System.nanoTime();
    List<BodyPublisher> body = new ArrayList<>();
    for (Part part : parts) {
      body.add(
          text(
              "--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + field
                  + "\"; filename=\""
                  + part.fileName()
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
      body.add(part.content());
      body.add(text("\r\n"));
    }
    body.add(text("--" + boundary + "--\r\n"));
    return HttpRequest.newBuilder(bridge.uri().resolve("video/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .PUT(BodyPublishers.concat(body.toArray(BodyPublisher[]::new)));
  }

  Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(bridge.uri().resolve(path)).build());
  }

  Answer post(String path, Object body) throws Exception {
    return send(
        HttpRequest.newBuilder(bridge.uri().resolve(path))
            .header("Content-Type", "application/json")
            .POST(
                BodyPublishers.ofString(
                    body instanceof String s ? s : JSON.writeValueAsString(body)))
            .build());
  }

  /** Queues a job that must be accepted; returns its id. */
  long queue(String path, Map<String, Object> body) throws Exception {
    Answer answer = post(path, body);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json().get("job_id").asLong();
  }

  /** Uploads files that must be accepted; returns their ids in order. */
  List<Long> uploadIds(Path... files) throws Exception {
    List<Part> parts = new ArrayList<>();
    for (Path file : files) {
      parts.add(Part.of(file));
    }
    Answer answer = upload(parts.toArray(Part[]::new));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    answer.json().forEach(record -> ids.add(record.get("id").asLong()));
    return ids;
  }

  /** Sends with {@link #API_KEY}, unless the request has an Authorization header of its own. */
  Answer send(HttpRequest request) throws Exception {
    return sendAsIs(
        request.headers().firstValue("Authorization").isPresent()
            ? request
            : HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Bearer " + API_KEY)
                .build());
  }

  /** Sends without adding a key. */
  Answer sendAsIs(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  /** An HTTP answer. */
  record Answer(int status, String text) {
    JsonNode json() throws IOException {
      return JSON.readTree(text);
    }

    /** The {@code detail} of an error, as text. */
    String detail() throws IOException {
      return json().get("detail").asText();
    }
  }

  private static BodyPublisher text(String text) {
    return BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    bridge.close();
    storage.close();
    kube.close();
    s3.close();
    if (ownsDir) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}
