package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.ffmpegoperator.media.MediaInfo;

/** One output file of a finished task, as stored in S3. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class StoredOutput {
  @JsonPropertyDescription("Output placeholder name, e.g. out_1.")
  private String name;

  @JsonPropertyDescription("S3 bucket holding the file.")
  private String bucket;

  @JsonPropertyDescription("S3 key of the file: ffmpeg-outputs/<task>/<file name>.")
  private String key;

  @JsonPropertyDescription("Size of the stored file in bytes.")
  private Long size;

  @JsonPropertyDescription("What ffprobe found in the stored file.")
  private MediaInfo media;

  public StoredOutput() {}

  public StoredOutput(String name, String bucket, String key, Long size) {
    this.name = name;
    this.bucket = bucket;
    this.key = key;
    this.size = size;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public MediaInfo getMedia() {
    return media;
  }

  public void setMedia(MediaInfo media) {
    this.media = media;
  }

  public Long getSize() {
    return size;
  }

  public void setSize(Long size) {
    this.size = size;
  }
}
