package io.ffmpegoperator.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs ffprobe on a local file and returns what it found, as JSON or as a duration. */
public final class Ffprobe {
  /** Default limit on one ffprobe run. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  // ffprobe's JSON for a normal file is a few KB; a hostile one cannot make us hold more.
  private static final int MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path executable;
  private final Duration timeout;

  /** Uses the ffprobe of {@code binaries} with {@link #DEFAULT_TIMEOUT}. */
  public Ffprobe(FfmpegBinaries binaries) {
    this(binaries.ffprobe(), DEFAULT_TIMEOUT);
  }

  public Ffprobe(Path executable, Duration timeout) {
    this.executable = executable;
    this.timeout = timeout;
  }

  /** The container's duration in seconds; fails when ffprobe fails or reports none. */
  public double durationSeconds(Path file) throws IOException {
    JsonNode duration =
        run(file, List.of("-show_entries", "format=duration")).path("format").path("duration");
    try {
      double seconds = Double.parseDouble(duration.asText());
      if (seconds >= 0 && Double.isFinite(seconds)) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // falls through: "N/A" or absent, e.g. for a still image
    }
    throw new IOException("ffprobe found no duration");
  }

  /**
   * ffprobe's {@code -show_streams -show_format} JSON: {@code {"streams": [...], "format": {}}}.
   */
  public JsonNode streamsAndFormat(Path file) throws IOException {
    return run(file, List.of("-show_streams", "-show_format"));
  }

  /**
   * Like {@link #streamsAndFormat(Path)}, but ffprobe may open the file only with one of {@code
   * formats} (demuxer names, e.g. {@code mov} or {@code matroska}): anything else, such as a
   * playlist, fails as {@link UnreadableFileException} without that demuxer ever running (so a
   * playlist's entries are never opened).
   */
  public JsonNode streamsAndFormat(Path file, Collection<String> formats) throws IOException {
    return run(
        file,
        List.of(
            "-format_whitelist",
            String.join(",", new TreeSet<>(formats)),
            "-show_streams",
            "-show_format"));
  }

  /** ffprobe could not read a file: it failed on it, timed out, or said too much about it. */
  public static final class UnreadableFileException extends IOException {
    UnreadableFileException(String message) {
      super(message);
    }
  }

  private JsonNode run(Path file, List<String> options) throws IOException {
    List<String> command = new ArrayList<>(List.of(executable.toString(), "-v", "error"));
    command.addAll(options);
    // Only local files may be opened: a probed file (a playlist, a concat list) must not make
    // ffprobe fetch URLs, whatever ffmpeg version is installed.
    command.addAll(List.of("-protocol_whitelist", "file", "-of", "json"));
    command.add("file:" + file.toAbsolutePath().normalize());
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<Void> watchdog =
        CompletableFuture.runAsync(
            () -> {
              timedOut.set(true);
              process.destroyForcibly();
            },
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
    try {
      StderrTail stderr = StderrTail.start(process.getErrorStream(), 2048, "ffprobe-stderr");
      byte[] out;
      try (InputStream stdout = process.getInputStream()) {
        out = stdout.readNBytes(MAX_OUTPUT_BYTES + 1);
      }
      if (out.length > MAX_OUTPUT_BYTES) {
        process.destroyForcibly();
        throw new UnreadableFileException("ffprobe output too large");
      }
      int exit = process.waitFor();
      String errors = stderr.awaitText();
      if (timedOut.get()) {
        throw new UnreadableFileException("ffprobe timed out after " + timeout.toSeconds() + " s");
      }
      if (exit != 0) {
        String cause = FfmpegErrorSummary.cause(errors, file.toAbsolutePath().getParent());
        throw new UnreadableFileException(
            "ffprobe failed (exit " + exit + ")" + (cause.isEmpty() ? "" : ": " + cause));
      }
      return JSON.readTree(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while probing", e);
    } finally {
      watchdog.cancel(false);
    }
  }
}
