package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.ffmpegoperator.operator.OperatorConfig;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.settings.EnvSettings;
import io.ffmpegoperator.storage.S3Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's and the bridge's Deployments, Services and Ingress: env, ports and probes. */
class WorkloadsTest {

  @Test
  void operatorDefaults() {
    List<HasMetadata> resources = Chart.render(null);
    Deployment operator = Workloads.operator(resources);
    Map<String, String> env = Workloads.env(operator);

    assertThat(operator.getSpec().getReplicas()).isEqualTo(1);
    assertThat(operator.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(operator.getSpec().getStrategy().getRollingUpdate()).isNull();
    assertThat(env)
        .containsEntry("LEADER_ELECTION", "false")
        .containsEntry("WATCH_NAMESPACES", "")
        .containsEntry("WORKER_CPU_REQUEST", "500m")
        .containsEntry("WORKER_CPU_LIMIT", "2")
        .containsEntry("WORKER_MEMORY_REQUEST", "256Mi")
        .containsEntry("WORKER_MEMORY_LIMIT", "2Gi")
        .containsEntry("WORKER_SCRATCH_SIZE", "20Gi")
        .containsEntry("TASK_MAX_CPU", "4")
        .containsEntry("TASK_MAX_MEMORY", "8Gi")
        .containsEntry("PARALLEL_MAX_SEGMENTS", "32")
        .containsEntry("TASK_DEFAULT_TIMEOUT_SECONDS", "3600")
        .containsEntry("JOB_TTL_SECONDS", "3600")
        .containsEntry("TASK_TTL_SECONDS", "604800")
        .containsEntry("JOB_BACKOFF_LIMIT", "2")
        .containsEntry("INPUT_ALLOWED_NETWORKS", "")
        .containsEntry("S3_BUCKET", "ffmpeg-operator")
        .containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("S3_ENDPOINT_URL", "")
        .containsEntry("S3_PATH_STYLE", "false")
        .containsEntry("WORKER_WARM", "1")
        .containsEntry("WORKER_WARM_NAMESPACES", Chart.NAMESPACE)
        .containsEntry("WORKER_WARM_PORT", "8081")
        .containsEntry(
            "WORKER_WARM_URL",
            "http://media-ffmpeg-operator-operator-orders.ffmpeg-system.svc:8081")
        .containsEntry("WORKER_WARM_IDLE_SECONDS", "3600")
        .doesNotContainKeys(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "WORKER_NODE_SELECTOR",
            "WORKER_TOLERATIONS",
            "WORKER_AFFINITY");
    assertPodNamespaceFromDownwardApi(operator);
    assertNoCredentials(operator);
    assertPorts(operator, "http/8080", "orders/8081");
    assertProbe(Workloads.container(operator).getLivenessProbe(), "/healthz");
    assertProbe(Workloads.container(operator).getReadinessProbe(), "/readyz");
  }

  @Test
  void operatorEnvIsWhatTheOperatorReads() {
    List<HasMetadata> resources = Chart.render(null);
    Deployment operator = Workloads.operator(resources);

    OperatorConfig config = OperatorConfig.fromEnv(Workloads.operatorEnv(resources));

    assertThat(config.namespaces()).isEmpty();
    assertThat(config.workerImage()).isEqualTo(OperatorConfig.DEFAULT_WORKER_IMAGE);
    assertThat(config.defaultTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.jobTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(config.taskTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(config.backoffLimit()).isEqualTo(2);
    assertThat(config.worker()).isEqualTo(OperatorConfig.WorkerResources.defaults());
    assertThat(config.taskResources()).isEqualTo(ResourcePolicy.defaults());
    // The chart's own key has no limit: its one client runs as many tasks as there is room for.
    assertThat(config.clientLimits()).isEmpty();
    assertThat(config.warm())
        .isEqualTo(
            new OperatorConfig.WarmWorkers(
                1,
                Set.of(Chart.NAMESPACE),
                8081,
                "http://media-ffmpeg-operator-operator-orders.ffmpeg-system.svc:8081",
                Duration.ofHours(1)));
    S3Settings s3 = S3Settings.fromEnv(Workloads.env(operator));
    assertThat(s3.bucket()).isEqualTo("ffmpeg-operator");
    assertThat(s3.endpoint()).isNull();
    assertThat(s3.accessKeyId()).isNull();
  }

  @Test
  void operatorReadsWarmWorkersOff() {
    List<HasMetadata> resources =
        Chart.parse(Chart.templateWith(null, Map.of("worker.warm.count", 0)));

    assertThat(OperatorConfig.fromEnv(Workloads.operatorEnv(resources)).warm().enabled()).isFalse();
  }

  @Test
  void bridgeAndOperatorReadTheSameTaskResourceMaximum() {
    List<HasMetadata> resources =
        Chart.parse(
            Chart.templateWith(
                null, Map.of("worker.maxResources.cpu", 8, "worker.maxResources.memory", "16Gi")));
    Map<String, String> operator = Workloads.operatorEnv(resources);
    Map<String, String> bridge = Workloads.env(Workloads.bridge(resources));

    ResourcePolicy expected = new ResourcePolicy("8", "16Gi");
    assertThat(OperatorConfig.fromEnv(operator).taskResources()).isEqualTo(expected);
    assertThat(ResourcePolicy.fromEnv(EnvSettings.of(bridge))).isEqualTo(expected);
  }

  @Test
  void operatorNamespacedWithTwoReplicas() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);
    Deployment operator = Workloads.operator(resources);
    Map<String, String> env = Workloads.env(operator);

    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    // Standbys wait for the Lease: a rolling update never runs two active operators.
    assertThat(operator.getSpec().getStrategy()).isNull();
    assertThat(env)
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("WORKER_WARM_NAMESPACES", "team-a,team-b")
        .containsEntry("INPUT_ALLOWED_NETWORKS", "10.20.0.0/16")
        .containsEntry("S3_BUCKET", "media-outputs")
        .containsEntry("S3_ENDPOINT_URL", "http://minio.storage.svc:9000")
        .containsEntry("S3_PATH_STYLE", "true")
        .containsEntry("WORKER_NODE_SELECTOR", "{\"node-role.example.org/media\":\"true\"}")
        .containsEntry(
            "WORKER_TOLERATIONS",
            "[{\"effect\":\"NoSchedule\",\"key\":\"media\",\"operator\":\"Exists\"}]");
    assertCredentialsFrom(operator, "media-s3", "access-key", "secret-key");
    Secret keys =
        new SecretBuilder()
            .withNewMetadata()
            .withName("media-api-keys")
            .endMetadata()
            .addToData(
                "alice",
                Base64.getEncoder()
                    .encodeToString("alice-key max-running=2".getBytes(StandardCharsets.UTF_8)))
            .build();
    assertThat(
            volume(
                    operator,
                    mount(Workloads.container(operator), "/etc/ffmpeg-operator/api-keys").getName())
                .getSecret()
                .getSecretName())
        .isEqualTo("media-api-keys");
    OperatorConfig config = OperatorConfig.fromEnv(Workloads.operatorEnv(resources, keys));
    assertThat(config.clientLimits()).isEqualTo(Map.of("alice", 2));
    assertThat(config.namespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(config.warm().namespaces()).isEqualTo(Set.of("team-a", "team-b"));
  }

  @Test
  void leaderElectionCanBeForcedWithOneReplica() {
    Deployment operator =
        Chart.named(
            Chart.parse(Chart.templateWith(null, Map.of("operator.leaderElection.enabled", true))),
            Deployment.class,
            "-operator");

    assertThat(operator.getSpec().getReplicas()).isEqualTo(1);
    assertThat(Workloads.env(operator)).containsEntry("LEADER_ELECTION", "true");
  }

  @Test
  void operatorReadsTheClientsLimitsFromTheApiKeysSecret() {
    Deployment operator = Chart.named(Chart.render(null), Deployment.class, "-operator");
    Container container = Workloads.container(operator);

    assertThat(Workloads.env(operator))
        .containsEntry("API_KEYS_FILE", "/etc/ffmpeg-operator/api-keys");
    VolumeMount keys = mount(container, "/etc/ffmpeg-operator/api-keys");
    assertThat(keys.getReadOnly()).isTrue();
    assertThat(volume(operator, keys.getName()).getSecret().getSecretName())
        .isEqualTo("media-ffmpeg-operator-api-keys");
  }

  @Test
  void bridgeDefaults() {
    List<HasMetadata> resources = Chart.render(null);
    Deployment bridge = Workloads.bridge(resources);
    Container container = Workloads.container(bridge);

    assertThat(bridge.getSpec().getReplicas()).isEqualTo(2);
    assertThat(Workloads.env(bridge))
        .containsEntry("BRIDGE_PORT", "8000")
        .containsEntry("WATCH_NAMESPACE", Chart.NAMESPACE)
        .containsEntry("API_KEYS_FILE", "/etc/ffmpeg-operator/api-keys")
        .containsEntry("INPUT_ALLOWED_NETWORKS", "")
        .containsEntry("TASK_MAX_CPU", "4")
        .containsEntry("TASK_MAX_MEMORY", "8Gi")
        .containsEntry("PARALLEL_MAX_SEGMENTS", "32")
        .containsEntry("S3_BUCKET", "ffmpeg-operator")
        .containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("S3_ENDPOINT_URL", "")
        .containsEntry("S3_PATH_STYLE", "false");
    assertPodNamespaceFromDownwardApi(bridge);
    assertNoCredentials(bridge);
    assertPorts(bridge, "http/8000");
    assertProbe(container.getLivenessProbe(), "/health");
    assertProbe(container.getReadinessProbe(), "/ready");

    VolumeMount keys = mount(container, "/etc/ffmpeg-operator/api-keys");
    assertThat(keys.getReadOnly()).isTrue();
    Volume keysVolume = volume(bridge, keys.getName());
    assertThat(keysVolume.getSecret().getSecretName()).isEqualTo("media-ffmpeg-operator-api-keys");
    Volume tmp = volume(bridge, mount(container, "/tmp").getName());
    assertThat(tmp.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("10Gi"));

    Service service = Chart.named(resources, Service.class, "-bridge");
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8000))
        .satisfies(p -> assertThat(p.getName()).isEqualTo("http"))
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    assertThat(service.getSpec().getSelector())
        .isEqualTo(bridge.getSpec().getSelector().getMatchLabels());
    assertThat(Chart.ofType(resources, Ingress.class)).isEmpty();
  }

