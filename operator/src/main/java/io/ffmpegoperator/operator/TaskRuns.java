package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a task's run says now: its Job's state, the report its worker wrote and the outputs in S3
 * become the task's next status. A task is completed only when every output is in S3: the report
 * says what the worker did, the store says what is there.
 */
final class TaskRuns {
  /** A Job's Failed reason when it ran past its activeDeadlineSeconds (the job controller's). */
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

  private final S3Storage storage;
  private final TaskReports reports;
  private final WorkerJobFactory jobs;
  private final FailedPods pods;
  private final Clock clock;

  TaskRuns(
      S3Storage storage, TaskReports reports, WorkerJobFactory jobs, FailedPods pods, Clock clock) {
    this.storage = storage;
    this.reports = reports;
    this.jobs = jobs;
    this.pods = pods;
    this.clock = clock;
  }

  /** The status that {@code job}, the task's Job, and the worker's report make now. */
  FfmpegTaskStatus next(FfmpegTask task, long generation, Job job) {
    FfmpegTaskStatus status = task.getStatus();
    String jobName = job.getMetadata().getName();
    JobObservation run = JobObservation.of(job);
    Optional<WorkReport> report =
        run.phase() == JobObservation.Phase.WAITING ? Optional.empty() : reports.latest(task);
    boolean reportedSuccess =
        report.isPresent() && report.get().phase() == WorkReport.Phase.Succeeded;
    return switch (run.phase()) {
      case WAITING -> TaskStatuses.pending(status, generation, jobName, clock.instant());
      // The worker stored its outputs and said so: done, whether or not its pod has exited.
      case ACTIVE ->
          reportedSuccess
              ? completedOrMissing(task, generation, jobName, run.startTime(), report)
              : TaskStatuses.running(
                  status,
                  generation,
                  jobName,
                  run.startTime(),
                  report.map(WorkReport::progress).orElse(0),
                  clock.instant());
      case SUCCEEDED -> completedOrMissing(task, generation, jobName, run.startTime(), report);
      case FAILED -> failed(task, generation, job, report, run.failureReason());
    };
  }

  /**
   * The status of a task whose Job failed: what the worker's report says, else what the Job's pods
   * say (a worker killed for memory reports nothing), else the Job's reason.
   */
  private FfmpegTaskStatus failed(
      FfmpegTask task, long generation, Job job, Optional<WorkReport> report, String jobReason) {
    String reason = failureReason(report, jobReason);
    String message = failureMessage(task, report, jobReason);
    boolean explained = report.isPresent() && report.get().failedStep() != null;
    if (!explained && !DEADLINE_EXCEEDED.equals(jobReason)) {
      Optional<String> outOfMemory = pods.outOfMemory(job);
      if (outOfMemory.isPresent()) {
        reason = WorkReport.Step.OutOfMemory.reason();
        message = outOfMemory.get();
      }
    }
    return TaskStatuses.failed(
        task.getStatus(),
        generation,
        job.getMetadata().getName(),
        reason,
        message,
        clock.instant());
  }

  /**
   * The status of a task whose Job is gone before it finished (deleted, or collected by its TTL
   * while the operator was down): what the worker's last report says, else a failure.
   */
  FfmpegTaskStatus withoutJob(FfmpegTask task, long generation) {
    FfmpegTaskStatus status = task.getStatus();
    Optional<WorkReport> report = reports.latest(task);
    if (report.isPresent() && report.get().phase() == WorkReport.Phase.Succeeded) {
      return completedOrMissing(
          task, generation, status.getJobName(), status.getStartTime(), report);
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
        TaskStatuses.REASON_JOB_DELETED,
        "Job " + status.getJobName() + " was deleted before the task finished",
        clock.instant());
  }

  private FfmpegTaskStatus completedOrMissing(
      FfmpegTask task,
      long generation,
      String jobName,
      String startTime,
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
            task.getStatus(),
            generation,
            jobName,
            TaskStatuses.REASON_OUTPUT_MISSING,
            "output '" + output.getKey() + "' was not stored",
            clock.instant());
      }
      StoredOutput out = new StoredOutput(output.getKey(), storage.bucket(), key, size.get());
      out.setMedia(media.get(output.getKey()));
      stored.add(out);
    }
    return TaskStatuses.completed(
        task.getStatus(), generation, jobName, startTime, stored, clock.instant());
  }

  private static String failureReason(Optional<WorkReport> report, String jobReason) {
    if (report.isPresent() && report.get().failedStep() != null) {
      return report.get().failedStep().reason();
    }
    return jobReason == null ? TaskStatuses.REASON_JOB_FAILED : jobReason;
  }

  private String failureMessage(FfmpegTask task, Optional<WorkReport> report, String jobReason) {
    if (DEADLINE_EXCEEDED.equals(jobReason)) {
      return "the task did not finish within its timeout of "
          + jobs.timeoutOf(task).toSeconds()
          + " s";
    }
    if (report.isPresent() && report.get().message() != null) {
      return report.get().message();
    }
    return "the worker pod failed (" + (jobReason == null ? "no reason given" : jobReason) + ")";
  }
}
