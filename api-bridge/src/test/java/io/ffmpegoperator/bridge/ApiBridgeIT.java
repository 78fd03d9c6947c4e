package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import io.ffmpegoperator.worker.FfmpegBinaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bridge over HTTP, against a Kubernetes API in CRUD mode; S3 is only used to presign. */
class ApiBridgeIT {
  private static final String NS = "media";
  private static final String BUCKET = "test-bucket";
  private static final ObjectMapper JSON = new ObjectMapper();
  // `true -version` exits 0, so ffmpeg counts as installed; these tests never run it for real.
  private static final FfmpegBinaries TRUE_FFMPEG =
      new FfmpegBinaries(Path.of("true"), Path.of("true"));
  private static final String VALID_BODY =
      """
      {"ffmpeg_command": "-i in_1 -vf scale=320:240 out_1",
       "input_files": {"in_1": "https://example.com/video.mp4"},
       "output_files": {"out_1": "output.mp4"}}
      """;

  private static KubernetesMockServer server;
  private static KubernetesClient client;
  private static S3Storage storage;
  private static ApiBridge bridge;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init();
    client = server.createClient();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(
            ApiBridgeIT.class.getResourceAsStream(
                "/META-INF/fabric8/ffmpegtasks.media.ffmpeg-operator.io-v1.yml"))
        .create();
    storage =
        new S3Storage(
            new S3Settings(BUCKET, "us-east-1", URI.create("http://127.0.0.1:9"), "key", "secret"));
    bridge = ApiBridge.start(new BridgeConfig("127.0.0.1", 0, NS), client, storage, TRUE_FFMPEG);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    Awaitility.reset();
    bridge.close();
    storage.close();
    client.close();
    server.destroy();
  }

  @BeforeEach
  void deleteTasks() {
    client.resources(FfmpegTask.class).inNamespace(NS).delete();
    await().until(() -> tasks().isEmpty());
  }

  @Test
  void registerReturnsTheSeedShapeAndCreatesOneTask() throws Exception {
    HttpResponse<String> response = post("ffmpeg/register", VALID_BODY, "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(fieldNames(body))
        .containsExactly("task_id", "status", "output_urls", "error_message");
    String taskId = body.get("task_id").asText();
    assertThat(taskId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(body.get("status").asText()).isEqualTo("pending");
    assertThat(body.get("output_urls").isNull()).isTrue();
    assertThat(body.get("error_message").isNull()).isTrue();

    List<FfmpegTask> tasks = tasks();
    assertThat(tasks).hasSize(1);
    FfmpegTask task = tasks.get(0);
    assertThat(task.getMetadata().getName()).isEqualTo(taskId);
    assertThat(task.getMetadata().getLabels())
        .containsEntry(CrdConstants.LABEL_MANAGED_BY, "ffmpeg-operator-api-bridge");
    assertThat(task.getSpec().getCommand()).isEqualTo("-i in_1 -vf scale=320:240 out_1");
    assertThat(task.getSpec().getInputs())
        .containsExactlyEntriesOf(Map.of("in_1", "https://example.com/video.mp4"));
    assertThat(task.getSpec().getOutputs()).containsExactlyEntriesOf(Map.of("out_1", "output.mp4"));

    // Right after registering, the task is pending whether or not the cache has it yet.
    HttpResponse<String> status = get("ffmpeg/status/" + taskId);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(status.body())).isEqualTo(body);
  }

  @Test
  void registerWithoutContentTypeOrInputFilesIsAccepted() throws Exception {
    String body =
        "{\"ffmpeg_command\": \"-filter_complex testsrc=duration=1 out_1\", \"output_files\":"
            + " {\"out_1\": \"a.mp4\"}, \"priority\": 5}";
    HttpResponse<String> response = post("ffmpeg/register", body, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(tasks())
        .singleElement()
        .satisfies(t -> assertThat(t.getSpec().getInputs()).isEmpty());
  }

  @Test
  void bodiesThatDoNotFitTheModelGetFastApiErrorsAndCreateNothing() throws Exception {
    assertBodyError(
        "{\"input_files\": {}, \"output_files\": {\"out_1\": \"o.mp4\"}}",
        "application/json",
        "missing",
        "[\"body\",\"ffmpeg_command\"]");
    assertBodyError(
        "{\"ffmpeg_command\": \"-i in_1 out_1\", \"input_files\": {}}",
        "application/json",
        "missing",
        "[\"body\",\"output_files\"]");
    assertBodyError(
        "{\"ffmpeg_command\": 42, \"output_files\": {\"out_1\": \"o.mp4\"}}",
        "application/json",
        "string_type",
        "[\"body\",\"ffmpeg_command\"]");
    assertBodyError(
        "{\"ffmpeg_command\": \"x out_1\", \"output_files\": [\"o.mp4\"]}",
        "application/json",
        "dict_type",
        "[\"body\",\"output_files\"]");
    assertBodyError(
        "{\"ffmpeg_command\": \"x\", \"input_files\": {\"in_1\": 7}, \"output_files\": {}}",
        "application/json",
        "string_type",
        "[\"body\",\"input_files\",\"in_1\"]");
    assertBodyError("{\"ffmpeg_command\": ", "application/json", "json_invalid", "[\"body\",19]");
    assertBodyError("[1, 2]", "application/json", "model_attributes_type", "[\"body\"]");
    assertBodyError("", "application/json", "missing", "[\"body\"]");
    assertBodyError(VALID_BODY, "text/plain", "model_attributes_type", "[\"body\"]");
    assertThat(tasks()).isEmpty();
  }

  @Test
  void tasksThatCanNeverRunGetOneSentencePerProblemAndCreateNothing() throws Exception {
    assertTaskError(
        VALID_BODY.replace("-i in_1 -vf", "-i {{in_9}} -i in_1 -vf"), "unknown placeholder");
    assertTaskError(VALID_BODY.replace("output.mp4", "../x.mp4"), "file name must be a plain name");
    assertTaskError(
        VALID_BODY.replace("https://example.com", "ftp://example.com"),
        "only http, https and s3:// URLs are allowed");
    assertThat(tasks()).isEmpty();
  }

  @Test
  void statusOfAnUnknownTaskIs404() throws Exception {
    for (String id : List.of("6f1c2f0e-0000-4000-8000-000000000000", "Not_A_Name")) {
      HttpResponse<String> response = get("ffmpeg/status/" + id);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).isEqualTo("{\"detail\":\"Task not found\"}");
    }
  }

  @Test
  void completedTaskHasSevenDayLinksInSpecOrder() throws Exception {
    String body =
        """
        {"ffmpeg_command": "-i in_1 -map 0:v out_video -map 0:a out_audio",
         "input_files": {"in_1": "https://example.com/v.mp4"},
         "output_files": {"out_video": "video.mp4", "out_audio": "audio.m4a"}}
        """;
    String taskId = register(body);
    writeStatus(
        taskId,
        status -> {
          status.setState(TaskState.Completed);
          status.setOutputs(
              List.of(
                  new StoredOutput(
                      "out_audio", BUCKET, StorageKeys.taskOutput(taskId, "audio.m4a"), 10L),
                  new StoredOutput(
                      "out_video", BUCKET, StorageKeys.taskOutput(taskId, "video.mp4"), 20L)));
          return status;
        });

    JsonNode status =
        await()
            .until(
                () -> JSON.readTree(get("ffmpeg/status/" + taskId).body()),
                node -> node.get("status").asText().equals("completed"));

    assertThat(status.get("error_message").isNull()).isTrue();
    assertThat(fieldNames(status.get("output_urls"))).containsExactly("out_video", "out_audio");
    String video = status.get("output_urls").get("out_video").asText();
    assertThat(video)
        .startsWith("http://127.0.0.1:9/")
        .contains("/ffmpeg-outputs/" + taskId + "/video.mp4?")
        .contains("X-Amz-Expires=604800");
    assertThat(status.get("output_urls").get("out_audio").asText())
        .contains("/ffmpeg-outputs/" + taskId + "/audio.m4a?");
  }

  @Test
  void failedAndRunningTasksReportTheirState() throws Exception {
    String taskId = register(VALID_BODY);
    writeStatus(
        taskId,
        status -> {
          status.setState(TaskState.Running);
          status.setMessage("ffmpeg is running");
          return status;
        });
    await()
        .untilAsserted(
            () ->
                assertThat(get("ffmpeg/status/" + taskId).body())
                    .isEqualTo(
                        "{\"task_id\":\""
                            + taskId
                            + "\",\"status\":\"running\",\"output_urls\":null,"
                            + "\"error_message\":null}"));

    writeStatus(
        taskId,
        status -> {
          status.setState(TaskState.Failed);
          status.setMessage("ffmpeg exited with code 1: Invalid data found when processing input");
          return status;
        });
    JsonNode failed =
        await()
            .until(
                () -> JSON.readTree(get("ffmpeg/status/" + taskId).body()),
                node -> node.get("status").asText().equals("failed"));
    assertThat(failed.get("error_message").asText())
        .isEqualTo("ffmpeg exited with code 1: Invalid data found when processing input");
    assertThat(failed.get("output_urls").isNull()).isTrue();
  }

  @Test
  void statusIsServedFromTheCache() throws Exception {
    String taskId = register(VALID_BODY);
    await()
        .until(
            () -> {
              int before = server.getRequestCount();
              assertThat(get("ffmpeg/status/" + taskId).statusCode()).isEqualTo(200);
              return server.getRequestCount() == before;
            });

    int before = server.getRequestCount();
    for (int i = 0; i < 50; i++) {
      assertThat(get("ffmpeg/status/" + taskId).statusCode()).isEqualTo(200);
    }
    assertThat(server.getRequestCount()).isEqualTo(before);
  }

  @Test
  void anUnreachableApiServerGives503() throws Exception {
    Config unreachable =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:9/")
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2000)
            .build();
    try (KubernetesClient deadClient =
            new KubernetesClientBuilder().withConfig(unreachable).build();
        ApiBridge deadBridge =
            ApiBridge.start(
                new BridgeConfig("127.0.0.1", 0, NS), deadClient, storage, TRUE_FFMPEG)) {
      HttpRequest register =
          HttpRequest.newBuilder(deadBridge.uri().resolve("ffmpeg/register"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY))
              .build();
      HttpResponse<String> response = http.send(register, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("try again later");

      HttpRequest status =
          HttpRequest.newBuilder(deadBridge.uri().resolve("ffmpeg/status/" + UUID.randomUUID()))
              .build();
      assertThat(http.send(status, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(503);
    }
  }

  @Test
  void healthEndpoints() throws Exception {
    HttpResponse<String> health = get("health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

    HttpRequest htmlOnly =
        HttpRequest.newBuilder(bridge.uri().resolve("ffmpeg/health"))
            .header("Accept", "text/html")
            .build();
    HttpResponse<String> ffmpeg = http.send(htmlOnly, HttpResponse.BodyHandlers.ofString());
    assertThat(ffmpeg.statusCode()).isEqualTo(200);
    assertThat(ffmpeg.body()).isEqualTo("{\"status\":\"ok\",\"ffmpeg_installed\":\"yes\"}");
  }

  @Test
  void openApiDescribesEveryEndpoint() throws Exception {
    HttpResponse<String> response = get("openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode document = JSON.readTree(response.body());
    assertThat(document.get("openapi").asText()).startsWith("3.");
    assertThat(fieldNames(document.get("paths")))
        .containsExactlyInAnyOrder(
            "/ffmpeg/register",
            "/ffmpeg/status/{task_id}",
            "/health",
            "/ffmpeg/health",
            "/video/upload",
            "/video/view/all",
            "/video/view/info",
            "/video/download",
            "/video/process/trim",
            "/video/process/concat",
            "/video/process/encoding",
            "/video/process/execute",
            "/video/jobs/{job_id}",
            "/video/jobs");
    JsonNode register = document.at("/paths/~1ffmpeg~1register/post");
    assertThat(register.at("/requestBody/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/TaskRequest");
    assertThat(fieldNames(register.get("responses"))).contains("200", "422");
    assertThat(fieldNames(document.at("/components/schemas/TaskRequest/properties")))
        .containsExactlyInAnyOrder("ffmpeg_command", "input_files", "output_files");
    assertThat(fieldNames(document.at("/components/schemas/TaskResponse/properties")))
        .containsExactlyInAnyOrder("task_id", "status", "output_urls", "error_message");
    assertThat(document.at("/paths/~1ffmpeg~1status~1{task_id}/get/parameters/0/name").asText())
        .isEqualTo("task_id");

    JsonNode upload = document.at("/paths/~1video~1upload/put");
    assertThat(upload.at("/requestBody/content/multipart~1form-data/schema/$ref").asText())
        .isEqualTo("#/components/schemas/Body_upload_videos");
    assertThat(fieldNames(upload.get("responses"))).contains("200", "415", "422");
    assertThat(document.at("/components/schemas/Body_upload_videos/properties/files/items/format"))
        .hasToString("\"binary\"");
    assertThat(fieldNames(document.at("/components/schemas/VideoRecord/properties")))
        .containsExactly(
            "id",
            "original_file_path",
            "processed_file_path",
            "trim_info",
            "concat_info",
            "encode_info");
    assertThat(fieldNames(document.at("/components/schemas/TrimRequest/properties")))
        .containsExactly("request_code", "video_id", "trim_start", "trim_end", "mode");
    assertThat(fieldNames(document.at("/paths/~1video~1process~1execute/post/responses")))
        .contains("200", "202", "400", "500", "504");
    assertThat(
            document
                .at(
                    "/paths/~1video~1view~1info/get/responses/404/content/application~1json/schema/$ref")
                .asText())
        .isEqualTo("#/components/schemas/HTTPError");
  }

  @Test
  void docsPagesLoadTheirAssetsFromTheBridge() throws Exception {
    for (String page : List.of("docs", "redoc")) {
      HttpResponse<String> response = get(page);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      List<String> links = assetLinks(response.body());
      assertThat(links).isNotEmpty().allSatisfy(link -> assertThat(link).doesNotContain("//"));
      for (String link : links) {
        URI asset = bridge.uri().resolve(page).resolve(link);
        HttpResponse<byte[]> fetched =
            http.send(
                HttpRequest.newBuilder(asset).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).as(asset.toString()).isEqualTo(200);
        assertThat(fetched.body()).as(asset.toString()).isNotEmpty();
      }
    }
    assertThat(get("static/swagger-ui/nope.js").statusCode()).isEqualTo(404);
    assertThat(get("static/other/x.js").statusCode()).isEqualTo(404);
    assertThat(get("static/swagger-ui/..%2Fpom.xml").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors() throws Exception {
    HttpResponse<String> notFound = get("nowhere");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(notFound.body()).isEqualTo("{\"detail\":\"Not Found\"}");

    HttpResponse<String> wrongMethod = post("health", "{}", "application/json");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");

    HttpResponse<String> getRegister = get("ffmpeg/register");
    assertThat(getRegister.statusCode()).isEqualTo(405);
    assertThat(getRegister.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
  }

  private void assertBodyError(String body, String contentType, String type, String loc)
      throws Exception {
    HttpResponse<String> response = post("ffmpeg/register", body, contentType);
    assertThat(response.statusCode()).as(body).isEqualTo(422);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode error = JSON.readTree(response.body()).get("detail").get(0);
    assertThat(error.get("type").asText()).as(body).isEqualTo(type);
    assertThat(error.get("loc")).as(body).isEqualTo(JSON.readTree(loc));
    assertThat(error.has("msg") && error.has("input")).as(response.body()).isTrue();
  }

  private void assertTaskError(String body, String problem) throws Exception {
    HttpResponse<String> response = post("ffmpeg/register", body, "application/json");
    assertThat(response.statusCode()).as(body).isEqualTo(422);
    JsonNode detail = JSON.readTree(response.body()).get("detail");
    assertThat(detail.isTextual()).as(response.body()).isTrue();
    assertThat(detail.asText()).contains(problem);
  }

  private String register(String body) throws Exception {
    HttpResponse<String> response = post("ffmpeg/register", body, "application/json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("task_id").asText();
  }

  private static void writeStatus(String taskId, UnaryOperator<FfmpegTaskStatus> change) {
    FfmpegTask task = client.resources(FfmpegTask.class).inNamespace(NS).withName(taskId).get();
    task.setStatus(
        change.apply(task.getStatus() == null ? new FfmpegTaskStatus() : task.getStatus()));
    client.resources(FfmpegTask.class).inNamespace(NS).resource(task).updateStatus();
  }

  private static List<FfmpegTask> tasks() {
    return client.resources(FfmpegTask.class).inNamespace(NS).list().getItems();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> assetLinks(String html) {
    Matcher matcher = Pattern.compile("(?:href|src)=\"([^\"]+)\"").matcher(html);
    List<String> links = new ArrayList<>();
    while (matcher.find()) {
      links.add(matcher.group(1));
    }
    return links;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(bridge.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body, String contentType)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(bridge.uri().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
