package io.ffmpegoperator.dev.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.Ffprobe;
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

  /** A clip at a given frame rate, e.g. to differ from others only in that. */
  Path clip(Path file, double seconds, int width, int height, int fps) throws Exception {
    return TestClips.make(ffmpeg.ffmpeg(), file, seconds, width, height, fps, true);
  }

  /** A clip of test pattern and tone: VP9 + Opus in WebM. */
  Path webmClip(Path file, double seconds, int width, int height) throws Exception {
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
        "libvpx-vp9",
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
        "-c:a",
        "libopus",
        "-shortest",
        file.toString());
    return file;
  }

  /**
   * MD5 of each H.264 video packet, as stored (no decoding): equal lists mean the same compressed
   * frames, which only a stream copy preserves. Packets are hashed in Annex B form because a joined
   * file carries each part's parameter sets in-band at its first keyframe, where the part kept them
   * in the container header; the filter adds them to every keyframe that lacks them, so both sides
   * compare the same bytes.
   */
  List<String> videoPacketHashes(Path file) throws Exception {
    String out =
        run(
            ffmpeg.ffmpeg().toString(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-i",
            file.toString(),
            "-map",
            "0:v:0",
            "-c",
            "copy",
            "-bsf:v",
            "h264_mp4toannexb",
            "-f",
            "framemd5",
            "-");
    List<String> hashes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] fields = line.split(",");
        hashes.add(fields[fields.length - 1].trim());
      }
    }
    return hashes;
  }

  /** ffprobe's streams and format of a file, as JSON. */
  JsonNode probe(Path file) throws Exception {
    return new Ffprobe(ffmpeg).streamsAndFormat(file);
  }

  static String run(String... argv) throws Exception {
    Process p =
        new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(argv[0] + " failed: " + new String(out));
    }
    return new String(out);
  }
}
