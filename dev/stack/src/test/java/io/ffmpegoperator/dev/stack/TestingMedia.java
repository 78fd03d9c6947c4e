package io.ffmpegoperator.dev.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.worker.FfmpegBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes tiny clips with the real ffmpeg and probes results with the real ffprobe. */
final class TestingMedia {
  private final FfmpegBinaries ffmpeg;

  TestingMedia(FfmpegBinaries ffmpeg) {
    this.ffmpeg = ffmpeg;
  }

  /** A clip of test pattern and tone: H.264 + AAC in MP4. */
  Path clip(Path file, double seconds, int width, int height) throws Exception {
    return TestClips.make(ffmpeg.ffmpeg(), file, seconds, width, height, 10, true);
  }

  /** ffprobe's streams and format of a file, as JSON. */
  JsonNode probe(Path file) throws Exception {
    String json =
        run(
            ffmpeg.ffprobe().toString(),
            "-v",
            "error",
            "-show_streams",
            "-show_format",
            "-of",
            "json",
            file.toString());
    return new ObjectMapper().readTree(json);
  }

  private static String run(String... argv) throws Exception {
    Process p =
        new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(argv[0] + " failed: " + new String(out));
    }
    return new String(out);
  }
}
