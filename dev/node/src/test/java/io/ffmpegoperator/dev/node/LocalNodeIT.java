package io.ffmpegoperator.dev.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local node against fabric8's mock API server in CRUD mode, running real /bin/sh pods. */
@EnableKubernetesMockClient(crud = true)
class LocalNodeIT {
  private static final String NS = "test";
  private static final String IMAGE = "example.org/sh:1";

  KubernetesClient client;

  @TempDir Path podsDir;
  @TempDir Path scratch;

  private LocalNode node;

  @BeforeEach
  void setUp() {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
  }

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void successfulPodCompletesTheJob() {
    node = startNode(config().build());
    Job job = createJob("ok", "exit 0", spec -> spec);

    Job done = awaitFinished("ok");
    assertThat(conditionTypes(done)).containsExactly("SuccessCriteriaMet", "Complete");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(done.getStatus().getFailed()).isNull();
    assertThat(done.getStatus().getActive()).isNull();
    assertThat(done.getStatus().getStartTime()).isNotNull();
    assertThat(done.getStatus().getCompletionTime()).isNotNull();

    Pod pod = single(podsOf("ok"));
    assertThat(pod.getMetadata().getName()).matches("ok-[a-z]{5}");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("job-name", "ok")
        .containsEntry("batch.kubernetes.io/job-name", "ok")
        .containsEntry("controller-uid", job.getMetadata().getUid())
        .containsEntry("app", "test");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(pod.getSpec().getNodeName()).isEqualTo("local");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStateTerminated terminated = terminated(pod);
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getReason()).isEqualTo("Completed");
    assertThat(terminated.getStartedAt()).isNotNull();
    assertThat(terminated.getFinishedAt()).isNotNull();
  }

  @Test
  void failJobRuleFailsAtOnceWithoutRetry() {
    node = startNode(config().build());
    createJob(
        "fail-job",
        "exit 11",
        spec ->
            spec.withBackoffLimit(3)
                .withNewPodFailurePolicy()
                .withRules(
                    new PodFailurePolicyRuleBuilder()
                        .withAction("FailJob")
                        .withNewOnExitCodes()
                        .withContainerName("main")
                        .withOperator("In")
                        .withValues(10, 11, 13)
                        .endOnExitCodes()
                        .build())
                .endPodFailurePolicy());

    Job done = awaitFinished("fail-job");
    assertThat(conditionTypes(done)).containsExactly("FailureTarget", "Failed");
    assertThat(failed(done).getReason()).isEqualTo("PodFailurePolicy");
    assertThat(failed(done).getMessage()).contains("exit code 11").contains("FailJob rule");
    Pod pod = single(podsOf("fail-job"));
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(terminated(pod).getExitCode()).isEqualTo(11);
    assertThat(terminated(pod).getReason()).isEqualTo("Error");
  }

  @Test
  void failedPodsAreRetriedUpToTheBackoffLimit() {
    node = startNode(config().build());
    createJob("backoff", "exit 1", spec -> spec.withBackoffLimit(1));

    Job done = awaitFinished("backoff");
    assertThat(failed(done).getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(done.getStatus().getFailed()).isEqualTo(2);
    assertThat(podsOf("backoff"))
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
  }

  @Test
  void activeDeadlineKillsTheProcessTreeAndFailsTheJob() throws IOException {
    node = startNode(config().build());
    createJob(
        "deadline",
        "echo $$ > main.pid; sleep 30 & echo $! > child.pid; wait",
        spec -> spec.withActiveDeadlineSeconds(1L));

    Job done = awaitFinished("deadline");
    assertThat(failed(done).getReason()).isEqualTo("DeadlineExceeded");
    Pod pod = single(podsOf("deadline"));
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    Path work = PodSandbox.of(podsDir, pod.getMetadata().getName()).volume("work");
    for (String pidFile : List.of("main.pid", "child.pid")) {
      long pid = Long.parseLong(Files.readString(work.resolve(pidFile)).trim());
      // Both got SIGTERM when the deadline passed; the Job is Failed once the main one is gone.
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
    }
  }

  @Test
  void finishedJobAndItsPodsAreDeletedAfterTheirTtl() {
    node = startNode(config().build());
    createJob("ttl", "exit 0", spec -> spec.withTtlSecondsAfterFinished(1));

    await().until(() -> jobs().withName("ttl").get() == null);
    await().until(() -> podsOf("ttl").isEmpty());
  }

  @Test
  void envWorkingDirAndLogsReachTheProcess() throws IOException {
    Path tools = Files.createDirectories(scratch.resolve("tools"));
    node =
        startNode(
            LocalNodeConfig.builder(podsDir)
                .image(
                    IMAGE,
                    LocalImage.of("/bin/sh", "-c")
                        .withPath(tools)
                        .withEnv("IMAGE_VAR", "from-image")
                        .withEnv("SHARED", "image"))
                .extraEnv("NODE_VAR", "from-node")
                .extraEnv("SHARED", "node")
                .retryBackoff(Duration.ZERO)
                .build());
    createJob(
        "env",
        "echo \"$GREETING $IMAGE_VAR $NODE_VAR $SHARED\" > out.txt; pwd >> out.txt;"
            + " echo \"$WORK_DIR\" >> out.txt; echo \"$PATH\" >> out.txt; echo hi",
        spec ->
            spec.editTemplate()
                .editSpec()
                .editFirstContainer()
                .withEnv(
                    new EnvVar("GREETING", "hello", null),
                    new EnvVar("SHARED", "container", null),
                    new EnvVar("WORK_DIR", "/work", null))
                .endContainer()
                .endSpec()
                .endTemplate());

    awaitFinished("env");
    PodSandbox sandbox = PodSandbox.of(podsDir, single(podsOf("env")).getMetadata().getName());
    Path work = sandbox.volume("work");
    assertThat(Files.readAllLines(work.resolve("out.txt")))
        .satisfiesExactly(
            vars -> assertThat(vars).isEqualTo("hello from-image from-node container"),
            pwd -> assertThat(Path.of(pwd).toRealPath()).isEqualTo(work.toRealPath()),
            workDir -> assertThat(workDir).isEqualTo(work.toString()),
            path -> assertThat(path).startsWith(tools + ":"));
    assertThat(Files.readString(sandbox.stdout())).isEqualTo("hi\n");
  }

  @Test
  void runsAtMostTheConfiguredNumberOfPodsAtOnce() {
    node = startNode(config().maxConcurrentPods(1).build());
    createJob("first", "sleep 1", spec -> spec);
    createJob("second", "sleep 1", spec -> spec);

    // While one runs, the other waits Pending.
    await()
        .until(
            () -> {
              List<String> phases =
                  client.pods().inNamespace(NS).list().getItems().stream()
                      .map(PodStatuses::phase)
                      .sorted()
                      .toList();
              return phases.equals(List.of("Pending", "Running"));
            });
    awaitFinished("first");
    awaitFinished("second");
    List<ContainerStateTerminated> runs =
        client.pods().inNamespace(NS).list().getItems().stream()
            .map(LocalNodeIT::terminated)
            .sorted(Comparator.comparing(t -> Timestamps.parse(t.getStartedAt())))
            .toList();
    assertThat(Timestamps.parse(runs.get(1).getStartedAt()))
        .isAfterOrEqualTo(Timestamps.parse(runs.get(0).getFinishedAt()));
  }

  @Test
  void podsLeftRunningByAStoppedNodeAreReplaced() {
    Path marker = scratch.resolve("first-run");
    node = startNode(config().build());
    createJob(
        "recover",
        "if [ -e " + marker + " ]; then exit 0; fi; touch " + marker + "; sleep 30",
        spec -> spec.withBackoffLimit(2));
    await().until(() -> Files.exists(marker));
    Pod first = single(podsOf("recover"));
    await().until(() -> "Running".equals(PodStatuses.phase(podsOf("recover").get(0))));
    node.close();

    node = startNode(config().build());
    Job done = awaitFinished("recover");
    assertThat(conditionTypes(done)).endsWith("Complete");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(done.getStatus().getFailed()).isEqualTo(1);
    Pod lost = pods().withName(first.getMetadata().getName()).get();
    assertThat(lost.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(lost.getStatus().getReason()).isEqualTo("NodeLost");
    assertThat(podsOf("recover")).hasSize(2);
  }

  @Test
  void deletingTheJobKillsItsProcessAndDeletesItsPods() throws IOException {
    node = startNode(config().build());
    createJob("deleted", "echo $$ > main.pid; exec sleep 30", spec -> spec);
    // untilAsserted: single() fails while the pod is not there yet, which only means "not yet".
    await()
        .untilAsserted(
            () -> assertThat(PodStatuses.phase(single(podsOf("deleted")))).isEqualTo("Running"));
    Path work =
        PodSandbox.of(podsDir, podsOf("deleted").get(0).getMetadata().getName()).volume("work");
    await()
        .until(
            () ->
                Files.exists(work.resolve("main.pid")) && Files.size(work.resolve("main.pid")) > 0);
    long pid = Long.parseLong(Files.readString(work.resolve("main.pid")).trim());

    jobs().withName("deleted").delete();

    await().until(() -> podsOf("deleted").isEmpty());
    await().until(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
    assertThat(work).doesNotExist();
  }

  @Test
  void deletingARunningPodKillsItsProcessAndItsJobMakesAnother() throws IOException {
    node = startNode(config().build());
    Path marker = scratch.resolve("deleted-pod-ran");
    createJob(
        "replaced",
        "if [ -e " + marker + " ]; then exit 0; fi; echo $$ > " + marker + "; exec sleep 30",
        spec -> spec.withBackoffLimit(2));
    await()
        .untilAsserted(
            () -> assertThat(PodStatuses.phase(single(podsOf("replaced")))).isEqualTo("Running"));
    await().until(() -> Files.exists(marker) && Files.size(marker) > 0);
    long pid = Long.parseLong(Files.readString(marker).trim());
    String first = podsOf("replaced").get(0).getMetadata().getName();

    // kubectl delete pod: the API object goes at once here (the mock keeps no terminating pods).
    pods().withName(first).delete();

    await().until(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
    Job done = awaitFinished("replaced");
    assertThat(conditionTypes(done)).endsWith("Complete");
    assertThat(podsOf("replaced"))
        .singleElement()
        .satisfies(pod -> assertThat(pod.getMetadata().getName()).isNotEqualTo(first));
  }

  @Test
  void podOfAnUnknownImageStaysPending() {
    node = startNode(LocalNodeConfig.builder(podsDir).build());
    createJob("no-image", "exit 0", spec -> spec);

    Pod pod = awaitContainerStatus("no-image");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ErrImagePull");
    // The job controller writes the Job's status after the pod's: wait for it, then check it.
    await().until(() -> jobs().withName("no-image").get().getStatus() != null);
    assertThat(jobs().withName("no-image").get().getStatus().getActive()).isEqualTo(1);
  }

  @Test
  void secretVolumesAreFilesWithTheirModesAndAMissingSecretKeepsThePodPending() throws IOException {
    node = startNode(config().build());
    createJob(
        "secret",
        "cat \"$TOKEN_FILE\" > out.txt; echo >> out.txt; stat -c %a \"$TOKEN_FILE\" >> out.txt;"
            + " stat -c %a \"$RENAMED\" >> out.txt",
        spec ->
            spec.editTemplate()
                .editSpec()
                .editFirstContainer()
                .addToEnv(
                    new EnvVar("TOKEN_FILE", "/var/run/token/token", null),
                    new EnvVar("RENAMED", "/etc/extra/renamed", null))
                .addNewVolumeMount()
                .withName("token")
                .withMountPath("/var/run/token")
                .withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("extra")
                .withMountPath("/etc/extra")
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("token")
                .withNewSecret()
                .withSecretName("secret-token")
                .withDefaultMode(0440)
                .endSecret()
                .endVolume()
                .addNewVolume()
                .withName("extra")
                .withNewSecret()
                .withSecretName("secret-token")
                .addNewItem()
                .withKey("token")
                .withPath("renamed")
                .withMode(0400)
                .endItem()
                .endSecret()
                .endVolume()
                .endSpec()
                .endTemplate());

    // No Secret yet: the pod waits, Pending, and the Job does not fail.
    Pod waiting = awaitContainerStatus("secret");
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(
            waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
        .contains("secret \"secret-token\" not found");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () -> assertThat(PodStatuses.phase(single(podsOf("secret")))).isEqualTo("Pending"));

    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("secret-token")
                .endMetadata()
                .addToData("token", Base64.getEncoder().encodeToString("s3cr3t".getBytes(UTF_8)))
                .build())
        .create();

    Job done = awaitFinished("secret");
    assertThat(conditionTypes(done)).endsWith("Complete");
    Path work =
        PodSandbox.of(podsDir, single(podsOf("secret")).getMetadata().getName()).volume("work");
    assertThat(Files.readAllLines(work.resolve("out.txt"))).containsExactly("s3cr3t", "440", "400");
  }

  // --- helpers

  private LocalNodeConfig.Builder config() {
    return LocalNodeConfig.builder(podsDir)
        .image(IMAGE, LocalImage.of("/bin/sh", "-c"))
        .retryBackoff(Duration.ZERO);
  }

  private LocalNode startNode(LocalNodeConfig config) {
    LocalNode started = new LocalNode(client, NS, config);
    started.start();
    return started;
  }

  private Job createJob(String name, String script, UnaryOperator<JobSpecBuilder> customize) {
    JobSpecBuilder spec =
        new JobSpecBuilder()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "test")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("main")
            .withImage(IMAGE)
            .withArgs(script)
            .withWorkingDir("/work")
            .addNewVolumeMount()
            .withName("work")
            .withMountPath("/work")
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("work")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .endTemplate();
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .endMetadata()
            .withSpec(customize.apply(spec).build())
            .build();
    return jobs().resource(job).create();
  }

  private Job awaitFinished(String name) {
    return await()
        .until(
            () -> jobs().withName(name).get(),
            j ->
                j != null
                    && (JobController.isTrue(j.getStatus(), "Complete")
                        || JobController.isTrue(j.getStatus(), "Failed")));
  }

  /** The one pod of the Job, once the node has written its container's status. */
  private Pod awaitContainerStatus(String jobName) {
    return await()
        .until(
            () -> podsOf(jobName),
            // The model gives an empty list before the node has written any status.
            pods ->
                pods.size() == 1
                    && pods.get(0).getStatus() != null
                    && !pods.get(0).getStatus().getContainerStatuses().isEmpty())
        .get(0);
  }

  private List<Pod> podsOf(String jobName) {
    return pods().withLabel("job-name", jobName).list().getItems();
  }

  private static Pod single(List<Pod> pods) {
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static List<String> conditionTypes(Job job) {
    return job.getStatus().getConditions().stream().map(JobCondition::getType).toList();
  }

  private static JobCondition failed(Job job) {
    return job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }

  private NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
    return client.batch().v1().jobs().inNamespace(NS);
  }

  private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
    return client.pods().inNamespace(NS);
  }
}
