package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoJobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a VideoJob's next status from its current one. Pure, like {@link TaskStatuses}: the {@code
 * Succeeded} condition's transition time changes only when it flips.
 */
final class VideoJobStatuses {
  private VideoJobStatuses() {}

  static VideoJobStatus held(VideoJobStatus current, long generation, Instant now) {
    return next(
        current,
        generation,
        VideoJobState.Held,
        "Held",
        "Waiting for execute of its request code",
        "Unknown",
        now);
  }

  static VideoJobStatus pending(
      VideoJobStatus current, long generation, String taskName, Instant now) {
    VideoJobStatus next =
        next(
            current,
            generation,
            VideoJobState.Pending,
            "TaskCreated",
            "FfmpegTask " + taskName + " is waiting to run",
            "Unknown",
            now);
    next.setTaskName(taskName);
    return next;
  }

  static VideoJobStatus running(
      VideoJobStatus current, long generation, String taskName, int progress, Instant now) {
    VideoJobStatus next =
        next(
            current,
            generation,
            VideoJobState.Running,
            "Running",
            "FfmpegTask " + taskName + " is running",
            "Unknown",
            now);
    next.setTaskName(taskName);
    next.setProgress(Math.min(progress, 99));
    return next;
  }

  static VideoJobStatus succeeded(
      VideoJobStatus current, long generation, long outputVideoId, Instant now) {
    VideoJobStatus next =
        next(
            current,
            generation,
            VideoJobState.Succeeded,
            "Succeeded",
            "Produced video " + outputVideoId,
            "True",
            now);
    next.setProgress(100);
    next.setOutputVideoId(outputVideoId);
    next.setCompletionTime(TaskStatuses.timestamp(now));
    return next;
  }

  static VideoJobStatus failed(
      VideoJobStatus current, long generation, String reason, String message, Instant now) {
    VideoJobStatus next =
        next(current, generation, VideoJobState.Failed, reason, message, "False", now);
    next.setCompletionTime(TaskStatuses.timestamp(now));
    return next;
  }

  private static VideoJobStatus next(
      VideoJobStatus current,
      long generation,
      VideoJobState state,
      String reason,
      String message,
      String succeeded,
      Instant now) {
    VideoJobStatus next = new VideoJobStatus();
    List<Condition> conditions = new ArrayList<>();
    if (current != null) {
      next.setTaskName(current.getTaskName());
      next.setProgress(current.getProgress());
      next.setOutputVideoId(current.getOutputVideoId());
      next.setCompletionTime(current.getCompletionTime());
      current.getConditions().forEach(c -> conditions.add(new ConditionBuilder(c).build()));
    }
    next.setObservedGeneration(generation);
    next.setState(state);
    next.setReason(reason);
    next.setMessage(message);
    Condition existing =
        conditions.stream().filter(c -> "Succeeded".equals(c.getType())).findFirst().orElse(null);
    String transition =
        existing != null && succeeded.equals(existing.getStatus())
            ? existing.getLastTransitionTime()
            : TaskStatuses.timestamp(now);
    conditions.removeIf(c -> "Succeeded".equals(c.getType()));
    conditions.add(
        new ConditionBuilder()
            .withType("Succeeded")
            .withStatus(succeeded)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    next.setConditions(conditions);
    return next;
  }
}
