package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.List;
import java.util.Map;

/**
 * What a task's Job says about the run, read the way the job controller writes it.
 *
 * @param phase where the run is
 * @param startTime when the task's run started (RFC 3339), if it has: the Job's start, or for a
 *     warm worker's Job the moment a task claimed it
 * @param failureReason for {@link Phase#FAILED}: the Job's Failed condition reason
 *     (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy, ...)
 */
record JobObservation(Phase phase, String startTime, String failureReason) {

  /** The run as the task's status sees it. */
  enum Phase {
    /** Created, no pod running yet. */
    WAITING,
    /** A pod is running. */
    ACTIVE,
    SUCCEEDED,
    FAILED
  }

  static JobObservation of(Job job) {
    JobStatus status = job.getStatus();
    if (status == null) {
      return new JobObservation(Phase.WAITING, null, null);
    }
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    String claimedAt = annotations == null ? null : annotations.get(WarmJobs.CLAIMED_AT_ANNOTATION);
    String started =
        claimedAt != null && status.getStartTime() != null ? claimedAt : status.getStartTime();
    List<JobCondition> conditions =
        status.getConditions() == null ? List.of() : status.getConditions();
    for (JobCondition c : conditions) {
      if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
        return new JobObservation(Phase.SUCCEEDED, started, null);
      }
      if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
        return new JobObservation(Phase.FAILED, started, c.getReason());
      }
    }
    boolean running = status.getActive() != null && status.getActive() > 0;
    return new JobObservation(running ? Phase.ACTIVE : Phase.WAITING, started, null);
  }
}
