package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl logs} on the embedded stack: a real task's worker pod, found as kubectl finds it
 * for {@code kubectl logs job/<name>}, and its log read with kubectl's requests.
 */
class PodLogsIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHORT_COMMAND =
      "-i in_1 -t 1 -vf scale=160:90 -c:v libx264 -preset ultrafast -an out_1";

  /** -re reads the sample in real time: ffmpeg runs for four seconds at least. */
  private static final String SLOW_COMMAND =
      "-re -i in_1 -t 4 -vf scale=160:90 -c:v libx264 -preset ultrafast -an out_1";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aFinishedTasksPodLogHoldsTheWorkersLines() throws Exception {
    String id = stack.registerOnSample(SHORT_COMMAND, "logged.mp4");
    assertThat(stack.api().awaitTaskFinished(id).get("status").asText()).isEqualTo("completed");
    Pod pod = podOfJob(jobOf(id));
    await().atMost(Duration.ofSeconds(30)).until(() -> terminated(pod));
    String log = pod.logPath();

    HttpResponse<String> all = get(log + "?container=" + pod.container());
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(all.body())
        .contains(
            "task " + id + ": fetched input in_1",
            "task " + id + ": ffmpeg exited 0",
            "task " + id + ": stored output out_1",
            "task " + id + ": succeeded");
    List<String> lines = all.body().lines().toList();

    // kubectl logs --tail=3, --limit-bytes=20, --since=1h, --since=1s a while after the end.
    assertThat(get(log + "?container=" + pod.container() + "&tailLines=3").body().lines())
        .containsExactlyElementsOf(lines.subList(lines.size() - 3, lines.size()));
    assertThat(get(log + "?container=" + pod.container() + "&limitBytes=20").body())
        .isEqualTo(all.body().substring(0, 20));
    assertThat(get(log + "?container=" + pod.container() + "&sinceSeconds=3600").body())
        .isEqualTo(all.body());
    Thread.sleep(2_100);
    assertThat(get(log + "?container=" + pod.container() + "&sinceSeconds=1").body()).isEmpty();
    assertThat(get(log + "?container=" + pod.container() + "&timestamps=true").body().lines())
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z .*"));
  }

  @Test
  void followStreamsTheLinesOfARunningWorkerUntilItsPodEnds() throws Exception {
    String id = stack.registerOnSample(SLOW_COMMAND, "followed.mp4");
    Pod pod = podOfJob(jobOf(id));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> running(pod));
    String before = get(pod.logPath() + "?container=" + pod.container()).body();
    assertThat(before).doesNotContain("ffmpeg exited");

    // kubectl logs -f <pod>
    HttpResponse<InputStream> followed =
        http.send(
            request(pod.logPath() + "?container=" + pod.container() + "&follow=true"),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(followed.statusCode()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    CompletableFuture.runAsync(() -> readLines(followed, lines)).get(90, TimeUnit.SECONDS);

    // The stream ended because the pod did, with the lines written while it was open.
    assertThat(terminated(pod)).isTrue();
    assertThat(String.join("\n", lines))
        .contains("task " + id + ": ffmpeg exited 0", "task " + id + ": succeeded");
    String after = get(pod.logPath() + "?container=" + pod.container()).body();
    assertThat(lines).containsExactlyElementsOf(after.lines().toList());
  }

  @Test
  void anUnknownPodIsNotFound() throws Exception {
    HttpResponse<String> response =
        get("/api/v1/namespaces/" + stack.config().namespace() + "/pods/no-such-pod/log");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("message").asText()).isEqualTo("pods \"no-such-pod\" not found");
  }

  private record Pod(String namespace, String name, String container) {
    String path() {
      return "/api/v1/namespaces/" + namespace + "/pods/" + name;
    }

    String logPath() {
      return path() + "/log";
    }
  }

  /** The task's Job, by the label the operator puts on it. */
  private String jobOf(String id) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stack.jobs().withLabel("app.kubernetes.io/instance", id).list().getItems().stream()
                    .map(j -> j.getMetadata().getName())
                    .findFirst(),
            java.util.Optional::isPresent)
        .get();
  }

  /**
   * What {@code kubectl logs job/<name>} does: GET the Job, list the pods its {@code spec.selector}
   * selects, take the first.
   */
  private Pod podOfJob(String job) throws Exception {
    String namespace = stack.config().namespace();
    JsonNode jobJson = json("/apis/batch/v1/namespaces/" + namespace + "/jobs/" + job);
    String selector =
        jobJson.path("spec").path("selector").path("matchLabels").properties().stream()
            .map(e -> e.getKey() + "=" + e.getValue().asText())
            .collect(Collectors.joining(","));
    assertThat(selector)
        .isEqualTo(
            "batch.kubernetes.io/controller-uid=" + jobJson.path("metadata").path("uid").asText());
    JsonNode pod =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    json("/api/v1/namespaces/"
                            + namespace
                            + "/pods?labelSelector="
                            + URLEncoder.encode(selector, StandardCharsets.UTF_8))
                        .path("items"),
                items -> items.size() == 1)
            .get(0);
    JsonNode labels = pod.path("metadata").path("labels");
    assertThat(labels.path("batch.kubernetes.io/job-name").asText()).isEqualTo(job);
    assertThat(labels.path("job-name").asText()).isEqualTo(job);
    assertThat(labels.path("controller-uid").asText())
        .isEqualTo(jobJson.path("metadata").path("uid").asText());
    return new Pod(
        namespace,
        pod.path("metadata").path("name").asText(),
        pod.path("spec").path("containers").get(0).path("name").asText());
  }

  private boolean running(Pod pod) throws Exception {
    return containerState(pod).has("running");
  }

  private boolean terminated(Pod pod) throws Exception {
    return containerState(pod).has("terminated");
  }

  private JsonNode containerState(Pod pod) throws Exception {
    return json(pod.path()).path("status").path("containerStatuses").path(0).path("state");
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpRequest request(String path) {
    String url = stack.kubernetesClient().getConfiguration().getMasterUrl().replaceAll("/$", "");
    return HttpRequest.newBuilder(URI.create(url + path))
        .header("Accept", "application/json, */*")
        .build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  private static void readLines(HttpResponse<InputStream> response, List<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
