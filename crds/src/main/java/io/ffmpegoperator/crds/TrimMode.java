package io.ffmpegoperator.crds;

/** How a trim cuts. */
public enum TrimMode {
  /** Re-encoded from the exact start: the output is within one frame of the request. */
  Accurate,
  /** Stream copy from the keyframe at or before the start: fast, but may start early. */
  Fast
}
