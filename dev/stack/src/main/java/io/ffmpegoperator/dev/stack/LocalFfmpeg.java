package io.ffmpegoperator.dev.stack;

import io.ffmpegoperator.worker.FfmpegBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.Loader;

/**
 * Finds ffmpeg and ffprobe for the embedded stack: from {@code PATH} (or {@code FFMPEG_PATH}) when
 * installed, otherwise the executables shipped in the {@code org.bytedeco:ffmpeg} jar, extracted
 * into JavaCPP's cache, so a machine with only a JDK and Maven needs nothing else.
 */
final class LocalFfmpeg {
  private LocalFfmpeg() {}

  static FfmpegBinaries find(Map<String, String> env) throws IOException {
    FfmpegBinaries installed = FfmpegBinaries.fromEnv(env);
    if (installed.ffmpegInstalled()) {
      return installed;
    }
    String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    String ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    if (ffmpeg == null || ffprobe == null) {
      throw new IOException("ffmpeg is not on PATH and the bundled one could not be extracted");
    }
    return new FfmpegBinaries(Path.of(ffmpeg), Path.of(ffprobe));
  }
}
