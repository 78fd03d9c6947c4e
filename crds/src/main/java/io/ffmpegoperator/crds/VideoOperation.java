package io.ffmpegoperator.crds;

/** What a VideoJob does to library videos. */
public enum VideoOperation {
  Trim,
  Concat,
  Encode
}
