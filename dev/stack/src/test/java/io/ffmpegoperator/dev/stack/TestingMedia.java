package io.ffmpegoperator.dev.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    run(
        ffmpeg.ffmpeg().toString(),
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=" + seconds + ":size=" + width + "x" + height + ":rate=10",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=" + seconds,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        file.toString());
    return file;
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
