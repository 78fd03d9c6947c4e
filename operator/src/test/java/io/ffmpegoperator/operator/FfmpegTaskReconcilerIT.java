package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.storage.StorageKeys;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reconciler against a Kubernetes API in CRUD mode and a real S3; Jobs are driven by hand. */
class FfmpegTaskReconcilerIT {
  private static final String NS = TestingCluster.NS;
  private static final String BUCKET = TestingCluster.BUCKET;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final TestingCluster cluster = new TestingCluster();
  private Operator operator;

  @BeforeEach
  void startOperator() {
    operator = cluster.startOperator();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  private static FfmpegTask newTask(
      String command, Map<String, String> in, Map<String, String> out) {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder().withName(UUID.randomUUID().toString()).withNamespace(NS).build());
    task.setSpec(new FfmpegTaskSpec(command, in, out));
    return cluster.client.resource(task).create();
  }

  private static FfmpegTask validTask() {
    return newTask(
        "-i in_1 -c:v libx264 out_1",
        Map.of("in_1", "s3://" + BUCKET + "/samples/a.mp4"),
        Map.of("out_1", "out.mp4"));
  }

  private static FfmpegTask read(FfmpegTask task) {
    return cluster.resources(FfmpegTask.class, NS).withName(name(task)).get();
  }

  private static String name(FfmpegTask task) {
    return task.getMetadata().getName();
  }

  private static List<Job> jobsOf(FfmpegTask task) {
    return cluster.jobs(NS).list().getItems().stream()
        .filter(j -> j.getMetadata().getOwnerReferences().get(0).getName().equals(name(task)))
        .toList();
  }

