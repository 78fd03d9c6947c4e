package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The job controller's decision for one Job, from the Job and its pods alone: the status to write
 * and the one step to take. Pure and level-driven, so deciding twice decides the same.
 */
final class JobController {
  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String FAILURE_TARGET = "FailureTarget";
  static final String SUSPENDED = "Suspended";
  static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  static final String POD_FAILURE_POLICY = "PodFailurePolicy";
  static final int DEFAULT_BACKOFF_LIMIT = 6;
  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(6);

  /** The one thing to do after writing the status. */
  enum Step {
    NONE,
    CREATE_POD,
    /** Kill the active pods; they end Failed and stay (deadline, FailJob). */
    TERMINATE_ACTIVE,
    /** Kill the active pods and delete them (suspend). */
    DELETE_ACTIVE,
    /** ttlSecondsAfterFinished has passed. */
    DELETE_JOB
  }

  /**
   * @param status the Job status to hold
   * @param step what to do
   * @param wakeUpAt when to decide again even if nothing is watched to change (deadline, retry
   *     delay, TTL); null for never
   */
  record Plan(JobStatus status, Step step, Instant wakeUpAt) {}

  /** How the Job ends: its interim condition, then the final one with the same reason. */
  private record Outcome(boolean success, String reason, String message) {
    String interimType() {
      return success ? SUCCESS_CRITERIA_MET : FAILURE_TARGET;
    }

    String finalType() {
      return success ? COMPLETE : FAILED;
    }
  }

  /** The pods counted so far. */
  private record Tally(int succeeded, int failed, Outcome failJob, Instant lastFailure) {}

  private final Duration retryBackoff;

  JobController(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
  }

  Plan plan(Job job, List<Pod> pods, Instant now) {
    JobSpec spec = job.getSpec();
    JobStatus status =
        job.getStatus() == null ? new JobStatus() : new JobStatusBuilder(job.getStatus()).build();
    List<Pod> active = pods.stream().filter(p -> !PodStatuses.isTerminal(p)).toList();
    status.setActive(nullIfZero(active.size()));
    status.setReady((int) active.stream().filter(PodStatuses::isReady).count());

    if (isTrue(status, COMPLETE) || isTrue(status, FAILED)) {
      return finished(spec, status, active, now);
    }
    if (Boolean.TRUE.equals(spec.getSuspend())) {
      setCondition(status, SUSPENDED, "True", "JobSuspended", "Job suspended", now);
      return new Plan(status, active.isEmpty() ? Step.NONE : Step.DELETE_ACTIVE, null);
    }
    if (isTrue(status, SUSPENDED)) {
      // A resumed Job's deadline counts from the resume, as in Kubernetes.
      setCondition(status, SUSPENDED, "False", "JobResumed", "Job resumed", now);
      status.setStartTime(Timestamps.format(now));
    }
    if (status.getStartTime() == null) {
      status.setStartTime(Timestamps.format(now));
    }

    Tally tally = tally(job, pods);
    status.setSucceeded(nullIfZero(Math.max(orZero(status.getSucceeded()), tally.succeeded())));
    status.setFailed(nullIfZero(Math.max(orZero(status.getFailed()), tally.failed())));
    Instant deadline = deadline(spec, status);

    Outcome outcome = pendingOutcome(status);
    if (outcome == null) {
      outcome = decide(spec, tally, deadline, now);
      if (outcome != null) {
        setCondition(
            status, outcome.interimType(), "True", outcome.reason(), outcome.message(), now);
      }
    }
    if (outcome != null) {
      // The final condition waits until no pod of the Job runs any more, as in Kubernetes.
      if (!active.isEmpty()) {
        return new Plan(status, Step.TERMINATE_ACTIVE, null);
      }
      setCondition(status, outcome.finalType(), "True", outcome.reason(), outcome.message(), now);
      if (outcome.success()) {
        status.setCompletionTime(Timestamps.format(now));
      }
      return new Plan(status, Step.NONE, null);
    }
    if (!active.isEmpty()) {
      return new Plan(status, Step.NONE, deadline);
    }
    Instant retryAt =
        tally.lastFailure() == null ? now : tally.lastFailure().plus(retryDelay(tally.failed()));
    if (now.isBefore(retryAt)) {
      return new Plan(status, Step.NONE, earliest(retryAt, deadline));
    }
    return new Plan(status, Step.CREATE_POD, deadline);
  }

  private static Plan finished(JobSpec spec, JobStatus status, List<Pod> active, Instant now) {
    if (!active.isEmpty()) {
      return new Plan(status, Step.TERMINATE_ACTIVE, null);
    }
    Integer ttl = spec.getTtlSecondsAfterFinished();
    if (ttl == null) {
      return new Plan(status, Step.NONE, null);
    }
    Instant finishedAt =
        status.getConditions().stream()
            .filter(c -> isFinal(c) && "True".equals(c.getStatus()))
            .map(c -> Timestamps.parse(c.getLastTransitionTime()))
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    Instant expiry = finishedAt.plusSeconds(ttl);
    return now.isBefore(expiry)
        ? new Plan(status, Step.NONE, expiry)
        : new Plan(status, Step.DELETE_JOB, null);
  }

