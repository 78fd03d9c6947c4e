package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.policy.InvalidTaskException;
import io.ffmpegoperator.policy.TaskCommand;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each FfmpegTask as one batch/v1 Job and turns the Job's state and the worker's report into
 * the task's status. Level-driven: every call looks at what exists now, so a restart at any point
 * converges without a second Job.
 */
@ControllerConfiguration(name = FfmpegTaskReconciler.NAME)
public class FfmpegTaskReconciler implements Reconciler<FfmpegTask> {
  public static final String NAME = "ffmpegtask";
  static final String REASON_WARM_WORKER_CLAIMED = "WarmWorkerClaimed";

  /** Name of the event source through which a warm pod's "run is over" reaches its task. */
  static final String WORKER_DONE = "worker-done";

  private static final Logger LOG = LoggerFactory.getLogger(FfmpegTaskReconciler.class);

  private final OperatorConfig config;
  private final S3Storage storage;
  private final WorkerJobFactory jobs;
  private final WarmClaim warm;
  private final SimpleInboundEventSource<FfmpegTask> workerDone;
  private final TaskReports reports;
  private final ResourceEvents events;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final UnreadableResources unreadable;

  /** The watch of the Jobs, made when the controller is registered; shared with the warm parts. */
  private JobEvents jobEvents;

  /**
   * @param warm claims the warm workers tasks take before making a Job of their own; null for none
   * @param workerDone events of warm pods whose run is over, whose report is then read at once
   * @param reports the workers' reports, shared with {@code warm}, which keeps those handed over
   * @param events where the tasks' stories are told, shared with the other reconcilers
   */
  FfmpegTaskReconciler(
      OperatorConfig config,
      S3Storage storage,
      Clock clock,
      OperatorMetrics metrics,
      WorkerJobFactory jobs,
      WarmClaim warm,
      SimpleInboundEventSource<FfmpegTask> workerDone,
      TaskReports reports,
      ResourceEvents events,
      UnreadableResources unreadable) {
    this.config = config;
    this.storage = storage;
    this.jobs = jobs;
    this.warm = warm;
    this.workerDone = workerDone;
    this.reports = reports;
    this.events = events;
    this.clock = clock;
    this.metrics = metrics;
    this.unreadable = unreadable;
  }

  @Override
  public List<EventSource<?, FfmpegTask>> prepareEventSources(
      EventSourceContext<FfmpegTask> context) {
    // The tasks gauge reads the cache the reconciler already keeps: no extra watch, no API call.
    metrics.countTasksIn(() -> context.getPrimaryCache().list());
    metrics.countUnreadableIn("FfmpegTask", () -> context.getPrimaryCache().list());
    jobEvents = JobEvents.of(context);
    return List.of(jobEvents, workerDone);
  }

  /** The one watch of the operator's Jobs; its cache is there once the operator has started. */
  JobEvents jobEvents() {
    return jobEvents;
  }

