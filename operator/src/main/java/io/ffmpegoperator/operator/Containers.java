package io.ffmpegoperator.operator;

import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.storage.LibraryKeys;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Which containers, by file extension, hold which codecs (ffprobe's names): a trim or concat keeps
 * its source's container where that can hold the result, and falls back to Matroska, which holds
 * any codec, where it cannot. Only what is known to work is listed; anything else is Matroska.
 */
final class Containers {
  /** The container that holds whatever a source has. */
  static final String ANY = "mkv";

  /** What a container holds, and the ffprobe demuxer that reads it. */
  private record Holds(String demuxer, Set<String> video, Set<String> audio) {}

  // Extensions a task may write (the policy's output names); .wmv is not one, so ASF sources
  // become Matroska.
  private static final Map<String, Holds> HOLDS =
      Map.of(
          "mp4",
          new Holds(
              "mp4",
              Set.of("h264", "hevc", "mpeg4", "av1", "vp9", "mpeg1video", "mpeg2video", "mjpeg"),
              Set.of("aac", "mp3", "ac3", "eac3", "alac", "mp2")),
          "mov",
          new Holds(
              "mov",
              Set.of("h264", "hevc", "mpeg4", "mjpeg", "prores", "mpeg1video", "mpeg2video"),
              Set.of("aac", "mp3", "ac3", "alac", "pcm_s16le", "pcm_s24le")),
          "3gp",
          new Holds("3gp", Set.of("h263", "h264", "mpeg4"), Set.of("aac", "amr_nb", "amr_wb")),
          "webm",
          new Holds("webm", Set.of("vp8", "vp9", "av1"), Set.of("opus", "vorbis")),
          "avi",
          new Holds(
              "avi",
              Set.of("h264", "mpeg4", "msmpeg4v3", "mjpeg", "mpeg1video", "mpeg2video"),
              Set.of("mp3", "mp2", "ac3", "aac", "pcm_s16le")),
          "flv",
          new Holds("flv", Set.of("h264", "flv1"), Set.of("aac", "mp3")),
          "mpeg",
          new Holds("mpeg", Set.of("mpeg1video", "mpeg2video"), Set.of("mp2", "mp3", "ac3")));

  private Containers() {}

  /**
   * The extension (lower case, no dot) of a file made from {@code sourceKey} that holds these
   * codecs: the source's own when its content is what its name says (as far as ffprobe told) and
   * that container holds them, else {@link #ANY}.
   *
   * @param source what ffprobe found in the source; null when unknown, then the name is trusted
   * @param videoCodec the result's video codec; null when unknown, which only Matroska surely holds
   * @param audioCodec the result's audio codec; null when it has no audio
   */
  static String keepOrAny(
      String sourceKey, MediaInfo source, String videoCodec, String audioCodec) {
    String extension = LibraryKeys.extensionOf(sourceKey);
    Holds holds = HOLDS.get(extension);
    if (holds == null
        || videoCodec == null
        || !isContent(source, holds.demuxer())
        || !holds.video().contains(videoCodec)
        || (audioCodec != null && !holds.audio().contains(audioCodec))) {
      return ANY;
    }
    return extension;
  }

  // ffprobe names a family of demuxers ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"), so this tells
  // mp4 from avi, not mp4 from mov.
  private static boolean isContent(MediaInfo source, String demuxer) {
    if (source == null || source.getFormatName() == null) {
      return true;
    }
    return Arrays.asList(source.getFormatName().split(",")).contains(demuxer);
  }
}
