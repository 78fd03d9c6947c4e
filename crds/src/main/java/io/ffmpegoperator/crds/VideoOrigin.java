package io.ffmpegoperator.crds;

/** How a video came to be in the library. */
public enum VideoOrigin {
  Upload,
  Trim,
  Concat,
  Encode
}
