package io.ffmpegoperator.media;

import io.ffmpegoperator.dev.ffmpeg.BundledFfmpeg;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Real ffmpeg and ffprobe for tests (installed, or the bundled ones), plus tiny test media. */
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

  private static FfmpegBinaries load() throws Exception {
    FfmpegBinaries installed = FfmpegBinaries.fromEnv(System.getenv());
    if (installed.ffmpegInstalled()) {
      return installed;
    }
    BundledFfmpeg.Executables bundled = BundledFfmpeg.extract(BundledFfmpeg.defaultCache());
    return new FfmpegBinaries(bundled.ffmpeg(), bundled.ffprobe());
  }
}
