package io.ffmpegoperator.worker;

/**
 * Reads ffmpeg's {@code -progress} key=value lines and turns the output time into a percent of the
 * expected duration, held below 100 until ffmpeg says {@code progress=end}.
 */
final class ProgressParser {
  private final long durationMicros;
  private int percent;
  private boolean ended;

  /** {@code durationSeconds} of 0 or less (unknown) keeps the percent at 0 until the end. */
  ProgressParser(double durationSeconds) {
    this.durationMicros = durationSeconds > 0 ? (long) (durationSeconds * 1_000_000) : 0;
  }

  /** Takes one line of ffmpeg's progress output; other lines are ignored. */
  void accept(String line) {
    int eq = line.indexOf('=');
    if (eq < 0) {
      return;
    }
    String key = line.substring(0, eq).strip();
    String value = line.substring(eq + 1).strip();
    switch (key) {
      // out_time_ms is in microseconds too (a long-standing ffmpeg quirk).
      case "out_time_us", "out_time_ms" -> update(value);
      case "progress" -> ended |= value.equals("end");
      default -> {}
    }
  }

  /** Percent done: 0-99 while running, 100 once ffmpeg has reported the end. */
  int percent() {
    return ended ? 100 : percent;
  }

  boolean ended() {
    return ended;
  }

  private void update(String value) {
    if (durationMicros == 0) {
      return;
    }
    long micros;
    try {
      micros = Long.parseLong(value);
    } catch (NumberFormatException e) {
      return; // "N/A" before the first frame
    }
    long p = micros * 100 / durationMicros;
    percent = (int) Math.max(0, Math.min(99, p));
  }
}
