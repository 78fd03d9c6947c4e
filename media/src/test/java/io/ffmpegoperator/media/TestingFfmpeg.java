package io.ffmpegoperator.media;

import io.ffmpegoperator.dev.ffmpeg.BundledFfmpeg;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Real ffmpeg and ffprobe for tests (installed, when both run, or else the bundled ones), plus tiny
 * test media.
 */
public final class TestingFfmpeg {
  private static final Path HOME = Path.of("target", "testing-ffmpeg").toAbsolutePath();
  private static FfmpegBinaries binaries;

  private TestingFfmpeg() {}

  /** Working ffmpeg and ffprobe executables. */
  public static synchronized FfmpegBinaries binaries() throws Exception {
    if (binaries == null) {
      binaries = load();
    }
    return binaries;
  }

  /** A small H.264 test pattern (160x120, 10 fps, yuv420p) of {@code seconds} seconds. */
  public static synchronized Path testVideo(int seconds) throws Exception {
    Path video = HOME.resolve("testsrc-" + seconds + "s.mp4");
    if (!Files.exists(video)) {
      Path partial = HOME.resolve("partial-" + video.getFileName());
      Files.createDirectories(HOME);
      TestClips.make(binaries().ffmpeg(), partial, seconds, 160, 120, 10, false);
      Files.move(partial, video, StandardCopyOption.ATOMIC_MOVE);
    }
    return video;
  }

  /**
   * A small H.264 test pattern made once per size, rate and length, with an AAC tone if {@code
   * withAudio}.
   */
  public static synchronized Path clip(
      double seconds, int width, int height, int fps, boolean withAudio) throws Exception {
    String name =
        "clip-" + seconds + "s-" + width + "x" + height + "-" + fps + (withAudio ? "-a" : "");
    Path clip = HOME.resolve(name + ".mp4");
    if (!Files.exists(clip)) {
      Path partial = HOME.resolve("partial-" + clip.getFileName());
      Files.createDirectories(HOME);
      TestClips.make(binaries().ffmpeg(), partial, seconds, width, height, fps, withAudio);
      Files.move(partial, clip, StandardCopyOption.ATOMIC_MOVE);
    }
    return clip;
  }

  /**
   * Runs {@link #binaries() ffmpeg} quietly with {@code args} and {@code output} last (replaced if
   * it exists), for media the other methods do not make; it must succeed.
   */
  public static Path make(Path output, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                binaries().ffmpeg().toString(), "-hide_banner", "-nostdin", "-y", "-v", "error"));
    command.addAll(List.of(args));
    command.add(output.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new AssertionError("ffmpeg failed: " + command + "\n" + log);
    }
    return output;
  }

  private static FfmpegBinaries load() throws Exception {
    FfmpegBinaries installed = FfmpegBinaries.fromEnv(System.getenv());
    if (installed.ffmpegInstalled() && installed.ffprobeInstalled()) {
      return installed;
    }
    BundledFfmpeg.Executables bundled = BundledFfmpeg.extract(BundledFfmpeg.defaultCache());
    return new FfmpegBinaries(bundled.ffmpeg(), bundled.ffprobe());
  }
}
