package io.ffmpegoperator.storage;

/**
 * The layout of the bucket; every key the platform writes is made here, but for the video library's
 * files, which {@link LibraryKeys} names.
 */
public final class StorageKeys {
  private StorageKeys() {}

  /** A task's output file, as the seed API promises: {@code ffmpeg-outputs/{task}/{file}}. */
  public static String taskOutput(String taskId, String fileName) {
    return taskOutputs(taskId) + fileName;
  }

  /** Where every output file of a task is: the prefix of {@link #taskOutput}'s keys. */
  public static String taskOutputs(String taskId) {
    return "ffmpeg-outputs/" + taskId + "/";
  }

  /** The progress and result report a task's worker writes. */
  public static String taskReport(String namespace, String taskId) {
    return "ffmpeg-tasks/" + namespace + "/" + taskId + "/report.json";
  }
}
