package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.WebhookState;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished tasks once their time to live has passed ({@code spec.ttlSecondsAfterFinished},
 * else the operator's {@code TASK_TTL_SECONDS}), as Kubernetes does with finished Jobs. Deleting
 * the task is all it takes: the outputs finalizer removes what the task stored and its Job goes
 * with it. Tasks a library VideoJob made are the library's and are left to it.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final Duration defaultTtl;
  private final Clock clock;

  Retention(Duration defaultTtl, Clock clock) {
    this.defaultTtl = defaultTtl;
    this.clock = clock;
  }

  /**
   * For a finished task: deletes it when its time has come (unless a webhook call about it is still
   * due), else makes sure {@code control} brings the task back by then.
   */
  UpdateControl<FfmpegTask> apply(
      KubernetesClient client, FfmpegTask task, UpdateControl<FfmpegTask> control) {
    Optional<Instant> expiry = expiry(task, task.getStatus());
    if (expiry.isEmpty()) {
      return control;
    }
    Duration left = Duration.between(clock.instant(), expiry.get());
    if (!left.isNegative() && !left.isZero()) {
      return sooner(control, left);
    }
    if (webhookDue(task)) {
      // Kept until the receiver has been told or given up on; the delivery reschedules itself.
      return control;
    }
    try {
      client.resource(task).delete();
      LOG.info(
          "Task {}/{} finished more than its time to live ago: deleted",
          task.getMetadata().getNamespace(),
          task.getMetadata().getName());
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not delete expired task {}: {}", task.getMetadata().getName(), e.getMessage());
      return control.rescheduleAfter(Duration.ofMinutes(1));
    }
    return UpdateControl.noUpdate();
  }

  /** Makes {@code control} bring the task back when {@code status}, just written, expires. */
  UpdateControl<FfmpegTask> schedule(
      FfmpegTask task, FfmpegTaskStatus status, UpdateControl<FfmpegTask> control) {
    return expiry(task, status)
        .map(at -> Duration.between(clock.instant(), at))
        .map(left -> sooner(control, left.isNegative() ? Duration.ZERO : left))
        .orElse(control);
  }

  /** {@code control} rescheduled after {@code left}, unless it already comes back sooner. */
  private static UpdateControl<FfmpegTask> sooner(
      UpdateControl<FfmpegTask> control, Duration left) {
    Optional<Long> scheduled = control.getScheduleDelay();
    return scheduled.isPresent() && scheduled.get() <= left.toMillis()
        ? control
        : control.rescheduleAfter(left);
  }

  /** When the task may go; empty for a library job's task or one with no completion time. */
  Optional<Instant> expiry(FfmpegTask task, FfmpegTaskStatus status) {
    boolean library =
        task.getMetadata().getOwnerReferences() != null
            && task.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> HasMetadata.getKind(VideoJob.class).equals(o.getKind()));
    if (library || status == null || status.getCompletionTime() == null) {
      return Optional.empty();
    }
    Long own = task.getSpec() == null ? null : task.getSpec().getTtlSecondsAfterFinished();
    Duration ttl = own == null || own < 0 ? defaultTtl : Duration.ofSeconds(own);
    try {
      return Optional.of(Instant.parse(status.getCompletionTime()).plus(ttl));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static boolean webhookDue(FfmpegTask task) {
    return task.getStatus().getWebhook() != null
        && task.getStatus().getWebhook().getState() == WebhookState.Pending;
  }
}
