package io.ffmpegoperator.media;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns ffmpeg's exit code and stderr into one short line fit for a task's status: the cause, not
 * ffmpeg's generic trailers, with no local paths, no link signatures and no control characters.
 */
public final class FfmpegErrorSummary {
  /** Longest line kept, in characters. */
  public static final int MAX_LENGTH = 200;

  // ffmpeg prints the cause first and then these follow-ups; they say that it failed, not why.
  private static final List<Pattern> GENERIC =
      List.of(
          Pattern.compile("^Conversion failed!?$"),
          Pattern.compile("^Error opening (input|output) files?\\b.*"),
          Pattern.compile("^Error splitting the argument list.*"),
          Pattern.compile("^Error parsing (global )?options.*"),
          Pattern.compile("^Error parsing (a filter description|filterchain).*"),
          Pattern.compile(
              "^Error (while )?(initializing|opening) (the )?(filters|encoder|decoder|output stream).*"),
          Pattern.compile("^Error selecting an encoder.*"),
          Pattern.compile("^Error sending frames to consumers.*"),
          Pattern.compile("^Failed to set value .* for option .*"),
          Pattern.compile("^Task finished with error code.*"),
          Pattern.compile("^Terminating thread with return code.*"),
          Pattern.compile("^Nothing was written into output file.*"),
          Pattern.compile("^Could not open encoder before EOF.*"),
          Pattern.compile("^To ignore this, add a trailing.*"));

  // "[vost#0:0/libx264 @ 0x55d1c0ffee00] " names ffmpeg internals, not anything the user wrote.
  private static final Pattern CONTEXT = Pattern.compile("^(\\[[^\\]]*\\]\\s*)+");
  private static final Pattern QUERY = Pattern.compile("\\?[^\\s'\"]*=[^\\s'\"]*");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private FfmpegErrorSummary() {}

  /** {@code ffmpeg failed (exit N): <cause>}, or without the cause when stderr has none. */
  public static String summarize(int exitCode, String stderr, Path workDir) {
    String cause = cause(stderr, workDir);
    String prefix = "ffmpeg failed (exit " + exitCode + ")";
    return cause.isEmpty() ? prefix : prefix + ": " + cause;
  }

  /** The most telling cleaned line of {@code stderr}, or "" when there is none. */
  static String cause(String stderr, Path workDir) {
    if (stderr == null || stderr.isBlank()) {
      return "";
    }
    String[] lines = stderr.split("\\R");
    String fallback = "";
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = clean(lines[i], workDir);
      if (line.isEmpty()) {
        continue;
      }
      if (fallback.isEmpty()) {
        fallback = line;
      }
      if (!isGeneric(line)) {
        return line;
      }
    }
    return fallback;
  }

  private static boolean isGeneric(String line) {
    return GENERIC.stream().anyMatch(p -> p.matcher(line).matches());
  }

  private static String clean(String raw, Path workDir) {
    String line = CONTROL.matcher(raw.replace('\t', ' ')).replaceAll("");
    if (workDir != null) {
      String dir = workDir.toAbsolutePath().normalize().toString();
      if (dir.length() > 1) {
        line = line.replace(dir + "/", "").replace(dir, ".");
      }
    }
    // A query string is where pre-signed links keep their signatures.
    line = QUERY.matcher(line).replaceAll("");
    line = CONTEXT.matcher(line.strip()).replaceFirst("").strip();
    if (line.length() > MAX_LENGTH) {
      line = line.substring(0, MAX_LENGTH - 3) + "...";
    }
    return line;
  }
}
