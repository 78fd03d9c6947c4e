package io.ffmpegoperator.crds;

/**
 * Whether a queued VideoJob may run: jobs wait, Held, until execute releases their request code.
 */
public enum JobRelease {
  Held,
  Released
}
