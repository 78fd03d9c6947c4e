package io.ffmpegoperator.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkReport.Phase;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the worker's {@link WorkReport} to its pre-signed link. Phases and progress are only
 * hints: they are written on a thread of their own, so the run never waits for them, and a failure
 * is logged and ignored. Each write replaces the stored report, so a hint not yet written when a
 * newer one comes is dropped rather than queued; a hint waits {@link WorkerSettings#hintDelay()}
 * before it is written, so a phase over sooner is never written at all. The final report carries
 * the result: it drops the hints not yet started, waits for the one being written (so none lands
 * after it), and is retried.
 */
final class ReportWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final StorageClient http;
  private final URI reportUrl;
  private final WorkerSettings settings;
  private final ScheduledThreadPoolExecutor hints =
      new ScheduledThreadPoolExecutor(
          1,
          task -> {
            Thread thread = new Thread(task, "report-writer");
            thread.setDaemon(true);
            return thread;
          });
  // The newest hint not yet taken by the writer thread; older ones it replaced are never written.
  private final AtomicReference<WorkReport> pendingHint = new AtomicReference<>();
  private long lastWriteNanos;
  private int lastProgress = -1;

  /** A null {@code reportUrl} turns every write into a no-op. */
  ReportWriter(StorageClient http, URI reportUrl, WorkerSettings settings) {
    this.http = http;
    this.reportUrl = reportUrl;
    this.settings = settings;
    // The final report's shutdown drops the hints still waiting their turn.
    hints.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Reports the start of a phase, without waiting for the write. */
  synchronized void phase(Phase phase, int progress) {
    writeInBackground(new WorkReport(phase, progress, List.of(), null, null));
  }

  /** Reports ffmpeg's progress if it changed and the last write is old enough. */
  synchronized void progress(int progress) {
    boolean due = System.nanoTime() - lastWriteNanos >= settings.reportInterval().toNanos();
    if (progress != lastProgress && due) {
      writeInBackground(new WorkReport(Phase.Running, progress, List.of(), null, null));
    }
  }

  /** The last progress reported, or 0. */
  synchronized int lastProgress() {
    return Math.max(lastProgress, 0);
  }

  /** Writes the final report, retrying a few times; returns whether it was stored. */
  synchronized boolean finish(WorkReport report) {
    pendingHint.set(null);
    awaitHints();
    RetryPolicy<Object> retries =
        RetryPolicy.builder()
            .handle(IOException.class)
            .withMaxAttempts(settings.finalReportAttempts())
            // A longer wait after each failure, for a storage endpoint that is briefly away.
            .withDelayFn(
                attempt -> settings.finalReportBackoff().multipliedBy(attempt.getAttemptCount()))
            .onFailedAttempt(
                attempt ->
                    LOG.warn(
                        "final report attempt {} failed: {}",
                        attempt.getAttemptCount(),
                        attempt.getLastException().getMessage()))
            .build();
    try {
      Failsafe.with(retries).run(() -> write(report));
      return true;
    } catch (FailsafeException e) {
      LOG.error("final report could not be written");
      return false;
    }
  }

  private void writeInBackground(WorkReport report) {
    lastWriteNanos = System.nanoTime();
    lastProgress = report.progress();
    pendingHint.set(report);
    hints.schedule(this::writePendingHint, settings.hintDelay().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void writePendingHint() {
    WorkReport report = pendingHint.getAndSet(null);
    if (report == null) {
      return; // written by an earlier turn, or dropped by the final report
    }
    try {
      write(report);
    } catch (IOException e) {
      LOG.warn(
          "report ({} {}%) not written: {}", report.phase(), report.progress(), e.getMessage());
    }
  }

  /** Lets the hint being written finish, within its own deadline, and takes no more. */
  private void awaitHints() {
    hints.shutdown();
    try {
      // One write at most is under way (the shutdown dropped the turns still waiting), and it
      // ends within its deadline; twice that is a margin.
      if (!hints.awaitTermination(settings.reportTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
        hints.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A report as it is written. Jackson builds the writer of each class on its first use, which in a
   * new JVM takes tens of milliseconds: a warm worker calls this once before its order comes, so
   * that its final report does not pay for it.
   */
  static byte[] json(WorkReport report) throws IOException {
    return JSON.writeValueAsBytes(report);
  }

  private void write(WorkReport report) throws IOException {
    if (reportUrl == null) {
      return;
    }
    ByteArrayEntity body = new ByteArrayEntity(json(report), ContentType.APPLICATION_JSON);
    int status = http.put(reportUrl, body, settings.reportTimeout());
    if (status / 100 != 2) {
      throw new IOException("HTTP " + status);
    }
  }
}
