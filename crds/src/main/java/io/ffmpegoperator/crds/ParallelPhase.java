package io.ffmpegoperator.crds;

/** Where a parallel task's run is: the phases follow one another in this order. */
public enum ParallelPhase {
  /** A child task lists the input's video packets, to plan the segments on keyframes. */
  Probe,
  /** The segment children encode their ranges of video, and the audio child the whole audio. */
  Segments,
  /** The join child puts the segments and the audio together by stream copy. */
  Join,
  /** The join's output is stored as the task's own output. */
  Store,
  /** The task has ended; its children are gone or going. */
  Done
}
