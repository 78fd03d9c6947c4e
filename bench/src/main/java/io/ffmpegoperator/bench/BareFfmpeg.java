package io.ffmpegoperator.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** ffmpeg run directly on local files: the reference the platform is measured against. */
final class BareFfmpeg {
  /** What every bare run starts with: quiet, never asking, overwriting its output. */
  private static final List<String> QUIET =
      List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats");

  private BareFfmpeg() {}

  /**
   * Runs {@code ffmpeg <QUIET> <args>} to its end; returns its wall time in ms.
   *
   * @param log where ffmpeg's output goes
   * @throws IOException when ffmpeg fails or runs longer than {@code timeout}
   */
  static double run(Path ffmpeg, List<String> args, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(ffmpeg.toString());
    argv.addAll(QUIET);
    argv.addAll(args);
    Command.Result result = Command.run(argv, log, timeout);
    if (!result.ok()) {
      throw new IOException("bare ffmpeg failed (exit " + result.exitCode() + "), see " + log);
    }
    return result.ms();
  }
}
