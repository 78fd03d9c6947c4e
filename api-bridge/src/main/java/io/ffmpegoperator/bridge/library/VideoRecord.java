package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.ffmpegoperator.crds.ConcatInfo;
import io.ffmpegoperator.crds.EncodeInfo;
import io.ffmpegoperator.crds.TrimInfo;
import io.ffmpegoperator.crds.TrimMode;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoOrigin;
import io.ffmpegoperator.crds.VideoSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;

/** A library video as the video API shows it; every key is always present, null if not apt. */
@JsonPropertyOrder({
  "id",
  "original_file_path",
  "processed_file_path",
  "trim_info",
  "concat_info",
  "encode_info"
})
@Schema(
    name = "VideoRecord",
    requiredProperties = {
      "id",
      "original_file_path",
      "processed_file_path",
      "trim_info",
      "concat_info",
      "encode_info"
    })
public record VideoRecord(
    @JsonProperty("id") @Schema(example = "14") long id,
    @JsonProperty("original_file_path")
        @Schema(
            nullable = true,
            description =
                "Where an uploaded file is: ./storage/ and its S3 key, served at GET"
                    + " /storage/origin/{file}; null for produced videos.",
            example = "./storage/origin/video_20240910161824.mkv")
        String originalFilePath,
    @JsonProperty("processed_file_path")
        @Schema(
            nullable = true,
            description = "Where a produced file is: ./storage/ and its S3 key; null for uploads.",
            example = "./storage/modi/video_trim_20240910161824.mkv")
        String processedFilePath,
    @JsonProperty("trim_info") @Schema(nullable = true) Trim trimInfo,
    @JsonProperty("concat_info") @Schema(nullable = true) Concat concatInfo,
    @JsonProperty("encode_info") @Schema(nullable = true) Encode encodeInfo) {

  /** The record of a Video resource. */
  static VideoRecord of(Video video) {
    VideoSpec spec = video.getSpec();
    boolean upload = spec.getOrigin() == null || spec.getOrigin() == VideoOrigin.Upload;
    return new VideoRecord(
        spec.getId(),
        upload ? LibraryFiles.pathOf(spec.getFileKey()) : null,
        upload ? null : LibraryFiles.pathOf(spec.getFileKey()),
        Trim.of(spec.getTrimInfo()),
        Concat.of(spec.getConcatInfo()),
        Encode.of(spec.getEncodeInfo()));
  }

  /** The part a trim kept, in milliseconds. */
  @JsonPropertyOrder({"trim_start", "trim_end", "mode"})
  @Schema(name = "TrimInfo")
  public record Trim(
      @JsonProperty("trim_start") @Schema(example = "0") Long trimStart,
      @JsonProperty("trim_end") @Schema(example = "5000") Long trimEnd,
      @JsonProperty("mode") @Schema(allowableValues = {"accurate", "fast"}) String mode) {
    static Trim of(TrimInfo info) {
      if (info == null) {
        return null;
      }
      TrimMode mode = info.getMode() == null ? TrimMode.Accurate : info.getMode();
      return new Trim(info.getTrimStart(), info.getTrimEnd(), mode.name().toLowerCase(Locale.ROOT));
    }
  }

  /** The videos a concat joined, in order. */
  @Schema(name = "ConcatInfo")
  public record Concat(@JsonProperty("video_ids") List<Long> videoIds) {
    static Concat of(ConcatInfo info) {
      return info == null ? null : new Concat(info.getVideoIds());
    }
  }

  /** What an encode was asked to produce. */
  @JsonPropertyOrder({"video_codec", "audio_codec", "resolution", "frame_rate"})
  @Schema(name = "EncodeInfo")
  public record Encode(
      @JsonProperty("video_codec") @Schema(example = "libx264") String videoCodec,
      @JsonProperty("audio_codec") @Schema(example = "aac") String audioCodec,
      @JsonProperty("resolution") @Schema(example = "1920:1080") String resolution,
      @JsonProperty("frame_rate") @Schema(example = "30") Integer frameRate) {
    static Encode of(EncodeInfo info) {
      return info == null
          ? null
          : new Encode(
              info.getVideoCodec(),
              info.getAudioCodec(),
              info.getResolution(),
              info.getFrameRate());
    }
  }
}
