package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoJobStatus;
import java.time.Instant;
import java.util.List;

/**
 * Builds a VideoJob's next status from its current one. Pure, like {@link TaskStatuses}: the {@code
 * Succeeded} condition's transition time changes only when it flips.
 */
final class VideoJobStatuses {
  static final String SUCCEEDED = "Succeeded";

  static final String REASON_HELD = "Held";
  static final String REASON_TASK_CREATED = "TaskCreated";
  static final String REASON_RUNNING = "Running";
  static final String REASON_SUCCEEDED = "Succeeded";
  static final String REASON_VIDEO_MISSING = "VideoMissing";
  static final String REASON_VIDEO_STORED = "VideoStored";

  private VideoJobStatuses() {}

  static VideoJobStatus held(VideoJobStatus current, long generation, Instant now) {
    return next(
        current,
        generation,
        VideoJobState.Held,
        REASON_HELD,
        "Waiting for execute of its request code",
        Conditions.UNKNOWN,
        now);
  }

  static VideoJobStatus pending(
      VideoJobStatus current, long generation, String taskName, Instant now) {
    VideoJobStatus next =
        next(
            current,
            generation,
            VideoJobState.Pending,
            REASON_TASK_CREATED,
            "FfmpegTask " + taskName + " is waiting to run",
            Conditions.UNKNOWN,
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
            REASON_RUNNING,
            "FfmpegTask " + taskName + " is running",
            Conditions.UNKNOWN,
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
            REASON_SUCCEEDED,
            "Produced video " + outputVideoId,
            Conditions.TRUE,
            now);
    next.setProgress(100);
    next.setOutputVideoId(outputVideoId);
    next.setCompletionTime(Conditions.timestamp(now));
    return next;
  }

  static VideoJobStatus failed(
      VideoJobStatus current, long generation, String reason, String message, Instant now) {
    VideoJobStatus next =
        next(current, generation, VideoJobState.Failed, reason, message, Conditions.FALSE, now);
    next.setCompletionTime(Conditions.timestamp(now));
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
    if (current != null) {
      next.setTaskName(current.getTaskName());
      next.setProgress(current.getProgress());
      next.setOutputVideoId(current.getOutputVideoId());
      next.setCompletionTime(current.getCompletionTime());
    }
    next.setObservedGeneration(generation);
    next.setState(state);
    next.setReason(reason);
    next.setMessage(message);
    List<Condition> conditions = Conditions.copy(current == null ? null : current.getConditions());
    Conditions.set(conditions, SUCCEEDED, succeeded, reason, message, generation, now);
    next.setConditions(conditions);
    return next;
  }
}
