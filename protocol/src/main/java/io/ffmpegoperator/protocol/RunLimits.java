package io.ffmpegoperator.protocol;

import io.ffmpegoperator.policy.MediaPolicy;

/**
 * Limits the platform puts on every run of a task, whatever its command says. The operator sets
 * them (from its configuration) in each {@link WorkOrder}; the worker enforces them.
 *
 * @param maxInputBytes most bytes fetched for one input
 * @param maxDownloadSeconds longest time one input's download may take
 * @param maxOutputBytes most bytes all outputs together may grow to while ffmpeg runs
 * @param maxCpuSeconds most CPU time ffmpeg may use (all threads together)
 * @param media what an input must be to be opened at all
 */
public record RunLimits(
    long maxInputBytes,
    long maxDownloadSeconds,
    long maxOutputBytes,
    long maxCpuSeconds,
    MediaPolicy media) {

  /** 10 GiB inputs fetched within 30 min, 20 GiB of outputs, 4 CPU-hours, default media caps. */
  public static RunLimits defaults() {
    return new RunLimits(
        10L * 1024 * 1024 * 1024, 1800, 20L * 1024 * 1024 * 1024, 4 * 3600, MediaPolicy.defaults());
  }
}
