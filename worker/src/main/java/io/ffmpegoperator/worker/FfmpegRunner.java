package io.ffmpegoperator.worker;

import io.ffmpegoperator.media.StderrTail;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs ffmpeg once, with argv (never a shell), in the work directory: progress is read from its
 * stdout, stderr is drained into a bounded tail for the error summary.
 */
final class FfmpegRunner {
  /** Options the worker always puts before the order's arguments. */
  static final List<String> FIXED_OPTIONS =
      List.of(
          "-hide_banner",
          "-nostdin",
          "-y",
          "-loglevel",
          "error",
          "-progress",
          "pipe:1",
          "-nostats");

  private static final int MAX_LINE = 256;

  /**
   * How ffmpeg ended: its exit code, the tail of its stderr, and why the worker killed it (a cap it
   * passed) or null.
   */
  record Result(int exitCode, String stderr, String stoppedFor) {}

  private final Path ffmpeg;
  private final Path workDir;
  private final long maxCpuSeconds;
  private final long maxOutputBytes;

  /**
   * @param maxCpuSeconds most CPU time ffmpeg may use; 0 or less for no cap
   * @param maxOutputBytes most bytes the files under the work directory's {@code out/} may hold
   *     while it runs; 0 or less for no cap
   */
  FfmpegRunner(Path ffmpeg, Path workDir, long maxCpuSeconds, long maxOutputBytes) {
    this.ffmpeg = ffmpeg;
    this.workDir = workDir;
    this.maxCpuSeconds = maxCpuSeconds;
    this.maxOutputBytes = maxOutputBytes;
  }

  /** The full argv for {@code args}. */
  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ffmpeg.toString());
    command.addAll(FIXED_OPTIONS);
    command.addAll(args);
    return command;
  }

  /**
   * Runs ffmpeg to its end, telling {@code onProgress} each new percent (0-99, then 100 at the end)
   * against {@code durationSeconds} (0 when unknown).
   */
  Result run(List<String> args, double durationSeconds, IntConsumer onProgress)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command(args))
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    // If the pod is stopped, take ffmpeg down with us rather than leave it running unobserved.
    Thread killer = new Thread(process::destroyForcibly, "ffmpeg-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    ResourceWatch watch =
        ResourceWatch.start(
            process, workDir.resolve("out"), maxCpuSeconds, maxOutputBytes, ResourceWatch.INTERVAL);
    try {
      StderrTail stderr =
          StderrTail.start(process.getErrorStream(), StderrTail.DEFAULT_LIMIT, "ffmpeg-stderr");
      ProgressParser progress = new ProgressParser(durationSeconds);
      int last = -1;
      try (InputStream stdout = new BufferedInputStream(process.getInputStream())) {
        String line;
        while ((line = readLine(stdout)) != null) {
          progress.accept(line);
          if (progress.percent() != last) {
            last = progress.percent();
            onProgress.accept(last);
          }
        }
      }
      int exit = process.waitFor();
      String stoppedFor = watch.finish();
      return new Result(exit, stderr.awaitText(), stoppedFor);
    } finally {
      watch.close();
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
    }
  }

  /**
   * One line of at most {@link #MAX_LINE} characters (the rest is dropped), or null at the end: an
   * order that writes media to stdout must not make us buffer it.
   */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.length() < MAX_LINE) {
        line.append((char) b);
      }
    }
    return b < 0 && line.length() == 0 ? null : line.toString();
  }
}
