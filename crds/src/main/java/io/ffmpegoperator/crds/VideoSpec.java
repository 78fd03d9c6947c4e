package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.ffmpegoperator.media.MediaInfo;

/**
 * A stored video. Written once, when the file is stored and probed: a video does not change, a
 * trim, concat or encode makes a new one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class VideoSpec {
  @Required
  @JsonPropertyDescription("The video API's integer id; unique and never reused.")
  private Long id;

  @Required
  @JsonPropertyDescription("Upload, Trim, Concat or Encode.")
  private VideoOrigin origin;

  @Required
  @JsonPropertyDescription(
      "S3 key of the file in the platform's bucket: origin/... for uploads, modi/... for results.")
  private String fileKey;

  @JsonPropertyDescription("The uploaded file's name, for uploads.")
  private String uploadedFileName;

  @JsonPropertyDescription("Id of the VideoJob that made this video, for results.")
  private Long jobId;

  @JsonPropertyDescription("For a trim: the kept part.")
  private TrimInfo trimInfo;

  @JsonPropertyDescription("For a concat: the joined videos.")
  private ConcatInfo concatInfo;

  @JsonPropertyDescription("For an encode: what was asked.")
  private EncodeInfo encodeInfo;

  @JsonPropertyDescription("What ffprobe found in the file.")
  private MediaInfo media;

  public Long getId() {
    return id;
  }

  public void setId(Long id) {
    this.id = id;
  }

  public VideoOrigin getOrigin() {
    return origin;
  }

  public void setOrigin(VideoOrigin origin) {
    this.origin = origin;
  }

  public String getFileKey() {
    return fileKey;
  }

  public void setFileKey(String fileKey) {
    this.fileKey = fileKey;
  }

  public String getUploadedFileName() {
    return uploadedFileName;
  }

  public void setUploadedFileName(String uploadedFileName) {
    this.uploadedFileName = uploadedFileName;
  }

  public Long getJobId() {
    return jobId;
  }

  public void setJobId(Long jobId) {
    this.jobId = jobId;
  }

  public TrimInfo getTrimInfo() {
    return trimInfo;
  }

  public void setTrimInfo(TrimInfo trimInfo) {
    this.trimInfo = trimInfo;
  }

  public ConcatInfo getConcatInfo() {
    return concatInfo;
  }

  public void setConcatInfo(ConcatInfo concatInfo) {
    this.concatInfo = concatInfo;
  }

  public EncodeInfo getEncodeInfo() {
    return encodeInfo;
  }

  public void setEncodeInfo(EncodeInfo encodeInfo) {
    this.encodeInfo = encodeInfo;
  }

  public MediaInfo getMedia() {
    return media;
  }

  public void setMedia(MediaInfo media) {
    this.media = media;
  }
}
