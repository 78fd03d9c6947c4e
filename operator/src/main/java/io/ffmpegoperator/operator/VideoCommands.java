package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.EncodeInfo;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TrimInfo;
import io.ffmpegoperator.crds.TrimMode;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.media.MediaInfo;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a VideoJob into the FfmpegTask that does it. Pure: the same job and videos always give the
 * same command and file name, so a reconcile that runs twice asks for the same thing.
 */
final class VideoCommands {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  // The encoder that writes each codec ffprobe may name, for re-encoding a trim like its source;
  // a codec missing here is re-encoded as H.264 or AAC.
  private static final Map<String, String> VIDEO_ENCODERS =
      Map.of(
          "h264", "libx264",
          "hevc", "libx265",
          "vp9", "libvpx-vp9",
          "vp8", "libvpx",
          "mpeg4", "mpeg4",
          "mpeg2video", "mpeg2video",
          "mpeg1video", "mpeg1video");
  private static final Map<String, String> AUDIO_ENCODERS =
      Map.of("aac", "aac", "mp3", "libmp3lame", "opus", "libopus", "mp2", "mp2", "ac3", "ac3");

  /** The task's spec and the name of the file it writes. */
  record Rendered(FfmpegTaskSpec spec, String outputFile) {}

  private VideoCommands() {}

  /**
   * @param videos the job's input videos, in the order of {@code spec.videoIds}
   */
  static Rendered render(VideoJob job, List<Video> videos, String bucket) {
    var spec = job.getSpec();
    String stamp = STAMP.format(Instant.parse(job.getMetadata().getCreationTimestamp()));
    String base =
        "video_"
            + spec.getOperation().name().toLowerCase(Locale.ROOT)
            + "_"
            + stamp
            + "_"
            + spec.getJobId();
    return switch (spec.getOperation()) {
      case Trim -> trim(spec.getTrim(), videos.get(0), bucket, base);
      case Concat -> concat(videos, bucket, base);
      case Encode -> encode(spec.getEncode(), videos.get(0), bucket, base);
    };
  }

  private static Rendered trim(TrimInfo trim, Video video, String bucket, String base) {
    String start = seconds(trim.getTrimStart());
    String length = seconds(trim.getTrimEnd() - trim.getTrimStart());
    MediaInfo media = video.getSpec().getMedia();
    String command;
    String videoCodec;
    String audioCodec;
    if (trim.getMode() == TrimMode.Fast) {
      command =
          "-ss "
              + start
              + " -i in_1 -t "
              + length
              + " -map 0 -c copy -avoid_negative_ts make_zero out_1";
      videoCodec = codec(media, true);
      audioCodec = codec(media, false);
    } else {
      // Seeking before -i and re-encoding starts exactly at the asked time.
      String sourceVideo = codec(media, true);
      boolean knownVideo = sourceVideo != null && VIDEO_ENCODERS.containsKey(sourceVideo);
      String videoEncoder = knownVideo ? VIDEO_ENCODERS.get(sourceVideo) : "libx264";
      videoCodec = knownVideo ? sourceVideo : "h264";
      String sourceAudio = codec(media, false);
      boolean knownAudio = sourceAudio != null && AUDIO_ENCODERS.containsKey(sourceAudio);
      String audioEncoder = knownAudio ? AUDIO_ENCODERS.get(sourceAudio) : "aac";
      // Without a probe, the source may have audio all the same.
      boolean noAudio = media != null && sourceAudio == null;
      audioCodec = noAudio ? null : knownAudio ? sourceAudio : "aac";
      command =
          "-ss "
              + start
              + " -i in_1 -t "
              + length
              + " -map 0:v:0 -map 0:a:0? -c:v "
              + videoEncoder
              + " -c:a "
              + audioEncoder
              + " out_1";
    }
    // The source's container, unless it cannot hold the result (a stream copy keeps the codecs).
    String file =
        base
            + "."
            + Containers.keepOrAny(video.getSpec().getFileKey(), media, videoCodec, audioCodec);
    return new Rendered(
        new FfmpegTaskSpec(command, Map.of("in_1", s3(bucket, video)), Map.of("out_1", file)),
        file);
  }

  private static Rendered concat(List<Video> videos, String bucket, String base) {
    Map<String, String> inputs = new LinkedHashMap<>();
    Map<Long, String> inputOfVideo = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>();
    for (Video video : videos) {
      String name =
          inputOfVideo.computeIfAbsent(
              video.getSpec().getId(), id -> "in_" + (inputOfVideo.size() + 1));
      inputs.putIfAbsent(name, s3(bucket, video));
      parts.add(name);
    }
    // A stream copy of parts that all have the first one's codecs.
    Video first = videos.get(0);
    MediaInfo media = first.getSpec().getMedia();
    String file =
        base
            + "."
            + Containers.keepOrAny(
                first.getSpec().getFileKey(), media, codec(media, true), codec(media, false));
    FfmpegTaskSpec spec =
        new FfmpegTaskSpec(
            "-f concat -i parts -map 0 -c copy out_1", inputs, Map.of("out_1", file));
    spec.setConcatLists(Map.of("parts", parts));
    return new Rendered(spec, file);
  }

  private static Rendered encode(EncodeInfo encode, Video video, String bucket, String base) {
    // Jobs queued before the bridge resolved encoders name the encoder in the codec field.
    String vc =
        encode.getVideoEncoder() != null ? encode.getVideoEncoder() : encode.getVideoCodec();
    String ac =
        encode.getAudioEncoder() != null ? encode.getAudioEncoder() : encode.getAudioCodec();
    StringBuilder command =
        new StringBuilder("-i in_1 -map 0:v:0 -map 0:a:0? -c:v ")
            .append(vc)
            .append(" -c:a ")
            .append(ac)
            .append(" -vf scale=")
            .append(encode.getResolution())
            .append(" -r ")
            .append(encode.getFrameRate());
    if (vc.equals("libx264") || vc.equals("libx265")) {
      // Players expect 4:2:0; x264 would otherwise keep a 4:4:4 source as is.
      command.append(" -pix_fmt yuv420p");
    }
    command.append(" out_1");
    String file = base + containerFor(vc, ac);
    return new Rendered(
        new FfmpegTaskSpec(
            command.toString(), Map.of("in_1", s3(bucket, video)), Map.of("out_1", file)),
        file);
  }

  private static String containerFor(String videoEncoder, String audioEncoder) {
    boolean mp4Video = List.of("libx264", "libx265", "mpeg4").contains(videoEncoder);
    boolean mp4Audio = List.of("aac", "libmp3lame").contains(audioEncoder);
    boolean webmVideo = videoEncoder.startsWith("libvpx");
    boolean webmAudio = List.of("libopus", "libvorbis").contains(audioEncoder);
    if (mp4Video && mp4Audio) {
      return ".mp4";
    }
    return webmVideo && webmAudio ? ".webm" : ".mkv";
  }

  /** The source's first video or audio codec as ffprobe named it; null when unknown or absent. */
  private static String codec(MediaInfo media, boolean video) {
    if (media == null) {
      return null;
    }
    return video ? media.getVideoCodec() : media.getAudioCodec();
  }

  private static String s3(String bucket, Video video) {
    return "s3://" + bucket + "/" + video.getSpec().getFileKey();
  }

  /** Milliseconds as the seconds ffmpeg takes, exactly: 5000 -> 5.000. */
  static String seconds(long millis) {
    return BigDecimal.valueOf(millis).movePointLeft(3).toPlainString();
  }
}
