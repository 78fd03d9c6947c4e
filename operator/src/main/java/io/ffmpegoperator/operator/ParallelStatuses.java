package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.ParallelPhase;
import io.ffmpegoperator.crds.ParallelStatus;
import io.ffmpegoperator.crds.PhaseTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    for (PhaseTime time : next.getPhases()) {
      if (time.getEndTime() == null) {
        time.setEndTime(at);
      }
    }
    if (phase != ParallelPhase.Done) {
      next.getPhases().add(new PhaseTime(phase, at));
    }
    next.setPhase(phase);
    return next;
  }

  /** The children made so far, in the order made, with {@code names} added. */
  static ParallelStatus withChildren(ParallelStatus current, List<String> names) {
    ParallelStatus next = copy(current);
    for (String name : names) {
      if (!next.getChildren().contains(name)) {
        next.getChildren().add(name);
      }
    }
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
      List<PhaseTime> phases = new ArrayList<>();
      for (PhaseTime time : current.getPhases()) {
        PhaseTime copied = new PhaseTime(time.getPhase(), time.getStartTime());
        copied.setEndTime(time.getEndTime());
        phases.add(copied);
      }
      next.setPhases(phases);
      next.setChildren(new ArrayList<>(current.getChildren()));
    }
    return next;
  }
}
