package io.ffmpegoperator.dev.ffmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes short test-pattern clips with a real ffmpeg (H.264 in yuv420p, which every player takes,
 * plus an AAC tone when asked): the sample clip of {@code make run} and the media of the tests.
 */
public final class TestClips {
  private TestClips() {}

  /**
   * Writes a clip; the container follows the file's extension.
   *
   * @param withAudio whether to add a 440 Hz AAC tone of the same length
   */
  public static Path make(
      Path ffmpeg, Path file, double seconds, int width, int height, int fps, boolean withAudio)
      throws IOException {
    return make(ffmpeg, file, seconds, width, height, fps, withAudio, 0);
  }

  /**
   * Writes a clip with a keyframe every {@code keyframeInterval} frames (0: x264's default of 250,
   * which leaves a short clip one keyframe), as a streaming source has one every second or two.
   *
   * @param withAudio whether to add a 440 Hz AAC tone of the same length
   */
  public static Path make(
      Path ffmpeg,
      Path file,
      double seconds,
      int width,
      int height,
      int fps,
      boolean withAudio,
      int keyframeInterval)
      throws IOException {
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
    argv.addAll(
        List.of(
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=" + seconds + ":size=" + width + "x" + height + ":rate=" + fps));
    if (withAudio) {
      argv.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds));
    }
    argv.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
    if (keyframeInterval > 0) {
      argv.addAll(List.of("-g", Integer.toString(keyframeInterval)));
    }
    if (withAudio) {
      argv.addAll(List.of("-c:a", "aac", "-shortest"));
    }
    argv.add(file.toString());
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("ffmpeg could not make " + file + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making " + file, e);
    }
    return file;
  }
}
