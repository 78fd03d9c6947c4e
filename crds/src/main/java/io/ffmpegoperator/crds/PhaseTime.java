package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** When one phase of a parallel task began and ended. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class PhaseTime {
  @JsonPropertyDescription("When the phase began (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the phase ended (RFC 3339); unset while it runs.")
  private String endTime;

  public PhaseTime() {}

  public PhaseTime(String startTime) {
    this.startTime = startTime;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getEndTime() {
    return endTime;
  }

  public void setEndTime(String endTime) {
    this.endTime = endTime;
  }
}
