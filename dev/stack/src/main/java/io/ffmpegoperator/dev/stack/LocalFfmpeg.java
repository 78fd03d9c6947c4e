package io.ffmpegoperator.dev.stack;

import io.ffmpegoperator.dev.ffmpeg.BundledFfmpeg;
import io.ffmpegoperator.media.FfmpegBinaries;
import java.io.IOException;
import java.util.Map;

/**
 * Finds ffmpeg and ffprobe for the embedded stack: from {@code PATH} (or {@code FFMPEG_PATH}) when
 * installed, otherwise the ones bundled in the {@code org.bytedeco:ffmpeg} jar, so a machine with
 * only a JDK and Maven needs nothing else.
 */
public final class LocalFfmpeg {
  private LocalFfmpeg() {}

  public static FfmpegBinaries find(Map<String, String> env) throws IOException {
    FfmpegBinaries installed = FfmpegBinaries.fromEnv(env);
    if (installed.ffmpegInstalled()) {
      return installed;
    }
    BundledFfmpeg.Executables bundled = BundledFfmpeg.extract(BundledFfmpeg.defaultCache());
    return new FfmpegBinaries(bundled.ffmpeg(), bundled.ffprobe());
  }
}
