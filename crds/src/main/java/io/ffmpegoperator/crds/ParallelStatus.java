package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** How far a parallel task's run is: its phase, its segments and the child tasks doing the work. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ParallelStatus {
  @JsonPropertyDescription("The phase the run is in: Probe, Segments, Join, Store or Done.")
  private ParallelPhase phase;

  @JsonPropertyDescription("Segments planned; unset until the probe has been read.")
  private Integer segmentsTotal;

  @JsonPropertyDescription("Segments whose child task has completed.")
  private Integer segmentsDone;

  @JsonPropertyDescription("When each phase began and ended, in the order they ran.")
  private List<PhaseTime> phases = new ArrayList<>();

  @JsonPropertyDescription("Names of the child FfmpegTasks made so far, in the order made.")
  private List<String> children = new ArrayList<>();

  public ParallelPhase getPhase() {
    return phase;
  }

  public void setPhase(ParallelPhase phase) {
    this.phase = phase;
  }

  public Integer getSegmentsTotal() {
    return segmentsTotal;
  }

  public void setSegmentsTotal(Integer segmentsTotal) {
    this.segmentsTotal = segmentsTotal;
  }

  public Integer getSegmentsDone() {
    return segmentsDone;
  }

  public void setSegmentsDone(Integer segmentsDone) {
    this.segmentsDone = segmentsDone;
  }

  public List<PhaseTime> getPhases() {
    return phases;
  }

  public void setPhases(List<PhaseTime> phases) {
    this.phases = phases;
  }

  public List<String> getChildren() {
    return children;
  }

  public void setChildren(List<String> children) {
    this.children = children;
  }
}
