package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a task's next status from its current one. Pure: no I/O, time passed in, so each
 * transition is unit-tested on its own. {@code lastTransitionTime} of a condition changes only when
 * its status flips.
 */
final class TaskStatuses {
  static final String SUCCEEDED = "Succeeded";
  static final String VALIDATED = "Validated";

  static final String REASON_JOB_CREATED = "JobCreated";
  static final String REASON_RUNNING = "Running";
  static final String REASON_COMPLETED = "Completed";
  static final String REASON_INVALID_COMMAND = "InvalidCommand";
  static final String REASON_VALID = "Valid";
  static final String REASON_OUTPUT_MISSING = "OutputMissing";
  static final String REASON_JOB_DELETED = "JobDeleted";
  static final String REASON_JOB_FAILED = "JobFailed";
  static final String REASON_CANCELLED = "Cancelled";

  /** The event, not a status reason, that says a task's worker pod runs. */
  static final String EVENT_STARTED = "Started";

  private TaskStatuses() {}

  static FfmpegTaskStatus invalid(
      FfmpegTaskStatus current, long generation, String message, Instant now) {
    FfmpegTaskStatus next = copy(current, generation);
    next.setState(TaskState.Failed);
    next.setReason(REASON_INVALID_COMMAND);
    next.setMessage(message);
    next.setCompletionTime(Conditions.timestamp(now));
    setCondition(
        next, VALIDATED, Conditions.FALSE, REASON_INVALID_COMMAND, message, generation, now);
    setCondition(
        next, SUCCEEDED, Conditions.FALSE, REASON_INVALID_COMMAND, message, generation, now);
    return next;
  }

  static FfmpegTaskStatus pending(
      FfmpegTaskStatus current, long generation, String jobName, Instant now) {
    FfmpegTaskStatus next = copy(current, generation);
    next.setState(TaskState.Pending);
    next.setJobName(jobName);
    next.setProgress(0);
    next.setReason(REASON_JOB_CREATED);
    next.setMessage("Job " + jobName + " is waiting for its pod to start");
    setCondition(
        next, VALIDATED, Conditions.TRUE, REASON_VALID, "The command is valid", generation, now);
    setCondition(
        next,
        SUCCEEDED,
        Conditions.UNKNOWN,
        REASON_JOB_CREATED,
        next.getMessage(),
        generation,
        now);
    return next;
  }

  /** Waiting for its client's limit of running tasks to let it start ({@link ClientQueues}). */
  static FfmpegTaskStatus queued(
      FfmpegTaskStatus current, long generation, String message, Instant now) {
    FfmpegTaskStatus next = copy(current, generation);
    next.setState(TaskState.Pending);
    next.setProgress(0);
    next.setReason(ClientQueues.REASON_QUEUED);
    next.setMessage(message);
    setCondition(
        next, VALIDATED, Conditions.TRUE, REASON_VALID, "The command is valid", generation, now);
    setCondition(
        next, SUCCEEDED, Conditions.UNKNOWN, ClientQueues.REASON_QUEUED, message, generation, now);
    return next;
  }

  static FfmpegTaskStatus running(
      FfmpegTaskStatus current,
      long generation,
      String jobName,
      String startTime,
      int progress,
      Instant now) {
    return running(
        current,
        generation,
        jobName,
        startTime,
        progress,
        "ffmpeg is running",
        "The worker pod is running",
        now);
  }

  /**
   * Running, in the words of {@code message} for the status and {@code conditionMessage} for the
   * Succeeded condition: a parallel task has no pod of its own to speak of.
   */
  static FfmpegTaskStatus running(
      FfmpegTaskStatus current,
      long generation,
      String jobName,
      String startTime,
      int progress,
      String message,
      String conditionMessage,
      Instant now) {
    FfmpegTaskStatus next = copy(current, generation);
    next.setState(TaskState.Running);
    next.setJobName(jobName);
    next.setStartTime(startTime);
    // Progress never goes backwards, even if a retried pod starts over.
    int previous = current == null || current.getProgress() == null ? 0 : current.getProgress();
    next.setProgress(Math.max(previous, Math.min(progress, 99)));
    next.setReason(REASON_RUNNING);
    next.setMessage(message);
    setCondition(
        next, VALIDATED, Conditions.TRUE, REASON_VALID, "The command is valid", generation, now);
    setCondition(
        next, SUCCEEDED, Conditions.UNKNOWN, REASON_RUNNING, conditionMessage, generation, now);
    return next;
  }

  static FfmpegTaskStatus completed(
      FfmpegTaskStatus current,
      long generation,
      String jobName,
      String startTime,
      List<StoredOutput> outputs,
      Instant now) {
    FfmpegTaskStatus next = copy(current, generation);
    next.setState(TaskState.Completed);
    next.setJobName(jobName);
    next.setStartTime(startTime);
    next.setProgress(100);
    next.setOutputs(new ArrayList<>(outputs));
    next.setCompletionTime(Conditions.timestamp(now));
    next.setReason(REASON_COMPLETED);
    next.setMessage("All " + outputs.size() + " output(s) stored");
    setCondition(
        next, SUCCEEDED, Conditions.TRUE, REASON_COMPLETED, next.getMessage(), generation, now);
    return next;
  }

  static FfmpegTaskStatus failed(
      FfmpegTaskStatus current,
      long generation,
      String jobName,
      String reason,
      String message,
      Instant now) {
    FfmpegTaskStatus next = copy(current, generation);
    next.setState(TaskState.Failed);
    next.setJobName(jobName);
    next.setCompletionTime(Conditions.timestamp(now));
    next.setReason(reason);
    next.setMessage(message);
    setCondition(next, SUCCEEDED, Conditions.FALSE, reason, message, generation, now);
    return next;
  }

  /**
   * A task stopped on request. Its message starts with "cancelled", which is how the seed API,
   * knowing no cancelled state, tells it from other failures.
   */
  static FfmpegTaskStatus cancelled(FfmpegTaskStatus current, long generation, Instant now) {
    FfmpegTaskStatus next = copy(current, generation);
    boolean started = current != null && current.getStartTime() != null;
    next.setState(TaskState.Cancelled);
    next.setOutputs(new ArrayList<>());
    next.setCompletionTime(Conditions.timestamp(now));
    next.setReason(REASON_CANCELLED);
    next.setMessage(
        started
            ? "cancelled while running: ffmpeg was stopped and no output was kept"
            : "cancelled before it started");
    setCondition(
        next, SUCCEEDED, Conditions.FALSE, REASON_CANCELLED, next.getMessage(), generation, now);
    return next;
  }

  private static FfmpegTaskStatus copy(FfmpegTaskStatus current, long generation) {
    FfmpegTaskStatus next = new FfmpegTaskStatus();
    if (current != null) {
      next.setState(current.getState());
      next.setProgress(current.getProgress());
      next.setJobName(current.getJobName());
      next.setOutputs(new ArrayList<>(current.getOutputs()));
      next.setStartTime(current.getStartTime());
      next.setCompletionTime(current.getCompletionTime());
      next.setReason(current.getReason());
      next.setMessage(current.getMessage());
      next.setConditions(Conditions.copy(current.getConditions()));
      next.setWebhook(current.getWebhook());
      next.setParallel(current.getParallel());
    }
    next.setObservedGeneration(generation);
    return next;
  }

  private static void setCondition(
      FfmpegTaskStatus status,
      String type,
      String value,
      String reason,
      String message,
      long generation,
      Instant now) {
    Conditions.set(status.getConditions(), type, value, reason, message, generation, now);
  }
}
