package io.ffmpegoperator.bench;

import java.util.Locale;

/** The bench's progress on stderr, each line with the seconds since the bench started. */
final class Log {
  private Log() {}

  static void line(String line) {
    System.err.printf(Locale.ROOT, "[bench %7.1f s] %s%n", Clock.nowMs() / 1000, line);
  }
}
