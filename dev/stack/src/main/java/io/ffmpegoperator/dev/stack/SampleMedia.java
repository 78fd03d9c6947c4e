package io.ffmpegoperator.dev.stack;

import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.worker.FfmpegBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real clip stored in the stack's own bucket, so the README's first task works offline: 5 s of
 * 640x360 test pattern with a tone, H.264 and AAC.
 */
final class SampleMedia {
  static final String KEY = "samples/sample.mp4";

  private SampleMedia() {}

  /** Stores the sample unless it is already there. */
  static void ensure(S3Storage storage, FfmpegBinaries ffmpeg, Path scratch)
      throws IOException, InterruptedException {
    if (storage.size(KEY).isPresent()) {
      return;
    }
    Files.createDirectories(scratch);
    Path clip = scratch.resolve("sample.mp4");
    Process process =
        new ProcessBuilder(
                List.of(
                    ffmpeg.ffmpeg().toString(),
                    "-hide_banner",
                    "-nostdin",
                    "-y",
                    "-loglevel",
                    "error",
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc=duration=5:size=640x360:rate=25",
                    "-f",
                    "lavfi",
                    "-i",
                    "sine=frequency=440:duration=5",
                    "-c:v",
                    "libx264",
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    "aac",
                    "-shortest",
                    clip.toString()))
            .redirectErrorStream(true)
            .redirectOutput(scratch.resolve("sample.log").toFile())
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("could not make the sample clip; see " + scratch.resolve("sample.log"));
    }
    storage.put(KEY, clip);
    Files.delete(clip);
  }
}
