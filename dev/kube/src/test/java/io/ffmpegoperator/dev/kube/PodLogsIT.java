package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET .../pods/<name>/log} as kubectl 1.32, Python's client and fabric8 send it, answered
 * from files standing in for what a node keeps.
 */
class PodLogsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PODS = "/api/v1/namespaces/default/pods";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();
  @TempDir Path node;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void serveLogs() {
    kube.servePodLogs(
        (namespace, pod, container) ->
            List.of(
                node.resolve(namespace + "." + pod + "." + container + ".out"),
                node.resolve(namespace + "." + pod + "." + container + ".err")));
  }

  @Test
  void answersTheContainersOutputAsKubectlAsksForIt() throws Exception {
    running(pod("p1", "main"));
    write("p1", "main", ".out", "to stdout\n");
    write("p1", "main", ".err", "one\ntwo\nthree\n");

    HttpResponse<String> all = get(PODS + "/p1/log?container=main");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(all.body()).isEqualTo("to stdout\none\ntwo\nthree\n");
    // kubectl logs p1 --tail=2; Python's read_namespaced_pod_log(tail_lines=2) sends no container.
    assertThat(get(PODS + "/p1/log?container=main&tailLines=2").body()).isEqualTo("two\nthree\n");
    assertThat(get(PODS + "/p1/log?tailLines=2").body()).isEqualTo("two\nthree\n");
    assertThat(get(PODS + "/p1/log?container=main&limitBytes=6").body()).isEqualTo("to std");
    assertThat(get(PODS + "/p1/log?container=main&tailLines=1&timestamps=true").body())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z three\n");
  }

  @Test
  void sinceLeavesOutWhatWasWrittenBefore() throws Exception {
    running(pod("p1", "main"));
    write("p1", "main", ".out", "long ago\n");
    write("p1", "main", ".err", "just now\n");
    Files.setLastModifiedTime(
        file("p1", "main", ".out"), FileTime.from(Instant.now().minusSeconds(3600)));

    // Per file: the node keeps no time per line, a file's last change stands for its lines.
    assertThat(get(PODS + "/p1/log?container=main&sinceSeconds=60").body()).isEqualTo("just now\n");
    assertThat(get(PODS + "/p1/log?container=main&sinceSeconds=7200").body())
        .isEqualTo("long ago\njust now\n");
    String future = Instant.now().plusSeconds(60).toString();
    assertThat(get(PODS + "/p1/log?container=main&sinceTime=" + future).body()).isEmpty();
  }

  @Test
  void followSendsNewLinesAsTheyAreWrittenAndEndsWhenTheContainerHas() throws Exception {
    running(pod("p1", "main"));
    write("p1", "main", ".err", "before 1\nbefore 2\n");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    // kubectl logs p1 -f --tail=1
    HttpResponse<InputStream> response =
        http.send(
            request(PODS + "/p1/log?container=main&follow=true&tailLines=1"),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> readLines(response, lines));
    assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("before 2");

    write("p1", "main", ".err", "after\n");
    assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
    write("p1", "main", ".out", "late stdout\n");
    assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("late stdout");
    assertThat(ended).isNotDone();

    // The last words of a container that ended without a newline still come.
    write("p1", "main", ".err", "last words");
    terminated("p1", "main");
    ended.get(10, TimeUnit.SECONDS);
    assertThat(lines).containsExactly("last words");
  }

  @Test
  void followAsPythonSendsItAlsoStreams() throws Exception {
    running(pod("p1", "main"));
    write("p1", "main", ".out", "hello\n");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    HttpResponse<InputStream> response =
        http.send(request(PODS + "/p1/log?follow=True"), HttpResponse.BodyHandlers.ofInputStream());
    CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> readLines(response, lines));
    assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
    // A pod deleted while followed ends the stream.
    kube.client().pods().withName("p1").withGracePeriod(0).delete();
    ended.get(10, TimeUnit.SECONDS);
  }

  @Test
  void followOfAnEndedContainerAnswersItsLogAndEnds() throws Exception {
    running(pod("p1", "main"));
    terminated("p1", "main");
    write("p1", "main", ".err", "done\n");

    HttpResponse<String> response = get(PODS + "/p1/log?container=main&follow=true");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("done\n");
  }

  @Test
  void aHugeLogIsAnsweredFromTheStartOfALineNearItsEnd() throws Exception {
    running(pod("p1", "main"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() <= PodLogStream.MAX_INITIAL_BYTES + 1000; i++) {
      text.append("line ").append(i).append('\n');
    }
    write("p1", "main", ".err", text.toString());

    String body = get(PODS + "/p1/log?container=main").body();
    assertThat(body.length()).isLessThanOrEqualTo(PodLogStream.MAX_INITIAL_BYTES);
    assertThat(text.toString()).endsWith(body);
    assertThat(body).startsWith("line ");
    assertThat(text.charAt(text.length() - body.length() - 1)).isEqualTo('\n');
  }

  @Test
  void aRunningPodWithoutOutputYetHasAnEmptyLog() throws Exception {
    running(pod("p1", "main"));

    HttpResponse<String> response = get(PODS + "/p1/log?container=main");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void refusesAsTheApiServerAndTheKubeletDo() throws Exception {
    running(pod("p1", "main"));
    running(pod("two", "a", "b"));
    kube.client().pods().resource(pod("waits", "main")).create();

    assertStatus(get(PODS + "/nope/log"), 404, "NotFound", "pods \"nope\" not found");
    assertStatus(
        get(PODS + "/p1/log?container=other"),
        400,
        "BadRequest",
        "container other is not valid for pod p1");
    assertStatus(
        get(PODS + "/two/log"),
        400,
        "BadRequest",
        "a container name must be specified for pod two, choose one of: [a b]");
    assertStatus(
        get(PODS + "/waits/log"),
        400,
        "BadRequest",
        "container \"main\" in pod \"waits\" is waiting to start: ContainerCreating");
    assertStatus(
        get(PODS + "/p1/log?container=main&previous=true"),
        400,
        "BadRequest",
        "previous terminated container \"main\" in pod \"p1\" not found");
    assertStatus(
        get(PODS + "/p1/log?tailLines=-1"),
        422,
        "Invalid",
        "PodLogOptions \"p1\" is invalid: tailLines: Invalid value: -1: must be greater than or"
            + " equal to 0");
    assertStatus(
        get(PODS + "/p1/log?sinceSeconds=5&sinceTime=2026-12-06T07:30:14Z"),
        422,
        "Invalid",
        "PodLogOptions \"p1\" is invalid: : Forbidden: at most one of `sinceTime` or"
            + " `sinceSeconds` may be specified");
    assertStatus(
        get(PODS + "/p1/log?tailLines=many"),
        400,
        "BadRequest",
        "strconv.ParseInt: parsing \"many\": invalid syntax");
  }

  @Test
  void theAnswerNeverHoldsOtherObjects() throws Exception {
    // What the mock answered before: a List of every object stored, the Secret's data included.
    running(pod("p1", "p1"));
    kube.client()
        .configMaps()
        .resource(new ConfigMapBuilder().withNewMetadata().withName("other").endMetadata().build())
        .create();
    kube.client()
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("token")
                .endMetadata()
                .addToStringData("token", "do-not-leak")
                .build())
        .create();
    write("p1", "p1", ".out", "only this\n");

    for (String query :
        new String[] {
          "",
          "?container=p1",
          "?container=p1&sinceSeconds=10&tailLines=5&timestamps=true",
          "?container=p1&limitBytes=100000",
          "?follow=false"
        }) {
      HttpResponse<String> response = get(PODS + "/p1/log" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(200);
      assertThat(response.body()).as(query).endsWith("only this\n");
      assertThat(response.body())
          .as(query)
          .doesNotContain("\"kind\"", "other", "do-not-leak", "ZG8tbm90LWxlYWs=");
    }
    // A node that keeps nothing for the pod: an empty log, still nothing else.
    kube.servePodLogs((namespace, pod, container) -> List.of());
    HttpResponse<String> nothing = get(PODS + "/p1/log?container=p1");
    assertThat(nothing.statusCode()).isEqualTo(200);
    assertThat(nothing.body()).isEmpty();
  }

  @Test
  void aJobGetsTheSelectorItsPodsAreFoundByAsKubectlLogsJobFindsThem() throws Exception {
    Job job =
        kube.client()
            .batch()
            .v1()
            .jobs()
            .resource(
                new JobBuilder()
                    .withNewMetadata()
                    .withName("j1")
                    .endMetadata()
                    .withNewSpec()
                    .withNewTemplate()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox")
                    .endContainer()
                    .withRestartPolicy("Never")
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    String uid = job.getMetadata().getUid();

    // kubectl logs job/j1: GET the Job, then list pods by its spec.selector.
    JsonNode stored = kube.get("/apis/batch/v1/namespaces/default/jobs/j1");
    assertThat(stored.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(JSON.valueToTree(Map.of("batch.kubernetes.io/controller-uid", uid)));
    assertThat(stored.path("spec").path("template").path("metadata").path("labels"))
        .isEqualTo(
            JSON.valueToTree(
                Map.of(
                    "batch.kubernetes.io/controller-uid",
                    uid,
                    "controller-uid",
                    uid,
                    "batch.kubernetes.io/job-name",
                    "j1",
                    "job-name",
                    "j1")));
    Pod mine = pod("j1-abcde", "main");
    mine.getMetadata().setLabels(Map.of("batch.kubernetes.io/controller-uid", uid));
    running(mine);
    running(pod("someone-else", "main"));
    String selector =
        URLEncoder.encode("batch.kubernetes.io/controller-uid=" + uid, StandardCharsets.UTF_8);
    JsonNode pods = kube.get(PODS + "?labelSelector=" + selector);
    assertThat(pods.path("items")).hasSize(1);
    assertThat(pods.path("items").get(0).path("metadata").path("name").asText())
        .isEqualTo("j1-abcde");
  }

  private static Pod pod(String name, String... containers) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNodeName("local")
            .endSpec();
    for (String container : containers) {
      pod.editSpec()
          .addNewContainer()
          .withName(container)
          .withImage("busybox")
          .endContainer()
          .endSpec();
    }
    return pod.build();
  }

  /** Creates the pod with its containers running, as the node writes it. */
  private void running(Pod pod) {
    Pod created = kube.client().pods().resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .withContainerStatuses(
                pod.getSpec().getContainers().stream()
                    .map(
                        c ->
                            new ContainerStatusBuilder()
                                .withName(c.getName())
                                .withState(
                                    new ContainerStateBuilder()
                                        .withNewRunning()
                                        .withStartedAt(Instant.now().toString())
                                        .endRunning()
                                        .build())
                                .build())
                    .toList())
            .build());
    kube.client().pods().resource(created).updateStatus();
  }

  private void terminated(String name, String container) {
    Pod pod = kube.client().pods().withName(name).get();
    pod.getStatus().setPhase("Succeeded");
    pod.getStatus()
        .setContainerStatuses(
            List.of(
                new ContainerStatusBuilder()
                    .withName(container)
                    .withState(
                        new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(0)
                            .withReason("Completed")
                            .endTerminated()
                            .build())
                    .build()));
    kube.client().pods().resource(pod).updateStatus();
  }

  private Path file(String pod, String container, String suffix) {
    return node.resolve("default." + pod + "." + container + suffix);
  }

  private void write(String pod, String container, String suffix, String text) throws Exception {
    Files.writeString(
        file(pod, container, suffix), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private HttpRequest request(String path) {
    // kubectl's Accept for a log.
    return HttpRequest.newBuilder(URI.create(kube.url() + path))
        .header("Accept", "application/json, */*")
        .build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  private static void readLines(HttpResponse<InputStream> response, BlockingQueue<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertStatus(
      HttpResponse<String> response, int code, String reason, String message) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo(reason);
    assertThat(status.path("code").asInt()).isEqualTo(code);
    assertThat(status.path("message").asText()).isEqualTo(message);
  }
}
