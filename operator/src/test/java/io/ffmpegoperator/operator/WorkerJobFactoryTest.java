package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.policy.TaskCommand;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WorkerJobFactoryTest {
  // Pre-signing is local computation: no S3 endpoint needs to answer.
  private static final S3Storage STORAGE =
      new S3Storage(
          new S3Settings("media", "us-east-1", URI.create("http://127.0.0.1:9"), "id", "secret"));

  @AfterAll
  static void close() {
    STORAGE.close();
  }

  private static FfmpegTask task() {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName("abc-123")
            .withNamespace("team-a")
            .withUid("uid-1")
            .build());
    task.setSpec(
        new FfmpegTaskSpec(
            "-i in_1 -c:v libx264 out_1",
            Map.of("in_1", "s3://media/samples/clip.mp4"),
            Map.of("out_1", "output.mp4")));
    return task;
  }

  private static Job build(FfmpegTask task) throws Exception {
    return new WorkerJobFactory(OperatorConfig.defaults(), STORAGE)
        .build(task, TaskCommand.parse(WorkerJobFactory.request(task.getSpec()), "media"));
  }

  @Test
  void jobIsOwnedNamedAndBounded() throws Exception {
    Job job = build(task());
    assertThat(job.getMetadata().getName()).isEqualTo("fft-abc-123");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
              assertThat(o.getKind()).isEqualTo("FfmpegTask");
            });
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    assertThat(job.getSpec().getPodFailurePolicy().getRules())
        .satisfiesExactly(
            r -> {
              assertThat(r.getAction()).isEqualTo("Ignore");
              assertThat(r.getOnPodConditions())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
            },
            r -> {
              assertThat(r.getAction()).isEqualTo("FailJob");
              assertThat(r.getOnExitCodes().getValues())
                  .containsExactlyElementsOf(WorkerExitCodes.PERMANENT)
                  .doesNotContain(WorkerExitCodes.OUT_OF_MEMORY, WorkerExitCodes.FFMPEG_KILLED);
            });
  }

  @Test
  void podRunsLockedDownWithoutCredentials() throws Exception {
    PodSpec pod = build(task()).getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(container.getEnv())
        .noneMatch(e -> e.getName().startsWith("AWS_"))
        .allMatch(e -> e.getValueFrom() == null);
  }

  @Test
  void withoutResourcesOfItsOwnATaskGetsTheDefaultSize() throws Exception {
    var resources = container(build(task())).getResources();
    assertThat(amounts(resources.getRequests()))
        .isEqualTo(Map.of("cpu", "500m", "memory", "256Mi", "ephemeral-storage", "20Gi"));
    assertThat(amounts(resources.getLimits()))
        .isEqualTo(Map.of("cpu", "2", "memory", "2Gi", "ephemeral-storage", "20Gi"));
  }

  @Test
  void aTasksOwnResourcesReplaceTheDefaultCpuAndMemory() throws Exception {
    FfmpegTask task = task();
    task.getSpec()
        .setResources(
            new TaskResources(Map.of("cpu", "3", "memory", "1Gi"), Map.of("memory", "6Gi")));

    var resources = container(build(task)).getResources();
    // The cpu request is above the default limit, which is raised to it rather than left below.
    assertThat(amounts(resources.getRequests()))
        .isEqualTo(Map.of("cpu", "3", "memory", "1Gi", "ephemeral-storage", "20Gi"));
    assertThat(amounts(resources.getLimits()))
        .isEqualTo(Map.of("cpu", "3", "memory", "6Gi", "ephemeral-storage", "20Gi"));

    // A limit alone, below the default request: the request comes down to it.
    FfmpegTask small = task();
    small.getSpec().setResources(new TaskResources(null, Map.of("cpu", "250m")));
    var smallResources = container(build(small)).getResources();
    assertThat(amounts(smallResources.getRequests())).containsEntry("cpu", "250m");
    assertThat(amounts(smallResources.getLimits())).containsEntry("cpu", "250m");
  }

  @Test
  void workOrderCarriesRenderedArgsAndScopedLinks() throws Exception {
    Job job = build(task());
    String json =
        job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals(WorkOrder.ENV))
            .findFirst()
            .orElseThrow()
            .getValue();
    WorkOrder order = new ObjectMapper().readValue(json, WorkOrder.class);
    assertThat(order.args())
        .containsSubsequence("-protocol_whitelist", "file", "-i", "in/in_1.mp4")
        .containsSubsequence("-i", "in/in_1.mp4", "-c:v", "libx264", "out/output.mp4")
        .containsSubsequence("-map_metadata", "-1", "out/output.mp4");
    assertThat(order.inputs().get(0).url())
        .startsWith("http://127.0.0.1:9/media/samples/clip.mp4?")
        .contains("X-Amz-Signature=");
    // A link to the platform's own storage, exempt from the address policy; nothing else is.
    assertThat(order.inputs().get(0).storage()).isTrue();
    assertThat(order.allowedNetworks()).isEmpty();
    assertThat(order.limits()).isEqualTo(RunLimits.defaults());
    assertThat(order.outputs().get(0).uploadUrl())
        .contains("/media/ffmpeg-outputs/abc-123/output.mp4?")
        .doesNotContain("secret");
    assertThat(order.reportUrl()).contains("/media/ffmpeg-tasks/team-a/abc-123/report.json?");
  }

  @Test
  void workerPodsGoWhereTheChartSays() throws Exception {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "WORKER_NODE_SELECTOR",
                "{\"node-role/media\":\"true\"}",
                "WORKER_TOLERATIONS",
                "[{\"key\":\"media\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
                "WORKER_AFFINITY",
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                    + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"gpu\","
                    + "\"operator\":\"DoesNotExist\"}]}]}}}"));
    FfmpegTask task = task();
    var pod =
        new WorkerJobFactory(config, STORAGE)
            .build(task, TaskCommand.parse(WorkerJobFactory.request(task.getSpec()), "media"))
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("node-role/media", "true"));
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("media"));
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms())
        .hasSize(1);
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("WORKER_TOLERATIONS", "{oops")))
        .hasMessageContaining("WORKER_TOLERATIONS");
  }

  @Test
  void aWarmWorkersTokenIsAMountedSecretFileAndOnlyItsHashIsInTheJob() {
    WorkerJobFactory factory = new WorkerJobFactory(OperatorConfig.defaults(), STORAGE);
    String token = "the-token";
    Job warm =
        factory.buildWarm(
            "team-a", "fft-warm-1", WarmJobs.hash(token), "http://operator:8081/order");
    warm.getMetadata().setUid("job-uid");

    Container container = warm.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .containsExactlyInAnyOrder(
            WarmWorkerProtocol.ORDER_URL_ENV, WarmWorkerProtocol.TOKEN_FILE_ENV)
        .doesNotContain(WorkOrder.ENV);
    assertThat(container.getEnv()).extracting(EnvVar::getValue).doesNotContain(token);
    assertThat(WorkerJobFactory.env(warm, WarmWorkerProtocol.TOKEN_FILE_ENV))
        .isEqualTo("/var/run/ffmpeg-operator/warm/token");
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/var/run/ffmpeg-operator/warm"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    Volume volume =
        warm.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .findFirst()
            .orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("fft-warm-1-token");
    assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0440);
    // Readable by the pod's non-root user through its group.
    assertThat(warm.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup())
        .isEqualTo(65532L);
    assertThat(warm.getMetadata().getAnnotations())
        .containsEntry(WarmJobs.TOKEN_HASH_ANNOTATION, WarmJobs.hash(token))
        .doesNotContainValue(token);

    Secret secret = factory.warmTokenSecret(warm, token);
    assertThat(secret.getMetadata().getName()).isEqualTo("fft-warm-1-token");
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getMetadata().getLabels()).containsEntry(WarmJobs.TOKEN_SECRET_LABEL, "true");
    assertThat(secret.getData())
        .containsExactly(
            Map.entry(
                "token",
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))));
    // Collected with its Job.
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("Job");
              assertThat(owner.getName()).isEqualTo("fft-warm-1");
              assertThat(owner.getUid()).isEqualTo("job-uid");
              assertThat(owner.getController()).isTrue();
              assertThat(owner.getBlockOwnerDeletion()).isTrue();
            });
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** Quantities as written, by resource name. */
  private static Map<String, String> amounts(Map<String, Quantity> quantities) {
    Map<String, String> amounts = new TreeMap<>();
    quantities.forEach((name, quantity) -> amounts.put(name, quantity.toString()));
    return amounts;
  }

  @Test
  void longTaskNamesGiveValidStableJobNames() {
    String name = "a".repeat(200);
    assertThat(JobNames.forTask(name))
        .hasSizeLessThanOrEqualTo(63)
        .isEqualTo(JobNames.forTask(name));
    assertThat(JobNames.forTask(name)).isNotEqualTo(JobNames.forTask("a".repeat(199) + "b"));
  }
}
