package io.ffmpegoperator.crds;

import java.util.Locale;

/** Where a task is in its life; the REST API shows it in lower case. */
public enum TaskState {
  Pending,
  Running,
  Completed,
  Failed,
  /** Stopped on request (spec.cancel); never run, or its run killed and its outputs removed. */
  Cancelled;

  public boolean isFinished() {
    return this == Completed || this == Failed || this == Cancelled;
  }

  /**
   * The seed API's spelling: pending, running, completed, failed. The seed knows no fifth state, so
   * a cancelled task is failed there, with an error message that says it was cancelled.
   */
  public String apiName() {
    return this == Cancelled ? "failed" : name().toLowerCase(Locale.ROOT);
  }
}
