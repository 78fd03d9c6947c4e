package io.ffmpegoperator.crds;

import java.util.Locale;

/** Where a VideoJob is in its life. */
public enum VideoJobState {
  /** Queued, waiting for execute. */
  Held,
  /** Released; its FfmpegTask is waiting for a pod. */
  Pending,
  Running,
  Succeeded,
  Failed;

  public boolean isFinished() {
    return this == Succeeded || this == Failed;
  }

  /** Lower case, as the REST API shows it. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
