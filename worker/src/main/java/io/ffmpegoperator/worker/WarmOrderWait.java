package io.ffmpegoperator.worker;

import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm worker's wait for its order: asks the operator ({@link WarmWorkerProtocol}) until the
 * order comes, the worker is retired, or the operator stays out of reach for the settings'
 * patience. Its log lines hold neither the token nor the order. Its connection to the operator is
 * kept for the end of the run, which it also tells the operator.
 */
final class WarmOrderWait implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WarmOrderWait.class);

  // The operator answers within its hold; the rest leaves time for the way there and back.
  private static final Duration REQUEST_DEADLINE =
      Duration.ofSeconds(WarmWorkerProtocol.HOLD_SECONDS + 10);

  // Far more than any order holds: a longer answer is cut short, so it fails as a malformed order
  // instead of filling the heap.
  private static final int MAX_ORDER_BYTES = 8 * 1024 * 1024;

  // Telling the operator the run is over is a hint: the pod's exit is not held up for long.
  private static final Duration DONE_DEADLINE = Duration.ofSeconds(2);

  private final URI url;
  private final String authorization;
  private final WorkerSettings settings;
  private final StorageClient http;

  /**
   * @param url the operator's order endpoint for this worker's Job
   * @param token the bearer token of this worker's Job
   */
  WarmOrderWait(URI url, String token, WorkerSettings settings) {
    this.url = url;
    this.authorization = "Bearer " + token;
    this.settings = settings;
    this.http = new StorageClient(settings.connectTimeout());
  }

  /** Waits for the order and returns its JSON as the operator sent it. */
  byte[] await() throws NoOrderException {
    Duration patience = settings.warmPatience();
    long lastAnswer = System.nanoTime();
    Duration pause = settings.warmFirstPause();
    boolean failing = false;
    while (true) {
      String problem;
      try {
        StorageClient.Answer answer =
            http.get(url, authorization, MAX_ORDER_BYTES, REQUEST_DEADLINE);
        int status = answer.status();
        if (status == HttpStatus.SC_OK) {
          return answer.body();
        }
        if (status == HttpStatus.SC_NO_CONTENT) {
          // The operator is there and has no task yet: patience starts over.
          lastAnswer = System.nanoTime();
          pause = settings.warmFirstPause();
          failing = false;
          continue;
        }
        if (status == HttpStatus.SC_GONE) {
          LOG.info("retired by the operator before a task came");
          throw new NoOrderException(WorkerExitCodes.OK);
        }
        if (status == HttpStatus.SC_UNAUTHORIZED) {
          LOG.error(
              "the operator refused the token in {} (HTTP 401)", WarmWorkerProtocol.TOKEN_ENV);
          throw new NoOrderException(WorkerExitCodes.SETUP_FAILED);
        }
        problem = "HTTP " + status;
      } catch (IOException e) {
        problem = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - lastAnswer);
      if (waited.compareTo(patience) >= 0) {
        LOG.error(
            "no order: the operator could not be asked for {} s (last: {}); giving up",
            waited.toSeconds(),
            problem);
        throw new NoOrderException(WorkerExitCodes.WARM_GAVE_UP);
      }
      if (failing) {
        LOG.debug("no order yet ({}); asking again", problem);
      } else {
        LOG.info("no order yet ({}); asking again for up to {} s", problem, patience.toSeconds());
        failing = true;
      }
      sleep(min(pause, patience.minus(waited)));
      pause = min(pause.multipliedBy(2), settings.warmMaxPause());
    }
  }

  /**
   * Tells the operator that the run succeeded and its outputs are stored, and hands it the final
   * report, which is stored only after this: the task's status need not wait for that write. A hint
   * only: a failure is logged and ignored, since the Job's completion says the same a little later.
   */
  void tellDone(WorkReport report) {
    try {
      ByteArrayEntity body =
          new ByteArrayEntity(ReportWriter.json(report), ContentType.APPLICATION_JSON);
      int status =
          http.post(
              URI.create(WarmWorkerProtocol.doneUrl(url.toString())),
              authorization,
              body,
              DONE_DEADLINE);
      if (status / 100 != 2) {
        LOG.info("the operator answered {} to the end of the run", status);
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.info("could not tell the operator the run is over: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException e) {
      // Only an idle connection failed to close, after the run's outcome was told.
    }
  }

  private static void sleep(Duration pause) throws NoOrderException {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoOrderException(WorkerExitCodes.WARM_GAVE_UP);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The wait ended without an order; the worker exits with {@link #exitCode()}. */
  static final class NoOrderException extends Exception {
    private final int exitCode;

    NoOrderException(int exitCode) {
      super("no order (exit " + exitCode + ")");
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }
}