  private static Job awaitJob(FfmpegTask task) {
    await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf(task).size() == 1);
    return jobsOf(task).get(0);
  }

  private static void setJobStatus(Job job, JobStatusBuilder status) {
    Job fresh = cluster.jobs(NS).withName(job.getMetadata().getName()).get();
    fresh.setStatus(status.build());
    cluster.jobs(NS).resource(fresh).updateStatus();
  }

  private static void writeReport(FfmpegTask task, WorkReport report) throws Exception {
    cluster.storage.putText(
        StorageKeys.taskReport(NS, name(task)), JSON.writeValueAsString(report));
  }

  /** The task's status once it has failed. */
  private static FfmpegTaskStatus awaitFailed(FfmpegTask task) {
    return awaitState(task, TaskState.Failed);
  }

  /** The task's status once it is in {@code state}. */
  private static FfmpegTaskStatus awaitState(FfmpegTask task, TaskState state) {
    await()
        .atMost(Duration.ofSeconds(20))
        // A task the operator ends at once (invalid, cancelled) has no status until then.
        .until(() -> read(task).getStatus() != null && read(task).getStatus().getState() == state);
    return read(task).getStatus();
  }

  private static JobStatusBuilder finished(String type, String reason) {
    return new JobStatusBuilder()
        .withStartTime("2026-01-01T00:00:00Z")
        .withActive(0)
        .addToConditions(
            new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).build());
  }

  @Test
  void taskRunsThroughPendingRunningCompleted() throws Exception {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    assertThat(job.getMetadata().getName()).isEqualTo("fft-" + name(task));
    await().until(() -> read(task).getStatus() != null);
    assertThat(read(task).getStatus().getState()).isEqualTo(TaskState.Pending);

    writeReport(task, new WorkReport(WorkReport.Phase.Running, 40, List.of(), null, null));
    setJobStatus(job, new JobStatusBuilder().withStartTime("2026-01-01T00:00:00Z").withActive(1));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = read(task).getStatus();
              assertThat(status.getState()).isEqualTo(TaskState.Running);
              assertThat(status.getProgress()).isEqualTo(40);
            });
    // Progress comes from S3 and is re-read while the pod runs, with no Job event.
    writeReport(task, new WorkReport(WorkReport.Phase.Running, 75, List.of(), null, null));
    await().atMost(Duration.ofSeconds(20)).until(() -> read(task).getStatus().getProgress() == 75);

    cluster.storage.putText(StorageKeys.taskOutput(name(task), "out.mp4"), "0123456789");
    setJobStatus(job, finished("Complete", null));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Completed);
    var status = read(task).getStatus();
    assertThat(status.getProgress()).isEqualTo(100);
    assertThat(status.getOutputs())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKey()).isEqualTo("ffmpeg-outputs/" + name(task) + "/out.mp4");
              assertThat(o.getSize()).isEqualTo(10L);
            });
    assertThat(status.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Succeeded");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    // Events are written in the background, after the status they go with.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(cluster.eventReasons(task))
                    .containsExactlyInAnyOrder("JobCreated", "Started", "Completed"));
  }

  @Test
  void invalidTaskFailsWithoutAJob() {
    FfmpegTask task =
        newTask(
            "-i /etc/passwd out_1",
            Map.of("in_1", "http://example.com/a.mp4"),
            Map.of("out_1", "o.mp4"));
    var status = awaitFailed(task);
    assertThat(status.getReason()).isEqualTo("InvalidCommand");
    assertThat(status.getMessage()).contains("/etc/passwd");
    assertThat(jobsOf(task)).isEmpty();
  }

  @Test
  void resourcesAboveTheMaximumFailTheTaskAsAnInvalidCommandWithoutAJob() {
    // As kubectl may write it, past the bridge: too much memory, and a resource no task may set.
    FfmpegTask created =
        cluster.newTask(NS, new TaskResources(Map.of("gpu", "1"), Map.of("memory", "64Gi")));

    var status = awaitFailed(created);
    assertThat(status.getReason()).isEqualTo("InvalidCommand");
    assertThat(status.getMessage())
        .contains("resources.limits.memory 64Gi is above the maximum 8Gi")
        .contains("resources.requests.gpu is not allowed");
    assertThat(jobsOf(created)).isEmpty();
  }

  @Test
  void workerFailureReportBecomesTheErrorMessage() throws Exception {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    writeReport(
        task,
        new WorkReport(
            WorkReport.Phase.Failed,
            0,
            List.of(),
            WorkReport.Step.Input,
            "input 'in_1' could not be fetched: HTTP 404"));
    setJobStatus(job, finished("Failed", "PodFailurePolicy"));
    FfmpegTaskStatus status = awaitFailed(task);
    assertThat(status.getReason()).isEqualTo("InputUnavailable");
    assertThat(status.getMessage()).isEqualTo("input 'in_1' could not be fetched: HTTP 404");
  }

  @Test
  void ffmpegOutOfMemoryIsRetriedThenTheTaskSaysOutOfMemory() throws Exception {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    WorkReport outOfMemory =
        new WorkReport(
            WorkReport.Phase.Failed,
            30,
            List.of(),
            WorkReport.Step.OutOfMemory,
            "out of memory (limit 64Mi)");
    // A failed attempt with a retry under way: the task still runs.
    writeReport(task, outOfMemory);
    setJobStatus(
        job,
        new JobStatusBuilder().withStartTime("2026-01-01T00:00:00Z").withFailed(1).withActive(1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Running);

    setJobStatus(job, finished("Failed", "BackoffLimitExceeded").withFailed(3));
    FfmpegTaskStatus status = awaitFailed(task);
    assertThat(status.getReason()).isEqualTo("OutOfMemory");
    assertThat(status.getMessage()).isEqualTo("out of memory (limit 64Mi)");
  }

  @Test
  void aWorkerKilledForMemoryWithoutAReportIsOutOfMemory() throws Exception {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    // Its last report is from the middle of its run: the kernel killed the worker itself.
    writeReport(task, new WorkReport(WorkReport.Phase.Running, 50, List.of(), null, null));
    cluster.client.pods().inNamespace(NS).resource(oomKilledPod(job, "256Mi")).create();
    setJobStatus(job, finished("Failed", "BackoffLimitExceeded").withFailed(3));
    FfmpegTaskStatus status = awaitFailed(task);
    assertThat(status.getReason()).isEqualTo("OutOfMemory");
    assertThat(status.getMessage()).isEqualTo("out of memory (limit 256Mi)");
  }

  /** A pod of {@code job} whose worker container the kernel killed for passing {@code limit}. */
  private static Pod oomKilledPod(Job job, String limit) {
    Job fresh = cluster.jobs(NS).withName(job.getMetadata().getName()).get();
    return new PodBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName() + "-x1y2z")
        .withNamespace(NS)
        .addToLabels(FailedPods.CONTROLLER_UID, fresh.getMetadata().getUid())
        .endMetadata()
        .withSpec(fresh.getSpec().getTemplate().getSpec())
        .editSpec()
        .editFirstContainer()
        .editResources()
        .addToLimits("memory", new Quantity(limit))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Failed")
        .addNewContainerStatus()
        .withName(WorkerJobFactory.CONTAINER)
        .withNewState()
        .withNewTerminated()
        .withExitCode(137)
        .withReason(FailedPods.OOM_KILLED)
        .withFinishedAt("2026-01-01T00:01:00Z")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void deadlineExceededSaysSo() {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    setJobStatus(job, finished("Failed", "DeadlineExceeded"));
    FfmpegTaskStatus status = awaitFailed(task);
    assertThat(status.getReason()).isEqualTo("DeadlineExceeded");
    assertThat(status.getMessage()).contains("timeout of 3600 s");
  }

  @Test
  void completedJobWithoutItsOutputFailsTheTask() {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    setJobStatus(job, finished("Complete", null));
    FfmpegTaskStatus status = awaitFailed(task);
    assertThat(status.getReason()).isEqualTo("OutputMissing");
  }

  @Test
  void restartedOperatorAdoptsTheJobItMadeBefore() throws Exception {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    operator.stop();
    setJobStatus(job, new JobStatusBuilder().withStartTime("2026-01-01T00:00:00Z").withActive(1));
    operator = cluster.startOperator();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Running);
    cluster.storage.putText(StorageKeys.taskOutput(name(task), "out.mp4"), "x");
    setJobStatus(job, finished("Complete", null));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Completed);
    assertThat(jobsOf(task)).hasSize(1);
  }

  private static void requestCancel(FfmpegTask task) {
    cluster
        .resources(FfmpegTask.class, NS)
        .withName(name(task))
        .edit(
            t -> {
              t.getSpec().setCancel(true);
              return t;
            });
  }

  /** A task whose Job completed with its output, out.mp4, stored. */
  private static FfmpegTask completedTask() throws Exception {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    cluster.storage.putText(StorageKeys.taskOutput(name(task), "out.mp4"), "done");
    setJobStatus(job, finished("Complete", null));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Completed);
    return task;
  }

  @Test
  void taskCancelledBeforeItStartsNeverGetsAJob() {
    FfmpegTask created = cluster.newTask(NS, spec -> spec.setCancel(true));

    FfmpegTaskStatus status = awaitState(created, TaskState.Cancelled);
    assertThat(status.getMessage()).startsWith("cancelled before it started");
    assertThat(status.getReason()).isEqualTo("Cancelled");
    assertThat(status.getConditions())
        .filteredOn(c -> c.getType().equals("Succeeded"))
        .singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(jobsOf(created)).isEmpty();
  }

  @Test
  void cancelledRunningTaskLosesItsJobAndWhatItStored() throws Exception {
    FfmpegTask task = validTask();
    Job job = awaitJob(task);
    setJobStatus(job, new JobStatusBuilder().withStartTime("2026-01-01T00:00:00Z").withActive(1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Running);
    // An output the worker stored before the cancel came: it must not outlive the task's run.
    String partial = StorageKeys.taskOutput(name(task), "out.mp4");
    cluster.storage.putText(partial, "half");

    requestCancel(task);

    FfmpegTaskStatus status = awaitState(task, TaskState.Cancelled);
    assertThat(status.getMessage()).startsWith("cancelled while running");
    assertThat(jobsOf(task)).isEmpty();
    assertThat(cluster.storage.size(partial)).isEmpty();
  }

  @Test
  void cancelOfAFinishedTaskChangesNothing() throws Exception {
    FfmpegTask task = completedTask();
    String output = StorageKeys.taskOutput(name(task), "out.mp4");

    requestCancel(task);

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> read(task).getStatus().getState() == TaskState.Completed);
    assertThat(cluster.storage.size(output)).isPresent();
  }

  @Test
  void deletedTaskHasItsJobAndOutputsRemovedBeforeItGoes() throws Exception {
    FfmpegTask task = completedTask();
    String output = StorageKeys.taskOutput(name(task), "out.mp4");
    assertThat(read(task).getMetadata().getFinalizers()).isNotEmpty();

    cluster.resources(FfmpegTask.class, NS).withName(name(task)).delete();

    await().atMost(Duration.ofSeconds(20)).until(() -> read(task) == null);
    assertThat(cluster.storage.size(output)).isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf(task).isEmpty());
  }
}
