package io.ffmpegoperator.media;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What ffprobe says about a media file, reduced to what the platform uses: container, first video
 * and audio codec, frame size and rate, duration and size.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class MediaInfo {
  @JsonPropertyDescription("Container format as ffprobe names it, e.g. mov,mp4,m4a,3gp,3g2,mj2.")
  private String formatName;

  @JsonPropertyDescription("Duration in milliseconds.")
  private Long durationMillis;

  @JsonPropertyDescription("File size in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("Codec of the first video stream, e.g. h264; absent without video.")
  private String videoCodec;

  @JsonPropertyDescription("Codec of the first audio stream, e.g. aac; absent without audio.")
  private String audioCodec;

  @JsonPropertyDescription("Width of the first video stream in pixels.")
  private Integer width;

  @JsonPropertyDescription("Height of the first video stream in pixels.")
  private Integer height;

  @JsonPropertyDescription(
      "Average frame rate of the first video stream as a fraction, e.g. 30000/1001.")
  private String frameRate;

  @JsonPropertyDescription("Number of video streams.")
  private Integer videoStreams;

  @JsonPropertyDescription("Number of audio streams.")
  private Integer audioStreams;

  /** Reads ffprobe's {@code -show_streams -show_format -of json} answer. */
  public static MediaInfo fromFfprobe(JsonNode probe) {
    MediaInfo info = new MediaInfo();
    JsonNode format = probe.path("format");
    info.formatName = textOrNull(format.get("format_name"));
    info.durationMillis = millis(format.get("duration"));
    info.sizeBytes = format.hasNonNull("size") ? format.get("size").asLong() : null;
    int videos = 0;
    int audios = 0;
    for (JsonNode stream : probe.path("streams")) {
      String type = stream.path("codec_type").asText();
      // Cover art is a "video" stream to ffprobe; it is not the video.
      boolean attachedPicture = stream.path("disposition").path("attached_pic").asInt() == 1;
      if (type.equals("video") && !attachedPicture) {
        if (videos++ == 0) {
          info.videoCodec = textOrNull(stream.get("codec_name"));
          info.width = stream.hasNonNull("width") ? stream.get("width").asInt() : null;
          info.height = stream.hasNonNull("height") ? stream.get("height").asInt() : null;
          info.frameRate = textOrNull(stream.get("avg_frame_rate"));
          if (info.durationMillis == null) {
            info.durationMillis = millis(stream.get("duration"));
          }
        }
      } else if (type.equals("audio")) {
        if (audios++ == 0) {
          info.audioCodec = textOrNull(stream.get("codec_name"));
        }
      }
    }
    info.videoStreams = videos;
    info.audioStreams = audios;
    return info;
  }

  /** The frame rate rounded to a whole number, as the video API shows it; null if unknown. */
  public Integer roundedFrameRate() {
    if (frameRate == null || !frameRate.contains("/")) {
      return null;
    }
    String[] parts = frameRate.split("/");
    try {
      BigDecimal num = new BigDecimal(parts[0]);
      BigDecimal den = new BigDecimal(parts[1]);
      if (den.signum() == 0) {
        return null;
      }
      return num.divide(den, 0, RoundingMode.HALF_UP).intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** {@code W:H}, as the video API shows a resolution; null without video. */
  public String resolution() {
    return width == null || height == null ? null : width + ":" + height;
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Long millis(JsonNode seconds) {
    if (seconds == null || seconds.isNull()) {
      return null;
    }
    try {
      return new BigDecimal(seconds.asText())
          .movePointRight(3)
          .setScale(0, RoundingMode.HALF_UP)
          .longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  public String getFormatName() {
    return formatName;
  }

  public void setFormatName(String formatName) {
    this.formatName = formatName;
  }

  public Long getDurationMillis() {
    return durationMillis;
  }

  public void setDurationMillis(Long durationMillis) {
    this.durationMillis = durationMillis;
  }

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  public String getVideoCodec() {
    return videoCodec;
  }

  public void setVideoCodec(String videoCodec) {
    this.videoCodec = videoCodec;
  }

  public String getAudioCodec() {
    return audioCodec;
  }

  public void setAudioCodec(String audioCodec) {
    this.audioCodec = audioCodec;
  }

  public Integer getWidth() {
    return width;
  }

  public void setWidth(Integer width) {
    this.width = width;
  }

  public Integer getHeight() {
    return height;
  }

  public void setHeight(Integer height) {
    this.height = height;
  }

  public String getFrameRate() {
    return frameRate;
  }

  public void setFrameRate(String frameRate) {
    this.frameRate = frameRate;
  }

  public Integer getVideoStreams() {
    return videoStreams;
  }

  public void setVideoStreams(Integer videoStreams) {
    this.videoStreams = videoStreams;
  }

  public Integer getAudioStreams() {
    return audioStreams;
  }

  public void setAudioStreams(Integer audioStreams) {
    this.audioStreams = audioStreams;
  }
}
