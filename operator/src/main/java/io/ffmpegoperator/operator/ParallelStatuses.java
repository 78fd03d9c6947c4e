package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.ParallelPhase;
import io.ffmpegoperator.crds.ParallelStatus;
import io.ffmpegoperator.crds.PhaseTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the parallel part of a task's status and its progress. Pure: no I/O, time passed in. A
 * phase's start is written once, when the run enters it, and its end when the run leaves it.
 */
final class ParallelStatuses {
  /** Shares of the whole run's progress, in percent; the segments' share is what is left. */
  static final int PROBE_SHARE = 5;

  static final int JOIN_SHARE = 10;
  static final int SEGMENTS_SHARE = 100 - PROBE_SHARE - JOIN_SHARE;

  private ParallelStatuses() {}

  /**
   * The status in {@code phase}, with the phase before it ended now if it was another one. A run
   * never goes back: asked for a phase it has passed, it stays where it is.
   */
  static ParallelStatus in(ParallelStatus current, ParallelPhase phase, Instant now) {
    ParallelStatus next = copy(current);
    if (next.getPhase() != null && next.getPhase().compareTo(phase) >= 0) {
      return next;
    }
    String at = Conditions.timestamp(now);
    for (PhaseTime time : next.getPhases().values()) {
      if (time.getEndTime() == null) {
        time.setEndTime(at);
      }
    }
    if (phase != ParallelPhase.Done) {
      next.getPhases().putIfAbsent(phase.name(), new PhaseTime(at));
    }
    next.setPhase(phase);
    return next;
  }

  /** The children made so far with {@code names}, each of {@code role}, added. */
  static ParallelStatus withChildren(ParallelStatus current, String role, List<String> names) {
    ParallelStatus next = copy(current);
    names.forEach(name -> next.getChildren().putIfAbsent(name, role));
    return next;
  }

  static ParallelStatus withSegments(ParallelStatus current, int done, int total) {
    ParallelStatus next = copy(current);
    next.setSegmentsDone(done);
    next.setSegmentsTotal(total);
    return next;
  }

  /**
   * The whole run's progress in percent: the probe's share once it is done, the segments' share by
   * the frames they have encoded (each segment's progress times its frames) with the audio counted
   * as one more segment of the average size, then the join's share by its progress.
   *
   * @param segmentProgress each segment's progress, 0-100, in plan order
   * @param segmentFrames each segment's frames, in plan order
   * @param audioProgress the audio child's progress, or -1 when there is none
   */
  static int progress(
      boolean probed,
      List<Integer> segmentProgress,
      List<Long> segmentFrames,
      int audioProgress,
      int joinProgress) {
    if (!probed) {
      return 0;
    }
    double total = 0;
    double done = 0;
    for (int k = 0; k < segmentFrames.size(); k++) {
      total += segmentFrames.get(k);
      done += segmentFrames.get(k) * segmentProgress.get(k) / 100.0;
    }
    if (audioProgress >= 0 && !segmentFrames.isEmpty()) {
      double average = total / segmentFrames.size();
      total += average;
      done += average * audioProgress / 100.0;
    }
    double segments = total == 0 ? 0 : done / total;
    return (int) (PROBE_SHARE + SEGMENTS_SHARE * segments + JOIN_SHARE * joinProgress / 100.0);
  }

  private static ParallelStatus copy(ParallelStatus current) {
    ParallelStatus next = new ParallelStatus();
    if (current != null) {
      next.setPhase(current.getPhase());
      next.setSegmentsDone(current.getSegmentsDone());
      next.setSegmentsTotal(current.getSegmentsTotal());
      Map<String, PhaseTime> phases = new LinkedHashMap<>();
      current
          .getPhases()
          .forEach(
              (phase, time) -> {
                PhaseTime copied = new PhaseTime(time.getStartTime());
                copied.setEndTime(time.getEndTime());
                phases.put(phase, copied);
              });
      next.setPhases(phases);
      next.setChildren(new LinkedHashMap<>(current.getChildren()));
    }
    return next;
  }
}
