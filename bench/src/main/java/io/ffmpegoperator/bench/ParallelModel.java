package io.ffmpegoperator.bench;

import java.util.List;

/**
 * The N-node model of item 10 and its extrapolation to longer inputs. At the clip's own length the
 * time on N nodes is {@link ParallelRun#modelMs()}, from children that each ran alone. At another
 * length L each time is taken as a fixed part plus a part that grows with L: T(L) = F + P · L / L0,
 * where L0 is the clip's length, P the measured parts that move or encode the media (for one pod
 * its fetch, ffmpeg and upload; for N nodes {@link ParallelRun#modelLengthBoundMs()}) and F the
 * rest of the measured time (pod starts, hand-offs, status writes).
 *
 * @param single the ordinary task alone on the second stack: the one-pod time the speed-up is
 *     against
 * @param runs the parallel task run child by child, one per segment count
 * @param clipSeconds L0
 */
record ParallelModel(ParallelRun single, List<ParallelRun> runs, int clipSeconds) {
  double singleMs() {
    return single.wallMs();
  }

  double speedUp(ParallelRun run) {
    return singleMs() / run.modelMs();
  }

  double efficiency(ParallelRun run) {
    return speedUp(run) / run.segments();
  }

  /** One pod's register → completed for an input of {@code seconds}, modelled. */
  double singleMs(double seconds) {
    double grows = single.task().lengthBoundMs();
    return singleMs() - grows + grows * seconds / clipSeconds;
  }

  /** Register → completed on N nodes for an input of {@code seconds}, modelled. */
  double modelMs(ParallelRun run, double seconds) {
    double grows = run.modelLengthBoundMs();
    return run.modelMs() - grows + grows * seconds / clipSeconds;
  }

  double speedUp(ParallelRun run, double seconds) {
    return singleMs(seconds) / modelMs(run, seconds);
  }

  double efficiency(ParallelRun run, double seconds) {
    return speedUp(run, seconds) / run.segments();
  }

  /** The speed-up T(L) tends to as the input grows, when only the growing parts count. */
  double longInputSpeedUp(ParallelRun run) {
    return single.task().lengthBoundMs() / run.modelLengthBoundMs();
  }

  /**
   * The slowest side-by-side child's ffmpeg against an even share of one pod's (one pod's ffmpeg /
   * N): 1 when the encode splits evenly and runs as fast per frame as in one pod.
   */
  double evenShareFactor(ParallelRun run) {
    return run.slowest().log().ffmpegMs() / (single.task().log().ffmpegMs() / run.segments());
  }

  /** The run with {@code segments} segments, or the one with the most. */
  ParallelRun run(int segments) {
    return runs.stream()
        .filter(r -> r.segments() == segments)
        .findFirst()
        .orElse(runs.get(runs.size() - 1));
  }
}