  @Test
  void bridgeNamespaced() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);
    Deployment bridge = Workloads.bridge(resources);

    assertThat(Workloads.env(bridge))
        .containsEntry("WATCH_NAMESPACE", "team-a")
        .containsEntry("INPUT_ALLOWED_NETWORKS", "10.20.0.0/16");
    assertCredentialsFrom(bridge, "media-s3", "access-key", "secret-key");
    Volume keys =
        volume(
            bridge, mount(Workloads.container(bridge), "/etc/ffmpeg-operator/api-keys").getName());
    assertThat(keys.getSecret().getSecretName()).isEqualTo("media-api-keys");

    Ingress ingress = Chart.named(resources, Ingress.class, "-bridge");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(t -> assertThat(t.getSecretName()).isEqualTo("ffmpeg-media-tls"))
        .satisfies(t -> assertThat(t.getHosts()).containsExactly("ffmpeg.media.example.org"));
    var rule = ingress.getSpec().getRules().get(0);
    assertThat(rule.getHost()).isEqualTo("ffmpeg.media.example.org");
    var backend = rule.getHttp().getPaths().get(0).getBackend().getService();
    assertThat(backend.getName())
        .isEqualTo(Chart.named(resources, Service.class, "-bridge").getMetadata().getName());
    assertThat(backend.getPort().getName()).isEqualTo("http");
  }

  @Test
  void bridgeNamespaceOutsideTheWatchedOnesIsRefused() {
    assertThatThrownBy(
            () ->
                Chart.templateWith(
                    Chart.NAMESPACED_VALUES, Map.of("bridge.namespace", "elsewhere")))
        .hasMessageContaining("bridge.namespace elsewhere is not in watchNamespaces");
    assertThat(
            Workloads.env(
                Chart.named(
                    Chart.parse(
                        Chart.templateWith(
                            Chart.NAMESPACED_VALUES, Map.of("bridge.namespace", "team-b"))),
                    Deployment.class,
                    "-bridge")))
        .containsEntry("WATCH_NAMESPACE", "team-b");
  }

  @Test
  void operatorMetricsServiceSelectsTheOperator() {
    List<HasMetadata> resources = Chart.render(null);
    Deployment operator = Workloads.operator(resources);
    Service metrics = Chart.named(resources, Service.class, "-operator-metrics");

    assertThat(metrics.getSpec().getSelector())
        .isEqualTo(operator.getSpec().getSelector().getMatchLabels());
    assertThat(metrics.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080))
        .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
  }

  /** The container's ports, exactly, as name/port. */
  private static void assertPorts(Deployment deployment, String... ports) {
    assertThat(Workloads.container(deployment).getPorts())
        .extracting(p -> p.getName() + "/" + p.getContainerPort())
        .containsExactly(ports);
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  private static void assertPodNamespaceFromDownwardApi(Deployment deployment) {
    EnvVar namespace = Workloads.envVars(deployment).get("POD_NAMESPACE");
    assertThat(namespace).isNotNull();
    assertThat(namespace.getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
  }

  private static void assertNoCredentials(Deployment deployment) {
    assertThat(Workloads.envVars(deployment))
        .doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
  }

  private static void assertCredentialsFrom(
      Deployment deployment, String secret, String idKey, String secretKey) {
    Map<String, EnvVar> env = Workloads.envVars(deployment);
    var id = env.get("AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef();
    var key = env.get("AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef();
    assertThat(id.getName()).isEqualTo(secret);
    assertThat(id.getKey()).isEqualTo(idKey);
    assertThat(key.getName()).isEqualTo(secret);
    assertThat(key.getKey()).isEqualTo(secretKey);
  }

  private static VolumeMount mount(Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount at " + path));
  }

  private static Volume volume(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
