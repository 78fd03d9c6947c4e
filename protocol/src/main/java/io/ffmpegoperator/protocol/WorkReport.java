package io.ffmpegoperator.protocol;

import io.ffmpegoperator.media.MediaInfo;
import java.util.List;

/**
 * What a worker reports back, as JSON written to the work order's report link: rewritten every few
 * seconds while it runs and once more at the end. The operator reads it into the task's status.
 *
 * @param phase where the worker is
 * @param progress percent of the ffmpeg run done (0-100)
 * @param outputs stored outputs with their sizes, once {@link Phase#Succeeded}
 * @param failedStep for {@link Phase#Failed}: which step failed
 * @param message for {@link Phase#Failed}: a short, classified reason (never raw stderr)
 */
public record WorkReport(
    Phase phase, int progress, List<OutputSize> outputs, Step failedStep, String message) {

  /** The worker's phases, in order. */
  public enum Phase {
    Downloading,
    Running,
    Uploading,
    Succeeded,
    Failed
  }

  /** The step a failure happened in; each maps to a task reason and a worker exit code. */
  public enum Step {
    /** An input could not be fetched (the message names it). */
    Input(WorkerExitCodes.INPUT_FAILED, "InputUnavailable"),
    /** ffmpeg itself failed. */
    Ffmpeg(WorkerExitCodes.FFMPEG_FAILED, "FfmpegFailed"),
    /** The kernel killed ffmpeg for passing the pod's memory limit (the message names it). */
    OutOfMemory(WorkerExitCodes.OUT_OF_MEMORY, "OutOfMemory"),
    /** A signal from outside ended ffmpeg (the message names it). */
    Killed(WorkerExitCodes.FFMPEG_KILLED, "FfmpegKilled"),
    /** An output could not be stored. */
    Upload(WorkerExitCodes.UPLOAD_FAILED, "UploadFailed"),
    /** The work order itself was unusable. */
    Setup(WorkerExitCodes.SETUP_FAILED, "WorkerSetupFailed");

    private final int exitCode;
    private final String reason;

    Step(int exitCode, String reason) {
      this.exitCode = exitCode;
      this.reason = reason;
    }

    public int exitCode() {
      return exitCode;
    }

    /** CamelCase reason for the task's status and events. */
    public String reason() {
      return reason;
    }
  }

  /** Size in bytes of one stored output, and what ffprobe found in it (null if unreadable). */
  public record OutputSize(String name, long size, MediaInfo media) {}
}
