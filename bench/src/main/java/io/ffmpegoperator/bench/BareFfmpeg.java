package io.ffmpegoperator.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ffmpeg (and ffprobe) run directly on local files: the reference the platform is measured against.
 */
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

  /**
   * {@code ffmpeg -i <clip> <args> <dir>/bare-<i>.mp4}, its output kept in {@code
   * <dir>/bare-<i>.log}; returns its wall time in ms.
   *
   * @param args the task's arguments between input and output, separated by spaces
   */
  static double transcode(Path ffmpeg, Path clip, String args, Path dir, int i)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("-i", clip.toString()));
    argv.addAll(List.of(args.split(" ")));
    argv.add(dir.resolve("bare-" + i + ".mp4").toString());
    return run(ffmpeg, argv, dir.resolve("bare-" + i + ".log"), Duration.ofMinutes(5));
  }

  /**
   * ffprobe on a local file as the worker's input check runs it, its output kept in {@code log};
   * returns its wall time in ms.
   */
  static double probe(Path ffprobe, Path clip, Path log) throws IOException, InterruptedException {
    return ffprobe(
            ffprobe,
            List.of("-show_streams", "-show_format", "-of", "json"),
            clip,
            log,
            Duration.ofMinutes(1))
        .ms();
  }

  /**
   * {@code ffprobe -v error <args> file:<file>} to its end, its output kept in {@code log}.
   *
   * @throws IOException when ffprobe fails or runs longer than {@code timeout}
   */
  static Command.Result ffprobe(
      Path ffprobe, List<String> args, Path file, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(ffprobe.toString(), "-v", "error"));
    argv.addAll(args);
    argv.add("file:" + file);
    Command.Result result = Command.run(argv, log, timeout);
    if (!result.ok()) {
      throw new IOException("bare ffprobe failed (exit " + result.exitCode() + "), see " + log);
    }
    return result;
  }
}
