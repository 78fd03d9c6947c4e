package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.Responses;
import io.ffmpegoperator.bridge.store.VideoJobStore;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobState;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code execute}: releases a request code's held jobs and, unless asked not to, waits until each
 * has succeeded or failed. The JDK HTTP server cannot suspend a request, so a wait holds a request
 * thread; the number of waits is capped to keep threads for everything else.
 *
 * <p>With an idempotency key, a retry releases nothing more: it answers about the jobs the first
 * request released, as that request would answer now (the jobs may have finished meanwhile).
 */
final class JobExecution {
  /** Between two looks at the jobs even when no change was seen, in case a watch event was lost. */
  static final Duration RECHECK = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

  private final VideoJobStore jobs;
  private final IdempotentJobs keys;
  private final Duration timeout;
  private final Semaphore waits;

  JobExecution(VideoJobStore jobs, IdempotentJobs keys, Duration timeout, int maxConcurrentWaits) {
    this.jobs = jobs;
    this.keys = keys;
    this.timeout = timeout;
    this.waits = new Semaphore(maxConcurrentWaits);
  }

  /**
   * Releases the code's held jobs; waits for them if {@code wait}.
   *
   * @param keyed the request's idempotency key, or null
   */
  Response execute(String requestCode, boolean wait, IdempotentJobs.Keyed keyed) {
    if (!wait) {
      List<Long> released = release(requestCode, keyed);
      return Response.status(202)
          .entity(
              new ExecuteAcceptedResponse(
                  "Released " + released.size() + " job(s) for request_code " + requestCode,
                  released))
          .type(MediaType.APPLICATION_JSON_TYPE)
          .build();
    }
    if (!waits.tryAcquire()) {
      throw ApiException.detail(
          503, "Too many executions are waiting; try again later or pass wait=false");
    }
    try {
      List<Long> released = release(requestCode, keyed);
      return Responses.json(outcome(requestCode, awaitFinished(released)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.detail(503, "The server is shutting down; the jobs keep running");
    } finally {
      waits.release();
    }
  }

  private List<Long> release(String requestCode, IdempotentJobs.Keyed keyed) {
    if (keyed != null) {
      Optional<List<Long>> earlier = keys.released(keyed);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    Map<String, String> labels = keys.releaseLabels(keyed);
    Map<String, String> annotations = keys.releaseAnnotations(keyed);
    List<Long> released = new ArrayList<>();
    for (VideoJob job : jobs.held(requestCode)) {
      if (jobs.release(job, labels, annotations)) {
        released.add(job.getSpec().getJobId());
      }
    }
    if (keyed != null) {
      // A concurrent execute with the same key may have released some of them first.
      released = keys.releasedNow(keyed);
    }
    if (released.isEmpty()) {
      throw ApiException.detail(400, "No pending jobs for request_code " + requestCode);
    }
    return released;
  }

  /** The latest view of each job, once all are finished or the timeout has passed. */
  private List<Outcome> awaitFinished(List<Long> jobIds) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen = jobs.changeCount();
      List<Outcome> outcomes = jobIds.stream().map(id -> new Outcome(id, jobs.find(id))).toList();
      long left = deadline - System.nanoTime();
      if (outcomes.stream().allMatch(Outcome::finished) || left <= 0) {
        return outcomes;
      }
      jobs.awaitChange(seen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
    }
  }

  private MessageResponse outcome(String requestCode, List<Outcome> outcomes) {
    List<Outcome> unfinished = outcomes.stream().filter(o -> !o.finished()).toList();
    if (!unfinished.isEmpty()) {
      throw ApiException.detail(
          504,
          "Timed out after "
              + timeout.toSeconds()
              + " s waiting for job(s) "
              + ids(unfinished)
              + " of request_code "
              + requestCode
              + "; they keep running (see GET /video/jobs?request_code=...)");
    }
    List<Outcome> failed = outcomes.stream().filter(o -> !o.succeeded()).toList();
    if (!failed.isEmpty()) {
      LOG.info("Jobs {} of request code {} failed", ids(failed), requestCode);
      throw ApiException.detail(
          500, failed.stream().map(Outcome::failure).collect(Collectors.joining("; ")));
    }
    return new MessageResponse(
        "All pending jobs for request_code " + requestCode + " executed successfully");
  }

  private static String ids(List<Outcome> outcomes) {
    return outcomes.stream().map(o -> Long.toString(o.jobId())).collect(Collectors.joining(", "));
  }

  /** One released job as last seen; empty if it was deleted meanwhile. */
  private record Outcome(long jobId, Optional<VideoJob> job) {
    boolean finished() {
      return job.isEmpty() || VideoJobResponse.stateOf(job.get()).isFinished();
    }

    boolean succeeded() {
      return job.isPresent() && VideoJobResponse.stateOf(job.get()) == VideoJobState.Succeeded;
    }

    String failure() {
      if (job.isEmpty()) {
        return "Job " + jobId + " failed: it was deleted";
      }
      var status = job.get().getStatus();
      String message = status == null ? null : status.getMessage();
      if (message == null || message.isBlank()) {
        message =
            status == null || status.getReason() == null ? "unknown error" : status.getReason();
      }
      return "Job " + jobId + " failed: " + message;
    }
  }
}