  /** Failures first, then success, in the job controller's order. */
  private static Outcome decide(JobSpec spec, Tally tally, Instant deadline, Instant now) {
    if (tally.failJob() != null) {
      return tally.failJob();
    }
    int backoffLimit =
        spec.getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : spec.getBackoffLimit();
    if (tally.failed() > backoffLimit) {
      return new Outcome(
          false, BACKOFF_LIMIT_EXCEEDED, "Job has reached the specified backoff limit");
    }
    if (deadline != null && !now.isBefore(deadline)) {
      return new Outcome(false, DEADLINE_EXCEEDED, "Job was active longer than specified deadline");
    }
    int completions = spec.getCompletions() == null ? 1 : spec.getCompletions();
    if (tally.succeeded() >= completions) {
      return new Outcome(true, "CompletionsReached", "Reached expected number of succeeded pods");
    }
    return null;
  }

  private static Tally tally(Job job, List<Pod> pods) {
    int succeeded = 0;
    int failed = 0;
    Outcome failJob = null;
    Instant lastFailure = null;
    for (Pod pod : pods) {
      String phase = PodStatuses.phase(pod);
      if (PodStatuses.SUCCEEDED.equals(phase)) {
        succeeded++;
      } else if (PodStatuses.FAILED.equals(phase)) {
        PodFailurePolicies.Match match =
            PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), pod);
        if (match.action() == PodFailurePolicies.Action.IGNORE) {
          continue;
        }
        failed++;
        lastFailure = latest(lastFailure, finishedAt(pod));
        if (match.action() == PodFailurePolicies.Action.FAIL_JOB && failJob == null) {
          failJob = new Outcome(false, POD_FAILURE_POLICY, match.message());
        }
      }
    }
    return new Tally(succeeded, failed, failJob, lastFailure);
  }

  /** The outcome already decided in an earlier round, whose final condition is still due. */
  private static Outcome pendingOutcome(JobStatus status) {
    for (JobCondition c : conditions(status)) {
      boolean interim =
          FAILURE_TARGET.equals(c.getType()) || SUCCESS_CRITERIA_MET.equals(c.getType());
      if (interim && "True".equals(c.getStatus())) {
        return new Outcome(SUCCESS_CRITERIA_MET.equals(c.getType()), c.getReason(), c.getMessage());
      }
    }
    return null;
  }

  private Duration retryDelay(int failures) {
    if (failures == 0 || retryBackoff.isZero()) {
      return Duration.ZERO;
    }
    Duration delay = retryBackoff.multipliedBy(1L << Math.min(failures - 1, 20));
    return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
  }

  private static Instant deadline(JobSpec spec, JobStatus status) {
    Long seconds = spec.getActiveDeadlineSeconds();
    Instant start = Timestamps.parse(status.getStartTime());
    return seconds == null || start == null ? null : start.plusSeconds(seconds);
  }

  private static Instant finishedAt(Pod pod) {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return null;
    }
    return statuses.stream()
        .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
        .map(s -> Timestamps.parse(s.getState().getTerminated().getFinishedAt()))
        .filter(Objects::nonNull)
        .reduce(null, JobController::latest);
  }

  /** Adds or updates a condition; its transition time moves only when its status flips. */
  private static void setCondition(
      JobStatus status, String type, String value, String reason, String message, Instant now) {
    List<JobCondition> conditions = new ArrayList<>(conditions(status));
    String at = Timestamps.format(now);
    JobCondition next =
        new JobConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withLastProbeTime(at)
            .withLastTransitionTime(at)
            .build();
    for (int i = 0; i < conditions.size(); i++) {
      JobCondition old = conditions.get(i);
      if (type.equals(old.getType())) {
        if (value.equals(old.getStatus())) {
          return;
        }
        conditions.set(i, next);
        status.setConditions(conditions);
        return;
      }
    }
    conditions.add(next);
    status.setConditions(conditions);
  }

  static boolean isTrue(JobStatus status, String type) {
    return conditions(status).stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean isFinal(JobCondition c) {
    return COMPLETE.equals(c.getType()) || FAILED.equals(c.getType());
  }

  private static List<JobCondition> conditions(JobStatus status) {
    return status == null || status.getConditions() == null ? List.of() : status.getConditions();
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static Integer nullIfZero(int n) {
    // The API server leaves zero counts out (omitempty); matching that keeps re-writes away.
    return n == 0 ? null : n;
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }
}
