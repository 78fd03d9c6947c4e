package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What ffprobe finds in a file by decoding it all ({@code -count_frames}): a check that an output
 * has every frame of its input, not only a header that says so.
 *
 * @param videoFrames the first video stream's frames, decoded and counted
 * @param audio whether there is an audio stream
 * @param seconds the container's duration
 */
record Media(long bytes, long videoFrames, boolean audio, double seconds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Decoding a long 1080p file takes a while on a shared machine. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  /** Probes {@code file}; ffprobe's answer goes to {@code <dir>/<file>.probe.json}. */
  static Media probe(Path ffprobe, Path file, Path dir) throws Exception {
    Path log = dir.resolve(file.getFileName() + ".probe.json");
    Command.Result result =
        BareFfmpeg.ffprobe(
            ffprobe,
            List.of(
                "-count_frames",
                "-show_entries",
                "stream=codec_type,nb_read_frames:format=duration",
                "-of",
                "json"),
            file,
            log,
            TIMEOUT);
    JsonNode probed = JSON.readTree(result.output());
    long frames = -1;
    boolean audio = false;
    for (JsonNode stream : probed.path("streams")) {
      String type = stream.path("codec_type").asText();
      if (type.equals("video") && frames < 0) {
        frames = stream.path("nb_read_frames").asLong(-1);
      }
      audio |= type.equals("audio");
    }
    return new Media(
        Files.size(file), frames, audio, probed.path("format").path("duration").asDouble());
  }
}
