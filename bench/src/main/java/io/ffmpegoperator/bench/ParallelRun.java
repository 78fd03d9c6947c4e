package io.ffmpegoperator.bench;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One task of item 10 as the bench saw it ({@link ParallelRunner}): the transcode registered as an
 * ordinary task or with {@code parallel: {segments: N}}, with the times of the task and of each of
 * its children, what each pod's log says of its own time, and the output; and the times derived
 * from them, measured steps and the N-node model.
 *
 * @param startMs when register was sent ({@link Clock#nowMs()})
 * @param finishedMs when the watch saw the task itself finished
 * @param completedMs when the REST API first answered completed
 * @param task the task itself when it ran as one pod; null for a parallel task, which has none
 * @param children a parallel task's children in the order they run: probe, segments, audio, join
 * @param outputBytes the size of the output the link gave
 * @param outputSeconds the output's duration as ffprobe reads it
 */
record ParallelRun(
    int segments,
    double startMs,
    double finishedMs,
    double completedMs,
    Child task,
    List<Child> children,
    long outputBytes,
    double outputSeconds) {

  /** What a child does for its parent. */
  enum Role {
    PROBE,
    SEGMENT,
    AUDIO,
    JOIN
  }

  /**
   * A task that had a pod: the parallel task's child, or the ordinary task itself.
   *
   * @param createdMs when the watch first saw it
   * @param jobMs when the watch first saw its status name a Job: its own, made then, or a warm
   *     worker's it claimed
   * @param finishedMs when the watch first saw it finished
   * @param warm whether it claimed a warm worker's Job
   * @param frames a segment's video frames, as its command gives them; 0 for another child
   * @param log what its pod's log says
   */
  record Child(
      String name,
      Role role,
      double createdMs,
      double jobMs,
      double finishedMs,
      boolean warm,
      long frames,
      WorkerLog log) {
    /** Its name without its parent's: {@code probe}, {@code seg-3}, {@code audio}, {@code join}. */
    String shortName() {
      int at = role == Role.SEGMENT ? name.lastIndexOf("-seg-") : name.lastIndexOf('-');
      return name.substring(at + 1);
    }

    /** Its own time: Job → finished, without any wait for a slot before it. */
    double ownMs() {
      return finishedMs - jobMs;
    }

    /** Job → the worker begins its steps: a pod and worker JVM starting, or a warm pod's claim. */
    double startMs() {
      return log.runStart() - Clock.epochMs(jobMs);
    }

    /** Its own time that is none of start, fetch, ffmpeg and upload. */
    double otherMs() {
      return ownMs() - startMs() - log.fetchMs() - log.ffmpegMs() - log.storeMs();
    }

    /** Fetch, ffmpeg and upload: the parts that grow with the input's length. */
    double lengthBoundMs() {
      return log.fetchMs() + log.ffmpegMs() + log.storeMs();
    }
  }

  /** Register sent → the REST API answered completed. */
  double wallMs() {
    return completedMs - startMs;
  }

  Child probe() {
    return only(Role.PROBE);
  }

  Child join() {
    return only(Role.JOIN);
  }

  /** The audio child, or null when the input had no audio. */
  Child audio() {
    return children.stream().filter(c -> c.role() == Role.AUDIO).findFirst().orElse(null);
  }

  List<Child> segmentChildren() {
    return children.stream().filter(c -> c.role() == Role.SEGMENT).toList();
  }

  /** The segments and the audio: the children that run side by side. */
  List<Child> sideBySide() {
    return children.stream()
        .filter(c -> c.role() == Role.SEGMENT || c.role() == Role.AUDIO)
        .toList();
  }

  /** The side-by-side child whose own time is longest: the one an N-node run waits for. */
  Child slowest() {
    return sideBySide().stream().max(Comparator.comparingDouble(Child::ownMs)).orElseThrow();
  }

  /** The sum of {@code what} over the segments. */
  double segmentSum(ToDoubleFunction<Child> what) {
    return segmentChildren().stream().mapToDouble(what).sum();
  }

  /** Fetched and stored bytes of all its pods, as their logs give them. */
  long fetchedBytes() {
    return pods().stream().mapToLong(c -> c.log().fetchedBytes()).sum();
  }

  long storedBytes() {
    return pods().stream().mapToLong(c -> c.log().storedBytes()).sum();
  }

  private List<Child> pods() {
    return task != null ? List.of(task) : children;
  }

  // The chain of a parallel run, each step from the end of the one before: they add up to the
  // wall time.

  double registerToProbeMs() {
    return probe().createdMs() - startMs;
  }

  double probeMs() {
    return probe().finishedMs() - probe().createdMs();
  }

  double probeToSegmentsMs() {
    return firstCreated(sideBySide()) - probe().finishedMs();
  }

  /** The first segment or audio child created → the last finished. */
  double sideBySideMs() {
    return lastFinished(sideBySide()) - firstCreated(sideBySide());
  }

  double segmentsToJoinMs() {
    return join().createdMs() - lastFinished(sideBySide());
  }

  double joinMs() {
    return join().finishedMs() - join().createdMs();
  }

  /** Join finished → the task seen finished: the copy of the join's output to the task's key. */
  double storeMs() {
    return finishedMs - join().finishedMs();
  }

  double finishedToCompletedMs() {
    return completedMs - finishedMs;
  }

  /** The segments alone: first created → last finished. */
  double segmentsMs() {
    return lastFinished(segmentChildren()) - firstCreated(segmentChildren());
  }

  // The N-node model of a run whose children ran one at a time, each alone on the machine.

  /** Register → probe finished: nothing else ran. */
  double modelProbeMs() {
    return probe().finishedMs() - startMs;
  }

  /** Probe finished → the first segment or audio child had a Job: it waited for no slot. */
  double modelHandOffMs() {
    return sideBySide().stream().mapToDouble(Child::jobMs).min().orElseThrow()
        - probe().finishedMs();
  }

  /** Last side-by-side child finished → join finished: nothing else ran. */
  double modelJoinMs() {
    return join().finishedMs() - lastFinished(sideBySide());
  }

  /** Join finished → the REST API answered completed. */
  double modelStoreMs() {
    return completedMs - join().finishedMs();
  }

  /** Register → completed had each side-by-side child had a node of its own. */
  double modelMs() {
    return modelProbeMs() + modelHandOffMs() + slowest().ownMs() + modelJoinMs() + modelStoreMs();
  }

  /**
   * The part of {@link #modelMs()} that grows with the input's length: the fetch, ffmpeg and upload
   * of the probe, the slowest child and the join, and the store phase (a copy of the output).
   */
  double modelLengthBoundMs() {
    return probe().lengthBoundMs()
        + slowest().lengthBoundMs()
        + join().lengthBoundMs()
        + modelStoreMs();
  }

  private Child only(Role role) {
    return children.stream().filter(c -> c.role() == role).findFirst().orElseThrow();
  }

  private static double firstCreated(List<Child> children) {
    return children.stream().mapToDouble(Child::createdMs).min().orElseThrow();
  }

  private static double lastFinished(List<Child> children) {
    return children.stream().mapToDouble(Child::finishedMs).max().orElseThrow();
  }
}
