package io.ffmpegoperator.protocol;

import java.util.List;

/**
 * Exit codes of the worker. The Job's pod failure policy fails the Job at once on the permanent
 * ones, so a command that can never succeed is not retried.
 */
public final class WorkerExitCodes {
  public static final int OK = 0;

  /** An input could not be fetched (404, refused, too large). */
  public static final int INPUT_FAILED = 10;

  /** ffmpeg exited non-zero. */
  public static final int FFMPEG_FAILED = 11;

  /** An output could not be uploaded; may be transient, so it is retried. */
  public static final int UPLOAD_FAILED = 12;

  /** The work order was missing or malformed. */
  public static final int SETUP_FAILED = 13;

  /**
   * A warm worker pod could not reach the operator for its order ({@link WarmWorkerProtocol}); a
   * new pod may, so it is retried.
   */
  public static final int WARM_GAVE_UP = 14;

  /**
   * The kernel killed ffmpeg for passing the pod's memory limit. Retried, as a peak may not come
   * again; after the last retry the task says out of memory.
   */
  public static final int OUT_OF_MEMORY = 15;

  /**
   * Something outside ffmpeg killed it (a node drain, an administrator's SIGKILL); nothing about
   * the task was wrong, so it is retried.
   */
  public static final int FFMPEG_KILLED = 16;

  /** Exit codes that no retry can fix. */
  public static final List<Integer> PERMANENT = List.of(INPUT_FAILED, FFMPEG_FAILED, SETUP_FAILED);

  private WorkerExitCodes() {}
}
