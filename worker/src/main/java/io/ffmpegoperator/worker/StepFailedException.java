package io.ffmpegoperator.worker;

import io.ffmpegoperator.protocol.WorkReport;

/** A step of the work failed; the message is short and safe to show the task's owner. */
final class StepFailedException extends Exception {
  private final WorkReport.Step step;

  StepFailedException(WorkReport.Step step, String message) {
    super(message, null, false, false);
    this.step = step;
  }

  WorkReport.Step step() {
    return step;
  }
}