  @Override
  public UpdateControl<FfmpegTask> reconcile(FfmpegTask task, Context<FfmpegTask> context) {
    Optional<UpdateControl<FfmpegTask>> skipped = unreadable.skip(task);
    if (skipped.isPresent()) {
      return skipped.get();
    }
    FfmpegTaskStatus status = task.getStatus();
    if (status != null && status.getState() != null && status.getState().isFinished()) {
      return UpdateControl.noUpdate();
    }
    long generation = generationOf(task);
    TaskCommand command;
    try {
      command = TaskCommand.parse(WorkerJobFactory.request(task.getSpec()), storage.bucket());
    } catch (InvalidTaskException e) {
      return update(
          task, TaskStatuses.invalid(status, generation, e.getMessage(), clock.instant()));
    }
    Job job = context.getSecondaryResource(Job.class).orElseGet(() -> findJob(context, task));
    if (job == null && status != null && status.getJobName() != null) {
      return update(task, finishWithoutJob(task, status, generation));
    }
    if (job == null) {
      String jobName = startJob(context.getClient(), task, command);
      return update(task, TaskStatuses.pending(status, generation, jobName, clock.instant()));
    }
    String jobName = job.getMetadata().getName();
    JobObservation run = JobObservation.of(job);
    Optional<WorkReport> report =
        run.phase() == JobObservation.Phase.WAITING ? Optional.empty() : reports.latest(task);
    boolean reportedSuccess =
        report.isPresent() && report.get().phase() == WorkReport.Phase.Succeeded;
    FfmpegTaskStatus next =
        switch (run.phase()) {
          case WAITING -> TaskStatuses.pending(status, generation, jobName, clock.instant());
          // The worker stored its outputs and said so: done, whether or not its pod has exited.
          case ACTIVE ->
              reportedSuccess
                  ? completedOrMissing(task, status, generation, jobName, run, report)
                  : TaskStatuses.running(
                      status,
                      generation,
                      jobName,
                      run.startTime(),
                      report.map(WorkReport::progress).orElse(0),
                      clock.instant());
          case SUCCEEDED -> completedOrMissing(task, status, generation, jobName, run, report);
          case FAILED ->
              TaskStatuses.failed(
                  status,
                  generation,
                  jobName,
                  failureReason(report, run.failureReason()),
                  failureMessage(task, report, run.failureReason()),
                  clock.instant());
        };
    UpdateControl<FfmpegTask> control = update(task, next);
    // Progress lives in S3, which cannot be watched: look again while the pod runs.
    return run.phase() == JobObservation.Phase.ACTIVE && !next.getState().isFinished()
        ? control.rescheduleAfter(config.progressInterval())
        : control;
  }

  private FfmpegTaskStatus completedOrMissing(
      FfmpegTask task,
      FfmpegTaskStatus status,
      long generation,
      String jobName,
      JobObservation run,
      Optional<WorkReport> report) {
    Map<String, MediaInfo> media = new HashMap<>();
    report.map(WorkReport::outputs).orElse(List.of()).stream()
        .filter(o -> o.media() != null)
        .forEach(o -> media.put(o.name(), o.media()));
    List<StoredOutput> stored = new ArrayList<>();
    for (Map.Entry<String, String> output : task.getSpec().getOutputs().entrySet()) {
      String key = StorageKeys.taskOutput(task.getMetadata().getName(), output.getValue());
      Optional<Long> size = storage.size(key);
      if (size.isEmpty()) {
        return TaskStatuses.failed(
            status,
            generation,
            jobName,
            "OutputMissing",
            "output '" + output.getKey() + "' was not stored",
            clock.instant());
      }
      StoredOutput out = new StoredOutput(output.getKey(), storage.bucket(), key, size.get());
      out.setMedia(media.get(output.getKey()));
      stored.add(out);
    }
    return TaskStatuses.completed(
        status, generation, jobName, run.startTime(), stored, clock.instant());
  }

  /**
   * The Job is gone before the task finished (deleted, or collected by its TTL while we were down).
   */
  private FfmpegTaskStatus finishWithoutJob(
      FfmpegTask task, FfmpegTaskStatus status, long generation) {
    Optional<WorkReport> report = reports.latest(task);
    if (report.isPresent() && report.get().phase() == WorkReport.Phase.Succeeded) {
      return completedOrMissing(
          task,
          status,
          generation,
          status.getJobName(),
          new JobObservation(JobObservation.Phase.SUCCEEDED, status.getStartTime(), null),
          report);
    }
    if (report.isPresent() && report.get().phase() == WorkReport.Phase.Failed) {
      return TaskStatuses.failed(
          status,
          generation,
          status.getJobName(),
          failureReason(report, null),
          report.get().message(),
          clock.instant());
    }
    return TaskStatuses.failed(
        status,
        generation,
        status.getJobName(),
        "JobDeleted",
        "Job " + status.getJobName() + " was deleted before the task finished",
        clock.instant());
  }

  private static String failureReason(Optional<WorkReport> report, String jobReason) {
    if (report.isPresent() && report.get().failedStep() != null) {
      return report.get().failedStep().reason();
    }
    return jobReason == null ? "JobFailed" : jobReason;
  }

