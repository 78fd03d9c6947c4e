package io.ffmpegoperator.operator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the report a task's worker writes to S3: its progress while it runs, its result after. A
 * warm worker also hands its final report to the operator when its run is over ({@link
 * #handedOver}); the next look at the task takes that one instead of reading S3.
 */
final class TaskReports {
  private static final Logger LOG = LoggerFactory.getLogger(TaskReports.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * A handed-over report not taken by then belongs to a task deleted meanwhile: it is dropped. The
   * report in S3 stays the record either way.
   */
  static final Duration HANDED_OVER_KEPT = Duration.ofMinutes(10);

  private record HandedOver(WorkReport report, long atNanos) {}

  private final S3Storage storage;
  private final Map<String, HandedOver> handedOver = new ConcurrentHashMap<>();

  TaskReports(S3Storage storage) {
    this.storage = storage;
  }

  /**
   * Keeps the final report a task's worker handed over, for the next {@link #latest}; one that is
   * no report is dropped (the next look reads S3).
   */
  void handedOver(String namespace, String task, byte[] json) {
    WorkReport report;
    try {
      report = JSON.readValue(json, WorkReport.class);
    } catch (IOException e) {
      LOG.warn("Unreadable report handed over for task {}", task);
      return;
    }
    if (report == null || report.phase() == null) {
      LOG.warn("Report handed over for task {} has no phase", task);
      return;
    }
    long now = System.nanoTime();
    handedOver.values().removeIf(kept -> now - kept.atNanos() > HANDED_OVER_KEPT.toNanos());
    handedOver.put(StorageKeys.taskReport(namespace, task), new HandedOver(report, now));
  }

  /**
   * The latest report, or empty when the worker has written none (or an unreadable one). One handed
   * over is taken once; a look after that reads S3 again, where the worker stores the same report
   * right after handing it over.
   */
  Optional<WorkReport> latest(FfmpegTask task) {
    String key =
        StorageKeys.taskReport(task.getMetadata().getNamespace(), task.getMetadata().getName());
    HandedOver handed = handedOver.remove(key);
    if (handed != null) {
      return Optional.of(handed.report());
    }
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
