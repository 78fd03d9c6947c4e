package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import io.ffmpegoperator.dev.node.LocalNode;
import io.ffmpegoperator.dev.node.LocalNodeConfig;
import io.ffmpegoperator.dev.node.PodmanPod;
import io.ffmpegoperator.dev.s3.EmbeddedS3;
import io.ffmpegoperator.dev.stack.LocalFfmpeg;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform from its images: the operator and the bridge run as podman containers of the
 * images {@code make images} builds from this checkout, configured with exactly the environment the
 * chart renders for their Deployments (references resolved as a kubelet would), with the
 * Deployments' security contexts, limits and volumes; worker Jobs run as containers on the local
 * node. A task over its memory limit fails as out of memory. Only what a cluster gives by its
 * network is replaced: the API server's address, the warm workers' order URL and ports, as all
 * containers share this machine's network.
 */
@ExtendWith(Podman.Required.class)
class PlatformInContainersIT {
  private static final String ACCESS_KEY = "containers-test";
  private static final String SECRET_KEY = "containers-test-secret";
  private static final String TASKS = "team-a";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;

  private static EmbeddedS3 s3;
  private static EmbeddedKubernetes kube;
  private static S3Storage storage;
  private static LocalNode node;
  private static PodmanPod operator;
  private static PodmanPod bridge;
  private static URI api;
  private static String apiKey;

  @BeforeAll
  static void startPlatform() throws Exception {
    Podman.buildImages();
    FfmpegBinaries ffmpeg = LocalFfmpeg.find(System.getenv());
    s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY);
    kube = EmbeddedKubernetes.start(dir.resolve("kube"), 0);
    KubernetesClient client = kube.client();
    int warmPort = freePort();
    List<HasMetadata> manifests =
        ChartInstall.render(
            TASKS,
            s3.endpoint(),
            Map.of("worker.warm.count", "1", "worker.warm.port", String.valueOf(warmPort)));
    ChartInstall.install(client, manifests, TASKS, ACCESS_KEY, SECRET_KEY);

    Deployment operatorDeployment = Workloads.operator(manifests);
    Map<String, String> operatorEnv = env(client, operatorDeployment);
    storage = new S3Storage(S3Settings.fromEnv(operatorEnv));
    storage.ensureBucket();
    Path clip = TestClips.make(ffmpeg.ffmpeg(), dir.resolve("clip.mp4"), 2, 160, 120, 10, true);
    storage.put("samples/clip.mp4", clip);

    node =
        new LocalNode(
            client,
            TASKS,
            LocalNodeConfig.builder(dir.resolve("node")).podman(Podman.SETTINGS).build());
    node.start();

    // The Service's cluster DNS name cannot resolve here; the orders port is on this machine.
    operatorEnv.put("WORKER_WARM_URL", "http://127.0.0.1:" + warmPort);
    operatorEnv.put("OPERATOR_HTTP_PORT", String.valueOf(freePort()));
    operator = start(client, operatorDeployment, operatorEnv);

