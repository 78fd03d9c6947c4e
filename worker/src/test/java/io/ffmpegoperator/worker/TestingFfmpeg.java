package io.ffmpegoperator.worker;

import io.ffmpegoperator.dev.ffmpeg.BundledFfmpeg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real ffmpeg and ffprobe for tests (installed, or the bundled ones), plus tiny test media. */
final class TestingFfmpeg {
  private static final Path HOME = Path.of("target", "testing-ffmpeg").toAbsolutePath();
  private static FfmpegBinaries binaries;

  private TestingFfmpeg() {}

  /** Working ffmpeg and ffprobe executables. */
  static synchronized FfmpegBinaries binaries() throws Exception {
    if (binaries == null) {
      binaries = load();
    }
    return binaries;
  }

  /** A small H.264 test pattern (160x120, 10 fps, yuv420p) of {@code seconds} seconds. */
  static synchronized Path testVideo(int seconds) throws Exception {
    Path video = HOME.resolve("testsrc-" + seconds + "s.mp4");
    if (!Files.exists(video)) {
      Path partial = HOME.resolve("partial-" + video.getFileName());
      run(
          List.of(
              binaries().ffmpeg().toString(),
              "-hide_banner",
              "-nostdin",
              "-y",
              "-loglevel",
              "error",
              "-f",
              "lavfi",
              "-i",
              "testsrc=duration=" + seconds + ":size=160x120:rate=10",
              "-pix_fmt",
              "yuv420p",
              "-c:v",
              "libx264",
              "-preset",
              "ultrafast",
              partial.toString()));
      Files.move(partial, video, StandardCopyOption.ATOMIC_MOVE);
    }
    return video;
  }

  private static FfmpegBinaries load() throws Exception {
    FfmpegBinaries installed = FfmpegBinaries.fromEnv(System.getenv());
    if (installed.ffmpegInstalled()) {
      return installed;
    }
    BundledFfmpeg.Executables bundled = BundledFfmpeg.extract(BundledFfmpeg.defaultCache());
    return new FfmpegBinaries(bundled.ffmpeg(), bundled.ffprobe());
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command.get(0) + " failed: " + output);
    }
  }
}
