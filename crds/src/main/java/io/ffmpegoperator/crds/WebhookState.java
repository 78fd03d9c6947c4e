package io.ffmpegoperator.crds;

/** Where the delivery of a task's webhook is: still being tried, received, or given up on. */
public enum WebhookState {
  Pending,
  Delivered,
  Failed;

  public boolean isFinished() {
    return this != Pending;
  }
}
