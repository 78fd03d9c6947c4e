package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping and starting {@code make run} keeps every task and every stored file. */
class StackRestartIT {
  @TempDir Path home;
  @TempDir Path out;

  @Test
  void tasksAndFilesSurviveARestart() throws Exception {
    String id;
    try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.forTest(home))) {
      id = registerAndComplete(stack, "-i in_1 -t 1 -c copy out_1", "first-second.mp4");
    }

    try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.forTest(home))) {
      var api = new TestingApiClient(stack.apiUri());
      JsonNode status = api.get("/ffmpeg/status/" + id).body();
      assertThat(status.get("status").asText()).isEqualTo("completed");
      String link = status.get("output_urls").get("out_1").asText();
      assertThat(api.download(link, out.resolve("again.mp4"))).isEqualTo(200);
      JsonNode probe = new TestingMedia(stack.ffmpeg()).probe(out.resolve("again.mp4"));
      assertThat(probe.get("format").get("duration").asDouble()).isBetween(0.9, 1.2);
    }
  }

  @Test
  void libraryRecordsAndQueuedJobsSurviveARestart() throws Exception {
    Path clip;
    long videoId;
    long jobId;
    try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.forTest(home))) {
      var api = new TestingApiClient(stack.apiUri());
      clip = new TestingMedia(stack.ffmpeg()).clip(out.resolve("clip.mp4"), 1, 160, 120);
      var upload = api.upload(clip);
      assertThat(upload.status()).isEqualTo(200);
      videoId = upload.body().get(0).get("id").asLong();
      var queued =
          api.post(
              "/video/process/trim",
              Map.of(
                  "request_code",
                  "after-restart",
                  "video_id",
                  videoId,
                  "trim_start",
                  "0",
                  "trim_end",
                  "500"));
      assertThat(queued.status()).isEqualTo(200);
      jobId = queued.body().get("job_id").asLong();
    }

    try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.forTest(home))) {
      var api = new TestingApiClient(stack.apiUri());
      assertThat(api.get("/video/view/all").body())
          .anySatisfy(v -> assertThat(v.get("id").asLong()).isEqualTo(videoId));
      assertThat(api.get("/video/jobs/" + jobId).body().get("state").asText()).isEqualTo("held");
      var executed = api.post("/video/process/execute", Map.of("request_code", "after-restart"));
      assertThat(executed.status()).as(String.valueOf(executed.body())).isEqualTo(200);
      // Ids keep counting after a restart: the next upload gets a new one.
      var again = api.upload(clip);
      assertThat(again.body().get(0).get("id").asLong()).isGreaterThan(videoId);
    }
  }

  /**
   * What a cluster without the CRD's schema (or {@code kubectl apply --validate=false} against an
   * older version of this server) stored for a task whose inputs were written as a string: before,
   * every later start of {@code make run} hung until its file was removed by hand. The API server
   * now refuses such a task, so the first stack stores it with validation off.
   */
  @Test
  void aStoredTaskThatDoesNotFitTheModelNeverStopsTheStack() throws Exception {
    String broken =
        "apiVersion: media.ffmpeg-operator.io/v1alpha1\n"
            + "kind: FfmpegTask\n"
            + "metadata: {name: inputs-a-string, namespace: default}\n"
            + "spec: {command: '-i in_1 out_1', inputs: 'http://h/a.mp4', outputs: {out_1: o.mp4}}\n";
    System.setProperty(EmbeddedKubernetes.VALIDATION_PROPERTY, "off");
    try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.forTest(home))) {
      KubernetesClient client = stack.kubernetesClient();
      client
          .resource(
              client
                  .getKubernetesSerialization()
                  .unmarshal(broken, GenericKubernetesResource.class))
          .create();
      awaitUnreadableEvent(client);
    } finally {
      System.clearProperty(EmbeddedKubernetes.VALIDATION_PROPERTY);
    }

    try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.forTest(home))) {
      awaitUnreadableEvent(stack.kubernetesClient());
      var api = new TestingApiClient(stack.apiUri());
      var unreadable = api.get("/ffmpeg/status/inputs-a-string");
      assertThat(unreadable.status()).isEqualTo(500);
      assertThat(unreadable.body().get("detail").asText())
          .contains("spec.inputs: expected an object, got a string")
          .contains("fix or delete");
      registerAndComplete(stack, "-i in_1 -t 0.5 -c copy out_1", "beside-a-broken-one.mp4");
      // Left as it was stored, for its owner to fix or delete.
      assertThat(
              stack
                  .kubernetesClient()
                  .genericKubernetesResources("media.ffmpeg-operator.io/v1alpha1", "FfmpegTask")
                  .inNamespace("default")
                  .withName("inputs-a-string")
                  .get()
                  .getAdditionalProperties())
          .doesNotContainKey("status");
    }
  }

  /**
   * Registers a task on the stack's sample clip as in_1 with one output, out_1, and waits for it to
   * complete; returns its id.
   */
  private static String registerAndComplete(EmbeddedStack stack, String command, String outputName)
      throws Exception {
    var api = new TestingApiClient(stack.apiUri());
    String id =
        api.registerTask(
                command,
                Map.of("in_1", TestingStack.sampleInput(stack)),
                Map.of("out_1", outputName))
            .get("task_id")
            .asText();
    JsonNode status = api.awaitTaskFinished(id);
    assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("completed");
    return id;
  }

  private static void awaitUnreadableEvent(KubernetesClient client) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.v1().events().inNamespace("default").list().getItems().stream()
                    .anyMatch(
                        e ->
                            e.getInvolvedObject().getName().equals("inputs-a-string")
                                && e.getReason().equals("Unreadable")
                                && e.getMessage().contains("spec.inputs: expected an object")));
  }
}
