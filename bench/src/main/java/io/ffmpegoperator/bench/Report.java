package io.ffmpegoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The pieces of Markdown every section of the report is made of. */
final class Report {
  static final double MIB = 1024.0 * 1024.0;

  private Report() {}

  static String header() {
    return "| metric | median | min | max | N | target | met |\n|---|---:|---:|---:|---:|---|---|\n";
  }

  /**
   * One row of the table {@link #header()} starts.
   *
   * @param met null when the row has no target
   */
  static String row(String name, Stats s, String fmt, String target, Boolean met) {
    return String.format(
        Locale.ROOT,
        "| %s | " + fmt + " | " + fmt + " | " + fmt + " | %d | %s | %s |\n",
        name,
        s.median(),
        s.min(),
        s.max(),
        s.n(),
        target,
        met == null ? "" : yesOrNo(met));
  }

  static String yesOrNo(boolean met) {
    return met ? "yes" : "**no**";
  }

  static String metOrNot(boolean met) {
    return met ? "met" : "not met";
  }

  static String size(Path file) throws IOException {
    return bytes(Files.size(file));
  }

  static String bytes(long bytes) {
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
    }
    return bytes < 1_000_000_000
        ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }
}