    Deployment bridgeDeployment = Workloads.bridge(manifests);
    Map<String, String> bridgeEnv = env(client, bridgeDeployment);
    int bridgePort = freePort();
    bridgeEnv.put("BRIDGE_PORT", String.valueOf(bridgePort));
    bridge = start(client, bridgeDeployment, bridgeEnv);
    api = URI.create("http://127.0.0.1:" + bridgePort);
    apiKey = chartApiKey(client);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(get("/ready").statusCode()).isEqualTo(200));
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    for (AutoCloseable part : new AutoCloseable[] {bridge, operator, node, storage, kube, s3}) {
      if (part != null) {
        part.close();
      }
    }
  }

  @Test
  void aSeedTaskCompletesThroughTheBridgeContainer() throws Exception {
    String taskId =
        register(
            Map.of(
                "ffmpeg_command", "-i in_1 -vf scale=80:60 -c:v libx264 -preset ultrafast out_1",
                "input_files", Map.of("in_1", "s3://media/samples/clip.mp4"),
                "output_files", Map.of("out_1", "small.mp4")));
    JsonNode done = awaitEnd(taskId);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    HttpResponse<byte[]> output =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(done.at("/output_urls/out_1").asText())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(output.statusCode()).isEqualTo(200);
    assertThat(new String(output.body(), 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("ftyp");
  }

  @Test
  void aTaskOverItsMemoryLimitFailsAsOutOfMemoryAfterItsRetries() throws Exception {
    // An 8K encode in 200 MiB: the kernel kills ffmpeg, the worker reads the cgroup's OOM counter.
    String taskId =
        register(
            Map.of(
                "ffmpeg_command",
                    "-i in_1 -vf scale=7680:4320 -c:v libx264 -preset ultrafast out_1",
                "input_files", Map.of("in_1", "s3://media/samples/clip.mp4"),
                "output_files", Map.of("out_1", "huge.mp4"),
                "resources", Map.of("limits", Map.of("memory", "200Mi"))));
    JsonNode done = awaitEnd(taskId);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("failed");
    assertThat(done.get("error_message").asText())
        .as(done.toString())
        .contains("out of memory (limit 200Mi)")
        .doesNotContain("exit 137");
    FfmpegTask task =
        kube.client().resources(FfmpegTask.class).inNamespace(TASKS).withName(taskId).get();
    Job job =
        kube.client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(TASKS)
            .withName(task.getStatus().getJobName())
            .get();
    // The chart's backoffLimit of 2: three pods, each killed for memory, before the task failed.
    assertThat(job.getStatus().getFailed()).isEqualTo(3);
    assertThat(
            job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("memory", new Quantity("200Mi"));
  }

  @Test
  void aTaskPastItsTimeoutHasItsContainerStopped() throws Exception {
    FfmpegTask slow = new FfmpegTask();
    // Made with kubectl for the chart key's client, so that client sees it through the API.
    slow.setMetadata(
        new ObjectMetaBuilder()
            .withName("slow")
            .withNamespace(TASKS)
            .withLabels(Map.of(CrdConstants.LABEL_CLIENT, chartApiClient(kube.client())))
            .build());
    slow.setSpec(
        new FfmpegTaskSpec(
            "-i in_1 -vf scale=3840:2160 -c:v libx264 -preset veryslow out_1",
            Map.of("in_1", "s3://media/samples/clip.mp4"),
            Map.of("out_1", "slow.mp4")));
    slow.getSpec().setTimeoutSeconds(2L);
    kube.client().resource(slow).create();
    JsonNode done = awaitEnd("slow");
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("failed");
    assertThat(done.get("error_message").asText()).contains("timeout of 2 s");
    // activeDeadlineSeconds stopped the pod's container: none of the task's is left.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        Podman.podman(
                                "ps",
                                "--all",
                                "--filter",
                                "name=ffop-" + TASKS + "-fft-slow",
                                "--quiet")
                            .output())
                    .isBlank());
  }

  @Test
  void aLibraryTrimCompletes() throws Exception {
    HttpResponse<String> upload = upload("clip.mp4", Files.readAllBytes(dir.resolve("clip.mp4")));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
    int videoId = JSON.readTree(upload.body()).get(0).get("id").asInt();
    String user = "containers-" + UUID.randomUUID();
    HttpResponse<String> trim =
        post(
            "/video/process/trim",
            Map.of(
                "request_code", user, "video_id", videoId, "trim_start", "0", "trim_end", "1000"));
    assertThat(trim.statusCode()).as(trim.body()).isEqualTo(200);
    HttpResponse<String> execute = post("/video/process/execute", Map.of("request_code", user));
    assertThat(execute.statusCode()).as(execute.body()).isEqualTo(200);

    JsonNode videos = JSON.readTree(get("/video/view/all?skip=0&limit=100").body());
    JsonNode trimmed = null;
    for (JsonNode video : videos) {
      if (!video.get("trim_info").isNull()) {
        trimmed = video;
      }
    }
    assertThat(trimmed).as(videos.toString()).isNotNull();
    HttpResponse<String> info = get("/video/view/info/?video_id=" + trimmed.get("id").asInt());
    assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
    assertThat(JSON.readTree(info.body()).get("video_streams").asText()).isEqualTo("h264");
  }

  @Test
  void workerContainersRunAsNonRootWithAReadOnlyRootAndNoCapabilities() throws Exception {
    // A warm worker waits for its order all the time, so one is always there to look into.
    String container =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    Podman.podman(
                            "ps",
                            "--filter",
                            "name=ffop-" + TASKS + "-fft-warm",
                            "--format",
                            "{{.Names}}")
                        .output()
                        .lines()
                        .findFirst()
                        .orElse(""),
                name -> !name.isEmpty());
    Podman.Result inside =
        Podman.podman(
            "exec",
            container,
            "sh",
            "-c",
            "id -u; id -g; grep CapEff /proc/1/status; grep CapBnd /proc/1/status;"
                + " grep NoNewPrivs /proc/1/status; touch /probe 2>&1; touch /work/probe && echo"
                + " work-writable");
    assertThat(inside.output())
        .as(inside.output())
        .startsWith("65532\n65532\n")
        .contains("CapEff:\t0000000000000000")
        .contains("CapBnd:\t0000000000000000")
        .contains("NoNewPrivs:\t1")
        .contains("Read-only file system")
        .contains("work-writable");
    for (PodmanPod platform : List.of(operator, bridge)) {
      Podman.Result user =
          Podman.podman(
              "exec",
              platform.containerId().substring("podman://".length()),
              "sh",
              "-c",
              "id -u; touch /probe 2>&1");
      assertThat(user.output()).startsWith("65532\n").contains("Read-only file system");
    }
  }

  // ---- the platform's parts -----------------------------------------------------------------

  /** The Deployment's pod as a kubelet would start it, with {@code env} as its container's env. */
  private static PodmanPod start(
      KubernetesClient client, Deployment deployment, Map<String, String> env) throws IOException {
    List<EnvVar> vars = new ArrayList<>();
    env.forEach((name, value) -> vars.add(new EnvVar(name, value, null)));
    // What in-cluster configuration would find; the containers share this machine's network.
    vars.add(new EnvVar("KUBERNETES_MASTER", kube.url(), null));
    vars.add(new EnvVar("KUBERNETES_AUTH_TRYKUBECONFIG", "false", null));
    vars.add(new EnvVar("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false", null));
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(deployment.getMetadata().getName() + "-0")
            .withNamespace(Chart.NAMESPACE)
            .endMetadata()
            .withSpec(deployment.getSpec().getTemplate().getSpec())
            .editSpec()
            .editFirstContainer()
            .withEnv(vars)
            .endContainer()
            .endSpec()
            .build();
    return PodmanPod.start(client, Podman.SETTINGS, pod, dir.resolve("platform"));
  }

  private static Map<String, String> env(KubernetesClient client, Deployment deployment) {
    return new LinkedHashMap<>(
        ChartInstall.resolve(client, Workloads.container(deployment).getEnv()));
  }

  /** The client of the chart's key: its entry in the keys' Secret. */
  private static String chartApiClient(KubernetesClient client) {
    return chartApiKeys(client).getData().keySet().iterator().next();
  }

  private static Secret chartApiKeys(KubernetesClient client) {
    return client.secrets().inNamespace(Chart.NAMESPACE).list().getItems().stream()
        .filter(s -> s.getMetadata().getName().endsWith("-api-keys"))
        .findFirst()
        .orElseThrow();
  }

  private static String chartApiKey(KubernetesClient client) {
    Secret keys = chartApiKeys(client);
    return new String(
        Base64.getDecoder().decode(keys.getData().values().iterator().next()),
        StandardCharsets.UTF_8);
  }

  // ---- REST ---------------------------------------------------------------------------------

  private static String register(Map<String, Object> body) throws Exception {
    HttpResponse<String> response = post("/ffmpeg/register", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("task_id").asText();
  }

  private static JsonNode awaitEnd(String taskId) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> JSON.readTree(get("/ffmpeg/status/" + taskId).body()),
            status -> List.of("completed", "failed").contains(status.get("status").asText()));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, Object body) throws Exception {
    return HTTP.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> upload(String name, byte[] content) throws Exception {
    String boundary = "b" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                + name
                + "\"\r\nContent-Type: video/mp4\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(content);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        request("/video/upload")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(api.resolve(path))
        .header("Authorization", "Bearer " + apiKey)
        .timeout(Duration.ofSeconds(120));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
