package io.ffmpegoperator.bridge;

import static io.ffmpegoperator.bridge.TestingBridge.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stored resources this version cannot read (written with {@code kubectl apply --validate=false},
 * or by a newer version): a request that names one gets a 500 saying what to fix, listings leave it
 * out, a gauge counts them and the log names each once per stored version. Everything next to them
 * is served as before, and the bridge stays ready.
 */
class UnreadableResourcesIT {
  private static final String GROUP_VERSION = "media.ffmpeg-operator.io/v1alpha1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String GOOD_MEDIA =
      "{videoCodec: h264, audioCodec: aac, width: 320, height: 240, frameRate: '25/1',"
          + " durationMillis: 2000}";

  private static TestingBridge fixture;
  private static KubernetesClient client;
  private static final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private static PrintStream stderr;

  @BeforeAll
  static void start() {
    // The bridge's log goes to stderr (slf4j-simple looks it up on each line): keep a copy.
    stderr = System.err;
    System.setErr(new PrintStream(tee(stderr, log), true, StandardCharsets.UTF_8));
    fixture = TestingBridge.start(TestingApiServer.ALL_CRDS, TestingBridge.config());
    client = fixture.client;

    store(
        "FfmpegTask",
        "good-task",
        "{command: '-i in_1 out_1', inputs: {in_1: 's3://b/a.mp4'}, outputs: {out_1: o.mp4}}");
    store(
        "FfmpegTask",
        "inputs-a-string",
        "{command: '-i in_1 out_1', inputs: 'http://h/a.mp4', outputs: {out_1: o.mp4}}");
    store(
        "FfmpegTask",
        "from-a-newer-version",
        "{command: '-i in_1 out_1', inputs: {in_1: 's3://b/a.mp4'}, outputs: {out_1: o.mp4},"
            + " resources: {limits: {cpu: 4}}}");
    store(
        "Video",
        "video-8",
        "{id: 8, origin: Upload, fileKey: origin/good.mp4, media: " + GOOD_MEDIA + "}");
    store(
        "Video",
        "video-9",
        "{id: 9, origin: Upload, fileKey: origin/twin.mp4, media: " + GOOD_MEDIA + "}");
    store(
        "Video",
        "video-7",
        "{id: 7, origin: Upload, fileKey: origin/bad.mp4, media: 'probed later'}");
    store(
        "VideoJob",
        "videojob-76",
        "{jobId: 76, requestCode: mixed, operation: Trim, videoIds: [8]}");
    store(
        "VideoJob",
        "videojob-77",
        "{jobId: 77, requestCode: mixed, operation: Trim, videoIds: 'all'}");
    // A readable spec, but a status no version of this one writes: found by id, then refused.
    store(
        "VideoJob",
        "videojob-78",
        "{jobId: 78, requestCode: mixed, operation: Trim, videoIds: [8]}");
    GenericKubernetesResource job =
        client
            .genericKubernetesResources(GROUP_VERSION, "VideoJob")
            .inNamespace(NS)
            .withName("videojob-78")
            .get();
    job.setAdditionalProperty("status", Map.of("state", "Exploded"));
    client.resource(job).updateStatus();
  }

  @AfterAll
  static void stop() {
    System.setErr(stderr);
    fixture.close();
  }

