package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Which videos a concat joined, in order. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ConcatInfo {
  @io.fabric8.generator.annotation.Required
  @JsonPropertyDescription("Ids of the joined videos, in the order joined (an id may repeat).")
  private List<Long> videoIds;

  public List<Long> getVideoIds() {
    return videoIds;
  }

  public void setVideoIds(List<Long> videoIds) {
    this.videoIds = videoIds;
  }
}