  private String failureMessage(FfmpegTask task, Optional<WorkReport> report, String jobReason) {
    if ("DeadlineExceeded".equals(jobReason)) {
      return "the task did not finish within its timeout of "
          + jobs.timeoutOf(task).toSeconds()
          + " s";
    }
    if (report.isPresent() && report.get().message() != null) {
      return report.get().message();
    }
    return "the worker pod failed (" + (jobReason == null ? "no reason given" : jobReason) + ")";
  }

  /**
   * The task's Job when the cache's index of owners has not shown it (yet): by the name in the
   * status, through the watch, which also holds this process's own recent claims; else, right after
   * the Job was created or claimed, from the API server, among the Jobs with the task's instance
   * label: its own, or the warm one it claimed.
   */
  private Job findJob(Context<FfmpegTask> context, FfmpegTask task) {
    String namespace = task.getMetadata().getNamespace();
    FfmpegTaskStatus status = task.getStatus();
    if (status != null && status.getJobName() != null) {
      Optional<Job> named = jobEvents.get(namespace, status.getJobName());
      if (named.isPresent()) {
        return named.get();
      }
    }
    return context
        .getClient()
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabel(CrdConstants.LABEL_INSTANCE, JobNames.labelValue(task.getMetadata().getName()))
        .list()
        .getItems()
        .stream()
        .filter(
            job ->
                job.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(task.getMetadata().getUid())))
        .findFirst()
        .orElse(null);
  }

  /** Claims a warm worker for the task if one is ready, else creates its Job; returns its name. */
  private String startJob(KubernetesClient client, FfmpegTask task, TaskCommand command) {
    if (warm != null) {
      Duration timeout = jobs.timeoutOf(task);
      Optional<Job> claimed = warm.claim(task, timeout, jobEvents);
      if (claimed.isPresent()) {
        String name = claimed.get().getMetadata().getName();
        events.normal(task, REASON_WARM_WORKER_CLAIMED, "Claimed warm worker Job " + name);
        return name;
      }
    }
    Job job = jobs.build(task, command);
    createJob(client, task, job);
    return job.getMetadata().getName();
  }

  private void createJob(KubernetesClient client, FfmpegTask task, Job job) {
    try {
      client.resource(job).create();
    } catch (KubernetesClientException e) {
      // A Job made by an earlier run of the operator is exactly the Job we want.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return;
    }
    LOG.info("Created Job {}/{}", job.getMetadata().getNamespace(), job.getMetadata().getName());
    // Recorded here, where the Job is made, rather than on the status change: a reconcile that
    // still sees the old status must not tell the story twice.
    events.normal(
        task, TaskStatuses.REASON_JOB_CREATED, "Created Job " + job.getMetadata().getName());
  }

  private UpdateControl<FfmpegTask> update(FfmpegTask task, FfmpegTaskStatus next) {
    FfmpegTaskStatus current = task.getStatus();
    if (current != null && Serialization.asJson(current).equals(Serialization.asJson(next))) {
      return UpdateControl.noUpdate();
    }
    recordTransition(task, current, next);
    task.setStatus(next);
    return UpdateControl.patchStatus(task);
  }

  private void recordTransition(FfmpegTask task, FfmpegTaskStatus current, FfmpegTaskStatus next) {
    TaskState before = current == null ? null : current.getState();
    if (before == next.getState() && current != null) {
      return;
    }
    metrics.taskChanged(task, before, next, clock.instant());
    String name = task.getMetadata().getName();
    switch (next.getState()) {
      case Pending -> {}
      case Running -> events.normal(task, "Started", "Worker pod is running");
      case Completed -> events.normal(task, "Completed", next.getMessage());
      case Failed -> events.warning(task, next.getReason(), next.getMessage());
    }
    LOG.info("Task {} is {}: {}", name, next.getState(), next.getMessage());
  }

  private static long generationOf(FfmpegTask task) {
    Long generation = task.getMetadata().getGeneration();
    return generation == null ? 1L : generation;
  }
}
