package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.Map;

/** How far a parallel task's run is: its phase, its segments and the child tasks doing the work. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ParallelStatus {
  @JsonPropertyDescription("The phase the run is in: Probe, Segments, Join, Store or Done.")
  private ParallelPhase phase;

  @JsonPropertyDescription("Segments planned; unset until the probe has been read.")
  private Integer segmentsTotal;

  @JsonPropertyDescription("Segments whose child task has completed.")
  private Integer segmentsDone;

  // Maps rather than lists: a status is written as a JSON patch against the status the operator
  // read, and a patch that adds a map key twice changes nothing, where one that inserts into a
  // list read before the last write lands inserts twice.
  @JsonPropertyDescription(
      "When each phase (Probe, Segments, Join, Store) began and ended, by phase; a phase not"
          + " reached yet is absent.")
  private Map<String, PhaseTime> phases = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "The child FfmpegTasks made so far: name -> role (probe, segment, audio or join).")
  private Map<String, String> children = new LinkedHashMap<>();

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

  public Map<String, PhaseTime> getPhases() {
    return phases;
  }

  public void setPhases(Map<String, PhaseTime> phases) {
    this.phases = phases;
  }

  public Map<String, String> getChildren() {
    return children;
  }

  public void setChildren(Map<String, String> children) {
    this.children = children;
  }
}
