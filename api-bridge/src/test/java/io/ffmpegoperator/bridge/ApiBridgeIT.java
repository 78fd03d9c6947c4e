package io.ffmpegoperator.bridge;

import static io.ffmpegoperator.bridge.TestingBridge.BUCKET;
import static io.ffmpegoperator.bridge.TestingBridge.NS;
import static io.ffmpegoperator.bridge.TestingBridge.TRUE_FFMPEG;
import static io.ffmpegoperator.bridge.TestingBridge.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskPriority;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.junit.jupiter.api.io.TempDir;

/** The bridge over HTTP, against a Kubernetes API in CRUD mode; S3 is only used to presign. */
class ApiBridgeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API_KEY = "api-bridge-it-key-0123456789";
  // Inputs name public addresses by IP: the bridge resolves input hosts, and tests may have no DNS.
  private static final String INPUT_URL = "https://93.184.215.14/video.mp4";
  private static final String VALID_BODY =
      """
      {"ffmpeg_command": "-i in_1 -vf scale=320:240 out_1",
       "input_files": {"in_1": "%s"},
       "output_files": {"out_1": "output.mp4"}}
      """
          .formatted(INPUT_URL);

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static TestingBridge fixture;
  private static KubernetesMockServer server;
  private static KubernetesClient client;
  private static S3Storage storage;
  private static ApiBridge bridge;

  @BeforeAll
  static void start() {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
    fixture =
        TestingBridge.start(List.of(TestingApiServer.TASKS), TestingBridge.keyedConfig(API_KEY));
    server = fixture.server;
    client = fixture.client;
    storage = fixture.storage;
    bridge = fixture.bridge;
  }

  @AfterAll
  static void stop() {
    Awaitility.reset();
    fixture.close();
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
    assertThat(task.getSpec().getInputs()).containsExactlyEntriesOf(Map.of("in_1", INPUT_URL));
    assertThat(task.getSpec().getOutputs()).containsExactlyEntriesOf(Map.of("out_1", "output.mp4"));
    // A seed client asks for no resources: its task runs on the operator's defaults.
    assertThat(task.getSpec().getResources()).isNull();

    // Right after registering, the task is pending whether or not the cache has it yet.
    HttpResponse<String> status = get("ffmpeg/status/" + taskId);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(status.body())).isEqualTo(body);
  }

  @Test
  void registerWithoutContentTypeOrAnyInputIsAccepted() throws Exception {
    String body =
        "{\"ffmpeg_command\": \"-filter_complex testsrc=duration=1 out_1\", \"input_files\": {},"
            + " \"output_files\": {\"out_1\": \"a.mp4\"}}";
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
        "{\"ffmpeg_command\": \"-i in_1 out_1\", \"output_files\": {\"out_1\": \"o.mp4\"}}",
        "application/json",
        "missing",
        "[\"body\",\"input_files\"]");
    assertBodyError(
        VALID_BODY.replace("\"output_files\"", "\"foo\": 1, \"output_files\""),
        "application/json",
        "extra_forbidden",
        "[\"body\",\"foo\"]");
    assertBodyError(
        "{\"ffmpeg_command\": 42, \"output_files\": {\"out_1\": \"o.mp4\"}}",
        "application/json",
        "string_type",
        "[\"body\",\"ffmpeg_command\"]");
    assertBodyError(
        "{\"ffmpeg_command\": \"x out_1\", \"input_files\": {}, \"output_files\": [\"o.mp4\"]}",
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
  void unknownKeysAreListedInPydanticShape() throws Exception {
    HttpResponse<String> response =
        post(
            "ffmpeg/register",
            VALID_BODY.replace("\"output_files\"", "\"foo\": [1], \"output_files\""),
            "application/json");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"detail": [{"type": "extra_forbidden", "loc": ["body", "foo"],
                             "msg": "Extra inputs are not permitted", "input": [1]}]}
                """));
    assertThat(tasks()).isEmpty();
  }

  @Test
  void emptyCommandOrOutputsAre400InTheOriginalsWords() throws Exception {
    HttpResponse<String> noCommand =
        post("ffmpeg/register", VALID_BODY.replaceFirst("\"-i in_1[^\"]*\"", "\"\""), null);
    assertThat(noCommand.statusCode()).isEqualTo(400);
    assertThat(noCommand.body()).isEqualTo("{\"detail\":\"No ffmpeg_command provided\"}");

    HttpResponse<String> noOutputs =
        post("ffmpeg/register", VALID_BODY.replace("{\"out_1\": \"output.mp4\"}", "{}"), null);
    assertThat(noOutputs.statusCode()).isEqualTo(400);
    assertThat(noOutputs.body()).isEqualTo("{\"detail\":\"No output_files provided\"}");
    assertThat(tasks()).isEmpty();
  }

  @Test
  void aLeadingFfmpegWordIsDroppedAsTheOriginalDid() throws Exception {
    register(VALID_BODY.replace("\"-i in_1", "\"ffmpeg -i in_1"));

    assertThat(tasks())
        .singleElement()
        .satisfies(
            t -> assertThat(t.getSpec().getCommand()).isEqualTo("-i in_1 -vf scale=320:240 out_1"));
  }

  @Test
  void tasksThatCanNeverRunGetOneSentencePerProblemAndCreateNothing() throws Exception {
    assertTaskError(
        VALID_BODY.replace("-i in_1 -vf", "-i {{in_9}} -i in_1 -vf"), "unknown placeholder");
    assertTaskError(VALID_BODY.replace("output.mp4", "../x.mp4"), "file name must be a plain name");
    assertTaskError(
        VALID_BODY.replace("https://", "ftp://"), "only http, https and s3:// URLs are allowed");
    assertTaskError(
        VALID_BODY.replace("https://", "https://user:secret@"),
        "input 'in_1': URLs with user info are not accepted");
    assertThat(tasks()).isEmpty();
  }

  @Test
  void registerKeepsTheResourcesATaskAsksForAndAnswersInTheSeedShape() throws Exception {
    String body =
        VALID_BODY.replace(
            "\"output_files\"",
            """
            "resources": {"requests": {"cpu": "500m", "memory": "256Mi"},
                          "limits": {"cpu": 2, "memory": "1Gi"}},
            "output_files\"""");
    HttpResponse<String> response = post("ffmpeg/register", body, "application/json");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(fieldNames(JSON.readTree(response.body())))
        .containsExactly("task_id", "status", "output_urls", "error_message");
    TaskResources resources = tasks().get(0).getSpec().getResources();
    assertThat(TaskResources.text(resources.getRequests()))
        .isEqualTo(Map.of("cpu", "500m", "memory", "256Mi"));
    // A number is taken as the quantity it spells, as Kubernetes takes it.
    assertThat(TaskResources.text(resources.getLimits()))
        .isEqualTo(Map.of("cpu", "2", "memory", "1Gi"));
    String taskId = JSON.readTree(response.body()).get("task_id").asText();
    assertThat(fieldNames(JSON.readTree(get("ffmpeg/status/" + taskId).body())))
        .containsExactly("task_id", "status", "output_urls", "error_message");
  }

  @Test
  void resourcesThatMayNotRunAre422NamingTheFieldAndCreateNothing() throws Exception {
    assertTaskError(
        withResources("{\"limits\": {\"memory\": \"64Gi\"}}"),
        "resources.limits.memory 64Gi is above the maximum 8Gi");
    assertTaskError(
        withResources("{\"requests\": {\"gpu\": \"1\"}}"),
        "resources.requests.gpu is not allowed: only cpu and memory may be set");
    assertTaskError(
        withResources("{\"limits\": {\"ephemeral-storage\": \"1Gi\"}}"),
        "resources.limits.ephemeral-storage is not allowed");
    assertTaskError(
        withResources("{\"limits\": {\"cpu\": \"two\"}}"),
        "resources.limits.cpu 'two' is not a Kubernetes quantity");
    assertTaskError(
        withResources("{\"requests\": {\"cpu\": \"2\"}, \"limits\": {\"cpu\": \"1\"}}"),
        "resources.requests.cpu 2 is above resources.limits.cpu 1");
    // A bad command and bad resources: both are said at once.
    String both =
        withResources("{\"limits\": {\"cpu\": \"64\"}}").replace("-i in_1", "-i /etc/passwd");
    assertTaskError(both, "/etc/passwd");
    assertTaskError(both, "resources.limits.cpu 64 is above the maximum 4");
    assertBodyError(
        withResources("{\"limits\": \"2\"}"),
        "application/json",
        "dict_type",
        "[\"body\",\"resources\",\"limits\"]");
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
         "input_files": {"in_1": "https://93.184.215.14/v.mp4"},
         "output_files": {"out_video": "video.mp4", "out_audio": "audio.m4a"}}
        """;
    String taskId = register(body);
    writeCompleted(
        taskId,
        new StoredOutput("out_audio", BUCKET, StorageKeys.taskOutput(taskId, "audio.m4a"), 10L),
        new StoredOutput("out_video", BUCKET, StorageKeys.taskOutput(taskId, "video.mp4"), 20L));

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
    writeState(taskId, TaskState.Running, "ffmpeg is running");
    await()
        .untilAsserted(
            () ->
                assertThat(get("ffmpeg/status/" + taskId).body())
                    .isEqualTo(
                        "{\"task_id\":\""
                            + taskId
                            + "\",\"status\":\"running\",\"output_urls\":null,"
                            + "\"error_message\":null}"));

    writeState(
        taskId,
        TaskState.Failed,
        "ffmpeg exited with code 1: Invalid data found when processing input");
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
  void listPagesAddUpToEveryTaskOnceWhileTasksAreAdded() throws Exception {
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      before.add(register(VALID_BODY));
    }
    await().until(() -> listed("ffmpeg/tasks").size() == 5);

    List<String> seen = new ArrayList<>();
    List<String> added = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          JSON.readTree(
              get("ffmpeg/tasks?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).body());
      assertThat(fieldNames(page)).containsExactly("tasks", "next_cursor");
      page.get("tasks").forEach(task -> seen.add(task.get("task_id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      String task = register(VALID_BODY);
      added.add(task);
      await().until(() -> listed("ffmpeg/tasks?limit=500").contains(task));
    } while (cursor != null);

    assertPagedOnce(seen, before, added, listed("ffmpeg/tasks?limit=500"));
  }

  /**
   * Pages read while tasks were added hold each task there before exactly once, in the full list's
   * order. Creation times have whole seconds, so a task added in the cursor's second may sort after
   * it and come too, also once.
   */
  private static void assertPagedOnce(
      List<String> seen, List<String> before, List<String> added, List<String> all) {
    assertThat(seen).doesNotHaveDuplicates().containsAll(before);
    assertThat(seen).allMatch(id -> before.contains(id) || added.contains(id));
    assertThat(seen).isEqualTo(all.stream().filter(seen::contains).toList());
  }

  @Test
  void listItemsAreTheStatusAnswersAndFilterByTheSeedsStates() throws Exception {
    String done = register(VALID_BODY);
    String failed = register(VALID_BODY);
    String pending = register(VALID_BODY);
    writeCompleted(
        done, new StoredOutput("out_1", BUCKET, StorageKeys.taskOutput(done, "output.mp4"), 10L));
    writeState(failed, TaskState.Failed, "ffmpeg failed (exit 1): Unknown encoder 'nosuch'");
    await().until(() -> listed("ffmpeg/tasks?status=failed").equals(List.of(failed)));

    assertThat(listed("ffmpeg/tasks?status=completed")).containsExactly(done);
    assertThat(listed("ffmpeg/tasks?status=pending")).containsExactly(pending);
    assertThat(listed("ffmpeg/tasks?status=running")).isEmpty();
    JsonNode item = JSON.readTree(get("ffmpeg/tasks?status=completed").body()).at("/tasks/0");
    JsonNode status = JSON.readTree(get("ffmpeg/status/" + done).body());
    assertThat(fieldNames(item)).containsExactly(fieldNames(status).toArray(String[]::new));
    assertThat(item.at("/output_urls/out_1").asText())
        .startsWith(status.at("/output_urls/out_1").asText().split("\\?")[0] + "?")
        .contains("X-Amz-Expires=604800");
    assertThat(JSON.readTree(get("ffmpeg/tasks?status=failed").body()).at("/tasks/0"))
        .isEqualTo(JSON.readTree(get("ffmpeg/status/" + failed).body()));
  }

  @Test
  void listParametersOutsideWhatItTakesAre422WithDetail() throws Exception {
    Map<String, String> refused =
        Map.of(
            "status=cancelled", "status must be one of pending, running, completed, failed",
            "status=Pending", "status must be one of",
            "limit=0", "limit must be a whole number from 1 to 500",
            "limit=501", "limit must be a whole number from 1 to 500",
            "limit=ten", "limit must be a whole number",
            "cursor=not-a-cursor", "cursor is not one this API gave out");
    for (Map.Entry<String, String> query : refused.entrySet()) {
      HttpResponse<String> response = get("ffmpeg/tasks?" + query.getKey());
      assertThat(response.statusCode()).as(query.getKey()).isEqualTo(422);
      assertThat(JSON.readTree(response.body()).get("detail").asText())
          .as(query.getKey())
          .contains(query.getValue());
    }
  }

  @Test
  void listAndQueueSizeAreServedFromTheCache() throws Exception {
    String running = register(VALID_BODY);
    register(VALID_BODY);
    register(VALID_BODY);
    writeState(running, TaskState.Running, null);
    await().until(() -> get("ffmpeg/queue/size").body(), "{\"queue_size\":2}"::equals);
    await().until(() -> listed("ffmpeg/tasks").size() == 3);

    int before = server.getRequestCount();
    for (int i = 0; i < 20; i++) {
      assertThat(get("ffmpeg/tasks").statusCode()).isEqualTo(200);
      assertThat(get("ffmpeg/queue/size").statusCode()).isEqualTo(200);
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
            ApiBridge.start(TestingBridge.config(), deadClient, storage, TRUE_FFMPEG)) {
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
            "/ffmpeg/merge-audio-video",
            "/ffmpeg/status/{task_id}",
            "/ffmpeg/cancel/{task_id}",
            "/ffmpeg/tasks/{task_id}",
            "/ffmpeg/tasks",
            "/ffmpeg/queue/size",
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
            "/video/jobs",
            "/storage/origin/{file}",
            "/storage/modi/{file}");
    JsonNode register = document.at("/paths/~1ffmpeg~1register/post");
    assertThat(register.at("/requestBody/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/TaskRequest");
    assertThat(fieldNames(register.get("responses"))).contains("200", "422");
    assertThat(fieldNames(document.at("/components/schemas/TaskRequest/properties")))
        .containsExactlyInAnyOrder(
            "ffmpeg_command",
            "input_files",
            "output_files",
            "resources",
            "webhook_url",
            "priority",
            "parallel");
    assertThat(document.at("/components/schemas/TaskRequest/properties/parallel/type").asText())
        .isEqualTo("object");
    assertThat(document.at("/components/schemas/TaskRequest/properties/webhook_url/type").asText())
        .isEqualTo("string");
    assertThat(document.at("/components/schemas/TaskRequest/properties/priority/enum").toString())
        .isEqualTo("[\"high\",\"normal\",\"low\"]");
    assertThat(fieldNames(document.at("/components/schemas/TaskResponse/properties")))
        .containsExactlyInAnyOrder("task_id", "status", "output_urls", "error_message");
    assertThat(document.at("/paths/~1ffmpeg~1status~1{task_id}/get/parameters/0/name").asText())
        .isEqualTo("task_id");
    assertThat(fieldNames(document.at("/paths/~1ffmpeg~1cancel~1{task_id}/post/responses")))
        .contains("202", "404", "409");
    assertThat(fieldNames(document.at("/paths/~1ffmpeg~1tasks~1{task_id}/delete/responses")))
        .contains("204", "404");
    JsonNode list = document.at("/paths/~1ffmpeg~1tasks/get");
    assertThat(list.get("parameters").findValuesAsText("name"))
        .containsExactly("status", "limit", "cursor");
    assertThat(fieldNames(list.get("responses"))).contains("200", "422");
    assertThat(fieldNames(document.at("/components/schemas/TaskList/properties")))
        .containsExactly("tasks", "next_cursor");
    assertThat(fieldNames(document.at("/components/schemas/QueueSize/properties")))
        .containsExactly("queue_size");
    assertThat(fieldNames(register.get("responses"))).contains("400");
    JsonNode merge = document.at("/paths/~1ffmpeg~1merge-audio-video/post");
    assertThat(merge.at("/requestBody/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/MergeAudioVideoRequest");
    assertThat(merge.at("/responses/200/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/TaskResponse");
    assertThat(fieldNames(merge.get("responses"))).contains("200", "422");
    JsonNode mergeBody = document.at("/components/schemas/MergeAudioVideoRequest");
    assertThat(fieldNames(mergeBody.get("properties")))
        .containsExactly("video_url", "audio_urls", "output_filename");
    assertThat(mergeBody.get("required"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("video_url", "audio_urls", "output_filename");
    assertThat(mergeBody.at("/properties/audio_urls/type").asText()).isEqualTo("array");
    assertThat(mergeBody.at("/properties/audio_urls/minItems").asInt()).isEqualTo(1);

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
    for (String folder : List.of("origin", "modi")) {
      JsonNode file = document.at("/paths/~1storage~1" + folder + "~1{file}/get");
      assertThat(fieldNames(file.get("responses"))).as(folder).contains("307", "404");
      assertThat(file.at("/parameters/0/name").asText()).isEqualTo("file");
      assertThat(file.at("/responses/307/headers/Location")).isNotNull();
    }
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

  @Test
  void protectedEndpointsNeedAValidBearerKey() throws Exception {
    HttpResponse<String> none = send(registerRequest(VALID_BODY), null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(none.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(none.body()).isEqualTo("{\"detail\":\"Not authenticated\"}");

    HttpResponse<String> basic =
        send(registerRequest(VALID_BODY).header("Authorization", "Basic dXNlcjpwYXNz"), null);
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(basic.body()).isEqualTo("{\"detail\":\"Not authenticated\"}");

    for (String wrong : List.of("wrong-key", API_KEY.substring(0, 10), API_KEY + "x")) {
      HttpResponse<String> refused = send(registerRequest(VALID_BODY), wrong);
      assertThat(refused.statusCode()).as(wrong).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
      assertThat(refused.body()).isEqualTo("{\"detail\":\"Invalid API key\"}");
    }
    assertThat(tasks()).isEmpty();

    HttpResponse<String> right = send(registerRequest(VALID_BODY), API_KEY);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    assertThat(tasks()).hasSize(1);
    assertThat(send(registerRequest(VALID_BODY), "  " + API_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void everyProtectedEndpointRefusesARequestWithoutAKeyHoweverItIsSpelled() throws Exception {
    for (String path :
        List.of(
            "ffmpeg/status/" + UUID.randomUUID(),
            "ffmpeg/status/" + UUID.randomUUID() + "/",
            "ffmpeg/status/a%2Fb",
            "ffmpeg/tasks",
            "ffmpeg/queue/size",
            "video/view/all",
            "video/view/info/?video_id=1",
            "video/download?video_id=1",
            "video/jobs",
            "video/jobs/1",
            "storage/origin/video_20240910161824.mp4",
            "storage/modi/video_trim_20240910161824.mp4",
            "storage/origin/..%2Fsecret.txt")) {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(bridge.uri().resolve(path)), null);
      assertThat(response.statusCode()).as(path).isEqualTo(401);
    }
    for (String path :
        List.of(
            "ffmpeg/merge-audio-video",
            "video/process/trim",
            "video/process/concat",
            "video/process/encoding",
            "video/process/execute")) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(bridge.uri().resolve(path))
              .POST(HttpRequest.BodyPublishers.ofString("{}"));
      assertThat(send(request, null).statusCode()).as(path).isEqualTo(401);
    }
    HttpRequest.Builder upload =
        HttpRequest.newBuilder(bridge.uri().resolve("video/upload"))
            .header("Content-Type", "multipart/form-data; boundary=x")
            .PUT(HttpRequest.BodyPublishers.ofString("--x--\r\n"));
    assertThat(send(upload, null).statusCode()).isEqualTo(401);
  }

  @Test
  void healthChecksAndDocsNeedNoKey() throws Exception {
    for (String path :
        List.of(
            "health",
            "health/",
            "ffmpeg/health",
            "openapi.json",
            "docs",
            "redoc",
            "static/swagger-ui/swagger-ui.css",
            "static/redoc/redoc.standalone.js")) {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(bridge.uri().resolve(path)), null);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void openApiDeclaresTheBearerSchemeOnProtectedOperationsOnly() throws Exception {
    JsonNode document =
        JSON.readTree(
            send(HttpRequest.newBuilder(bridge.uri().resolve("openapi.json")), null).body());

    JsonNode scheme = document.at("/components/securitySchemes/HTTPBearer");
    assertThat(scheme.get("type").asText()).isEqualTo("http");
    assertThat(scheme.get("scheme").asText()).isEqualTo("bearer");
    JsonNode register = document.at("/paths/~1ffmpeg~1register/post");
    assertThat(register.get("security").toString()).isEqualTo("[{\"HTTPBearer\":[]}]");
    assertThat(fieldNames(register.get("responses"))).contains("401", "413");
    assertThat(document.at("/paths/~1health/get").has("security")).isFalse();
    assertThat(document.at("/paths/~1ffmpeg~1health/get").has("security")).isFalse();
    document
        .get("paths")
        .fields()
        .forEachRemaining(
            path -> {
              if (!path.getKey().endsWith("health")) {
                path.getValue()
                    .forEach(
                        operation ->
                            assertThat(operation.has("security")).as(path.getKey()).isTrue());
              }
            });
  }

  @Test
  void keysCanComeFromAMountedSecretFolder(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ci"), "ci-key-0123456789\n");
    Files.writeString(dir.resolve("ops"), "\nops-key-0123456789\n\n");
    BridgeConfig config =
        BridgeConfig.fromEnv(
            Map.of(
                "BRIDGE_HOST",
                "127.0.0.1",
                "BRIDGE_PORT",
                "0",
                "WATCH_NAMESPACE",
                NS,
                "API_KEYS_FILE",
                dir.toString()));
    try (ApiBridge keyed = ApiBridge.start(config, client, storage, TRUE_FFMPEG)) {
      URI status = keyed.uri().resolve("ffmpeg/status/" + UUID.randomUUID());
      assertThat(send(HttpRequest.newBuilder(status), "ci-key-0123456789").statusCode())
          .isEqualTo(404);
      assertThat(send(HttpRequest.newBuilder(status), "ops-key-0123456789").statusCode())
          .isEqualTo(404);
      assertThat(send(HttpRequest.newBuilder(status), API_KEY).statusCode()).isEqualTo(401);
      assertThat(send(HttpRequest.newBuilder(status), null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void withoutKeysTheApiIsOpen() throws Exception {
    try (ApiBridge open = ApiBridge.start(TestingBridge.config(), client, storage, TRUE_FFMPEG)) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(open.uri().resolve("ffmpeg/status/" + UUID.randomUUID())),
              null);
      assertThat(response.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void jsonBodiesAboveTheLimitAre413AndCreateNothing() throws Exception {
    String big = "{\"ffmpeg_command\": \"" + "x".repeat(2 << 20) + "\"}";
    String tooLarge = "{\"detail\":\"Request body too large: at most 1 MiB is allowed\"}";

    HttpResponse<String> declared = post("ffmpeg/register", big, "application/json");
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).isEqualTo(tooLarge);

    for (String path : List.of("ffmpeg/register", "video/process/trim")) {
      HttpResponse<String> chunked =
          send(
              HttpRequest.newBuilder(bridge.uri().resolve(path))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofString(big))),
              API_KEY);
      assertThat(chunked.statusCode()).as(path).isEqualTo(413);
      assertThat(chunked.body()).as(path).isEqualTo(tooLarge);
    }
    assertThat(tasks()).isEmpty();

    // Just below the limit is fine: the cap is on bytes, not on what they say.
    String padded = " ".repeat((1 << 20) - VALID_BODY.length()) + VALID_BODY;
    HttpResponse<String> atLimit = post("ffmpeg/register", padded, "application/json");
    assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(200);
  }

  @Test
  void inputsAtInternalAddressesAre422AndCreateNothing() throws Exception {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("http://127.0.0.1/a.mp4", "127.0.0.1 resolves to a loopback address");
    refused.put(
        "http://169.254.169.254/latest/meta-data/",
        "169.254.169.254 resolves to a link-local address");
    refused.put("http://10.0.0.1/a.mp4", "10.0.0.1 resolves to a private address");
    refused.put("http://2130706433/", "2130706433 resolves to a loopback address");
    refused.put("http://[::ffff:127.0.0.1]/", "resolves to a loopback address");
    refused.put("https://no-such-host.invalid/a.mp4", "host no-such-host.invalid does not resolve");

    refused.forEach(
        (url, reason) -> {
          try {
            HttpResponse<String> response =
                post("ffmpeg/register", VALID_BODY.replace(INPUT_URL, url), "application/json");
            assertThat(response.statusCode()).as(url).isEqualTo(422);
            assertThat(JSON.readTree(response.body()).get("detail").asText())
                .as(url)
                .startsWith("input 'in_1': ")
                .contains(reason);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(tasks()).isEmpty();

    // s3:// inputs are the platform's own: not resolved.
    String s3 = VALID_BODY.replace(INPUT_URL, "s3://" + BUCKET + "/origin/a.mp4");
    assertThat(post("ffmpeg/register", s3, "application/json").statusCode()).isEqualTo(200);
  }

  @Test
  void aWebhookUrlIsKeptOnTheResourceOnlyAndTheAnswerStaysTheSeeds() throws Exception {
    String url = "https://93.184.215.14/hooks/ffmpeg?client=7";
    HttpResponse<String> response =
        post("ffmpeg/register", withWebhook("\"" + url + "\""), "application/json");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(tasks().get(0).getSpec().getWebhook().getUrl()).isEqualTo(url);
    String taskId = JSON.readTree(response.body()).get("task_id").asText();
    String status = get("ffmpeg/status/" + taskId).body();
    assertThat(fieldNames(JSON.readTree(status)))
        .containsExactly("task_id", "status", "output_urls", "error_message");
    assertThat(status).doesNotContain("93.184.215.14");
  }

  @Test
  void webhookUrlsThatMayNotBeCalledAre422NamingWebhookUrlAndCreateNothing() throws Exception {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("http://10.0.0.1/hook", "10.0.0.1 resolves to a private address");
    refused.put("http://192.168.1.20:8080/hook", "resolves to a private address");
    refused.put(
        "http://169.254.169.254/latest/meta-data/",
        "169.254.169.254 resolves to a link-local address");
    refused.put("http://[fd00:ec2::254]/", "resolves to a private address");
    refused.put("http://127.0.0.1:9000/hook", "127.0.0.1 resolves to a loopback address");
    refused.put("http://user:pass@93.184.215.14/hook", "may not carry user info");
    refused.put("https://token@93.184.215.14/hook", "may not carry user info");
    refused.put("ftp://93.184.215.14/hook", "must be an http or https URL");
    refused.put("https://no-such-host.invalid/hook", "host no-such-host.invalid does not resolve");

    for (Map.Entry<String, String> entry : refused.entrySet()) {
      HttpResponse<String> response =
          post("ffmpeg/register", withWebhook("\"" + entry.getKey() + "\""), "application/json");
      assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(422);
      assertThat(JSON.readTree(response.body()).get("detail").asText())
          .as(entry.getKey())
          .startsWith("webhook_url")
          .contains(entry.getValue())
          .doesNotContain("user:pass@");
    }
    // Not a string at all: the model's own 422.
    assertBodyError(
        withWebhook("42"), "application/json", "string_type", "[\"body\",\"webhook_url\"]");
    assertThat(tasks()).isEmpty();
  }

  @Test
  void priorityIsOneOfThreeWordsAndReachesTheSpec() throws Exception {
    HttpResponse<String> wrong =
        post(
            "ffmpeg/register",
            VALID_BODY.replace("\"output_files\"", "\"priority\": \"urgent\", \"output_files\""),
            "application/json");
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(wrong.body()).get("detail").asText())
        .isEqualTo("priority must be one of high, normal, low, not 'urgent'");
    assertThat(tasks()).isEmpty();

    HttpResponse<String> high =
        post(
            "ffmpeg/register",
            VALID_BODY.replace("\"output_files\"", "\"priority\": \"high\", \"output_files\""),
            "application/json");
    assertThat(high.statusCode()).as(high.body()).isEqualTo(200);
    assertThat(tasks())
        .singleElement()
        .satisfies(task -> assertThat(task.getSpec().getPriority()).isEqualTo(TaskPriority.High));
  }

  @Test
  void networksTheBridgeAllowsMayBeInputs() throws Exception {
    BridgeConfig config =
        TestingBridge.config().withAddressPolicy(AddressPolicy.allowing("127.0.0.0/8,::1/128"));
    try (ApiBridge local = ApiBridge.start(config, client, storage, TRUE_FFMPEG)) {
      String body = VALID_BODY.replace(INPUT_URL, "http://127.0.0.1:8080/a.mp4");
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(local.uri().resolve("ffmpeg/register"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body)),
              null);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
  }

  private static HttpRequest.Builder registerRequest(String body) {
    return HttpRequest.newBuilder(bridge.uri().resolve("ffmpeg/register"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
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

  /** The valid body with {@code webhook_url} (JSON) added. */
  private static String withWebhook(String url) {
    return VALID_BODY.replace("\"output_files\"", "\"webhook_url\": " + url + ", \"output_files\"");
  }

  /** The valid body with {@code resources} (JSON) added. */
  private static String withResources(String resources) {
    return VALID_BODY.replace(
        "\"output_files\"", "\"resources\": " + resources + ", \"output_files\"");
  }

  private String register(String body) throws Exception {
    HttpResponse<String> response = post("ffmpeg/register", body, "application/json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("task_id").asText();
  }

  private static void writeState(String taskId, TaskState state, String message) {
    writeStatus(
        taskId,
        status -> {
          status.setState(state);
          status.setMessage(message);
          return status;
        });
  }

  private static void writeCompleted(String taskId, StoredOutput... outputs) {
    writeStatus(
        taskId,
        status -> {
          status.setState(TaskState.Completed);
          status.setOutputs(List.of(outputs));
          return status;
        });
  }

  private static void writeStatus(String taskId, UnaryOperator<FfmpegTaskStatus> change) {
    FfmpegTask task = client.resources(FfmpegTask.class).inNamespace(NS).withName(taskId).get();
    task.setStatus(
        change.apply(task.getStatus() == null ? new FfmpegTaskStatus() : task.getStatus()));
    client.resources(FfmpegTask.class).inNamespace(NS).resource(task).updateStatus();
  }

  /** The task ids a list answers, in its order. */
  private static List<String> listed(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    JSON.readTree(response.body()).get("tasks").forEach(t -> ids.add(t.get("task_id").asText()));
    return ids;
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

  /** GET with the API key. */
  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(bridge.uri().resolve(path)), API_KEY);
  }

  /** POST with the API key. */
  private static HttpResponse<String> post(String path, String body, String contentType)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(bridge.uri().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request, API_KEY);
  }
}
