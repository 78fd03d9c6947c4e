package io.ffmpegoperator.crds;

import java.util.Locale;

/** Where a task is in its life; the REST API shows it in lower case. */
public enum TaskState {
  Pending,
  Running,
  Completed,
  Failed;

  public boolean isFinished() {
    return this == Completed || this == Failed;
  }

  /** The seed API's spelling: pending, running, completed, failed. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
