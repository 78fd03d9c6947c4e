package io.ffmpegoperator.bench;

/**
 * The bench's time: milliseconds since it started, from {@link System#nanoTime()} so that steps of
 * a task can be told apart to the millisecond, and the same reading as epoch milliseconds, to
 * compare with the timestamps of a worker's log.
 */
final class Clock {
  private static final long START = System.nanoTime();
  private static final long START_EPOCH_MS = System.currentTimeMillis();

  private Clock() {}

  static double nowMs() {
    return (System.nanoTime() - START) / 1e6;
  }

  /** A {@link #nowMs()} reading as epoch milliseconds. */
  static double epochMs(double benchMs) {
    return START_EPOCH_MS + benchMs;
  }
}