  @Test
  void aTaskThatCannotBeReadIs500AndTheOthersAreServed() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertGet(
          "ffmpeg/status/inputs-a-string",
          500,
          "{\"detail\":\"Task inputs-a-string is stored in a form this version cannot read"
              + " (spec.inputs: expected an object, got a string); fix or delete the FfmpegTask"
              + " resource inputs-a-string\"}");
    }
    for (String served : List.of("good-task", "from-a-newer-version")) {
      assertGet(
          "ffmpeg/status/" + served,
          200,
          "{\"task_id\":\""
              + served
              + "\",\"status\":\"pending\",\"output_urls\":null,\"error_message\":null}");
    }
  }

  @Test
  void aVideoThatCannotBeReadIs500WhereverItIsNamedAndLeftOutOfTheList() throws Exception {
    String detail =
        "{\"detail\":\"Video 7 is stored in a form this version cannot read (spec.media:"
            + " expected an object, got a string); fix or delete the Video resource video-7\"}";
    for (String path : List.of("video/view/info/?video_id=7", "video/download?video_id=7")) {
      assertGet(path, 500, detail);
    }
    Answer trim =
        post(
            "video/process/trim",
            "{\"request_code\": \"c\", \"video_id\": 7, \"trim_start\": \"0\", \"trim_end\":"
                + " \"1\"}");
    assertAnswer("trim", trim, 500, detail);
    Answer concat =
        post("video/process/concat", "{\"request_code\": \"c\", \"video_ids\": [8, 7]}");
    assertAnswer("concat", concat, 500, detail);

    assertGet(
        "video/view/info/?video_id=8",
        200,
        "{\"video_streams\":\"h264\",\"audio_streams\":\"aac\",\"resolution\":\"320:240\","
            + "\"frame_rate\":25}");
    assertThat(ids("video/view/all", "id")).containsExactly(8L, 9L);
    // A job on readable videos is still queued.
    assertThat(
            post("video/process/concat", "{\"request_code\": \"c\", \"video_ids\": [8, 9]}")
                .status())
        .isEqualTo(200);
  }

  @Test
  void aJobThatCannotBeReadIs500AndLeftOutOfTheList() throws Exception {
    assertGet(
        "video/jobs/77",
        500,
        "{\"detail\":\"Job 77 is stored in a form this version cannot read (spec.videoIds:"
            + " expected an array, got a string); fix or delete the VideoJob resource"
            + " videojob-77\"}");
    Answer brokenStatus = get("video/jobs/78");
    assertThat(brokenStatus.status()).isEqualTo(500);
    assertThat(brokenStatus.json().get("detail").asText())
        .startsWith("Job 78 is stored in a form this version cannot read (status.state:")
        .endsWith("; fix or delete the VideoJob resource videojob-78");

    assertThat(get("video/jobs/76").status()).isEqualTo(200);
    await()
        .untilAsserted(
            () -> assertThat(ids("video/jobs?request_code=mixed", "job_id")).containsExactly(76L));
  }

  @Test
  void theyAreCountedByKindAndTheBridgeStaysReady() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              PrometheusText metrics = PrometheusText.parse(get("metrics").text());
              String gauge = "ffmpeg_bridge_resources_unreadable";
              assertThat(metrics.sum(gauge, "kind", "FfmpegTask")).isEqualTo(1);
              assertThat(metrics.sum(gauge, "kind", "Video")).isEqualTo(1);
              assertThat(metrics.sum(gauge, "kind", "VideoJob")).isEqualTo(2);
            });
    assertGet("ready", 200, "{\"status\":\"ok\"}");
  }

  @Test
  void eachIsLoggedOncePerStoredVersionNotPerRequest() throws Exception {
    store("FfmpegTask", "outputs-a-list", "{command: '-i in_1 out_1', outputs: [o.mp4]}");
    String line = "FfmpegTask media/outputs-a-list is stored in a form this version cannot read";
    await().until(() -> occurrences(line) == 1);
    for (int i = 0; i < 5; i++) {
      assertThat(get("ffmpeg/status/outputs-a-list").status()).isEqualTo(500);
    }
    assertThat(occurrences(line)).isEqualTo(1);

    // Changed, and still unreadable: a new stored version, logged once more.
    GenericKubernetesResource task =
        client
            .genericKubernetesResources(GROUP_VERSION, "FfmpegTask")
            .inNamespace(NS)
            .withName("outputs-a-list")
            .get();
    task.setAdditionalProperty(
        "spec", Map.of("command", "-i in_1 out_1", "outputs", List.of("p.mp4")));
    client.resource(task).update();
    await().until(() -> occurrences(line) == 2);
    assertThat(get("ffmpeg/status/outputs-a-list").status()).isEqualTo(500);
    assertThat(occurrences(line)).isEqualTo(2);

    // Gone, so the other tests count what they stored.
    client.resource(task).delete();
    await().until(() -> get("ffmpeg/status/outputs-a-list").status() == 404);
  }

  /**
   * Stores a resource with its spec exactly as written in YAML, as {@code kubectl apply
   * --validate=false} would.
   */
  private static void store(String kind, String name, String spec) {
    GenericKubernetesResource resource =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(GROUP_VERSION)
            .withKind(kind)
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .endMetadata()
            .build();
    // YAML starting with "{" would be read as JSON, which these specs are not.
    Map<?, ?> document = YAML.unmarshal("spec: " + spec, Map.class);
    resource.setAdditionalProperty("spec", document.get("spec"));
    client.resource(resource).create();
  }

  /** {@code GET path} must answer {@code status} with exactly {@code text}. */
  private static void assertGet(String path, int status, String text) throws Exception {
    assertAnswer(path, get(path), status, text);
  }

  /**
   * {@code answer}, to the request called {@code what}, must be {@code status} and {@code text}.
   */
  private static void assertAnswer(String what, Answer answer, int status, String text) {
    assertThat(answer.status()).as(what).isEqualTo(status);
    assertThat(answer.text()).as(what).isEqualTo(text);
  }

  /** The {@code field} of each element of the JSON list at {@code path}. */
  private static List<Long> ids(String path, String field) throws Exception {
    List<Long> ids = new ArrayList<>();
    get(path).json().forEach(element -> ids.add(element.get(field).asLong()));
    return ids;
  }

  private static int occurrences(String text) {
    String written = log.toString(StandardCharsets.UTF_8);
    int count = 0;
    for (int at = written.indexOf(text); at >= 0; at = written.indexOf(text, at + 1)) {
      count++;
    }
    return count;
  }

  /** Writes to both: the console as before, and a copy the test reads. */
  private static OutputStream tee(PrintStream console, ByteArrayOutputStream copy) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public synchronized void write(byte[] bytes, int offset, int length) {
        copy.write(bytes, offset, length);
        console.write(bytes, offset, length);
      }
    };
  }

  private record Answer(int status, String text) {
    JsonNode json() throws Exception {
      return JSON.readTree(text);
    }
  }

  private static Answer get(String path) throws Exception {
    return answer(fixture.request(path));
  }

  private static Answer post(String path, String body) throws Exception {
    return answer(
        fixture
            .request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Answer answer(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = TestingBridge.send(request, null);
    return new Answer(response.statusCode(), response.body());
  }
}
