package io.ffmpegoperator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which media files the platform opens, decided on what ffprobe found in them (never on the file
 * name): a container from an allow-list, and caps on streams, frame size and duration. Playlists
 * (HLS, ffconcat), raw data and device or filter "formats" are not media and are refused; they
 * would make ffmpeg open other files or URLs.
 *
 * @param maxStreams most streams a file may hold
 * @param maxDimension largest width or height of a video stream, in pixels
 * @param maxPixels largest width × height of a video stream
 * @param maxDurationSeconds longest duration a file may declare
 */
public record MediaPolicy(
    int maxStreams, int maxDimension, long maxPixels, long maxDurationSeconds) {

  /**
   * Demuxers a task input may be read with, in ffprobe's names. The first one of a probed file's
   * {@code format_name} that is listed here is what the worker forces with {@code -f}.
   */
  public static final List<String> TASK_INPUT_FORMATS =
      List.of(
          "mov",
          "matroska",
          "avi",
          "flv",
          "asf",
          "mpeg",
          "mpegts",
          "mpegvideo",
          "mp3",
          "aac",
          "wav",
          "flac",
          "ogg",
          "aiff",
          "gif",
          "png_pipe",
          "jpeg_pipe",
          "webp_pipe",
          "bmp_pipe",
          "image2",
          "srt",
          "ass",
          "webvtt");

  /** 8K UHD frames, 16 streams, 12 hours. */
  public static MediaPolicy defaults() {
    return new MediaPolicy(16, 8192, 8192L * 4320, 12 * 3600);
  }

  /**
   * The demuxer to open a probed file with: the first of its {@code format_name} that {@code
   * allowed} lists.
   */
  public static Optional<String> demuxer(JsonNode probe, List<String> allowed) {
    String names = probe.path("format").path("format_name").asText("");
    return Arrays.stream(names.split(",")).filter(allowed::contains).findFirst();
  }

  /**
   * Why a probed file may not be used, or null when it may.
   *
   * @param probe ffprobe's {@code -show_streams -show_format -of json} answer
   * @param allowed the demuxers this use allows
   */
  public String refusal(JsonNode probe, List<String> allowed) {
    if (demuxer(probe, allowed).isEmpty()) {
      String names = probe.path("format").path("format_name").asText("");
      return "unsupported format" + (names.isEmpty() ? "" : " (" + names + ")");
    }
    JsonNode streams = probe.path("streams");
    if (streams.size() == 0) {
      return "unsupported format (no streams)";
    }
    if (streams.size() > maxStreams) {
      return "it has " + streams.size() + " streams; at most " + maxStreams + " are allowed";
    }
    for (JsonNode stream : streams) {
      long width = stream.path("width").asLong(0);
      long height = stream.path("height").asLong(0);
      if (width > maxDimension || height > maxDimension || width * height > maxPixels) {
        return "its "
            + width
            + "x"
            + height
            + " frames exceed the limit of "
            + maxDimension
            + " pixels a side and "
            + maxPixels
            + " pixels a frame";
      }
    }
    double duration = probe.path("format").path("duration").asDouble(0);
    if (duration > maxDurationSeconds) {
      return "it lasts "
          + Math.round(duration)
          + " s; at most "
          + maxDurationSeconds
          + " s are allowed";
    }
    return null;
  }

  /** The formats of {@code allowed}, for a {@code -format_whitelist} option. */
  public static String whitelist(List<String> allowed) {
    return String.join(",", Set.copyOf(allowed).stream().sorted().toList());
  }
}
