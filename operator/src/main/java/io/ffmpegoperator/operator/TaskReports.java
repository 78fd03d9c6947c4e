package io.ffmpegoperator.operator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.WorkReport;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the report a task's worker writes to S3: its progress while it runs, its result after. */
final class TaskReports {
  private static final Logger LOG = LoggerFactory.getLogger(TaskReports.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final S3Storage storage;

  TaskReports(S3Storage storage) {
    this.storage = storage;
  }

  /** The latest report, or empty when the worker has written none (or an unreadable one). */
  Optional<WorkReport> latest(FfmpegTask task) {
    String key =
        StorageKeys.taskReport(task.getMetadata().getNamespace(), task.getMetadata().getName());
    return storage
        .readText(key)
        .flatMap(
            text -> {
              try {
                return Optional.of(JSON.readValue(text, WorkReport.class));
              } catch (IOException e) {
                LOG.warn("Unreadable report for task {}", task.getMetadata().getName());
                return Optional.empty();
              }
            });
  }
}
