package io.ffmpegoperator.worker;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
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

  // What the operator answers when it has heard the request; anything else is asked again.
  private static final Set<Integer> ANSWERS =
      Set.of(
          HttpStatus.SC_OK,
          HttpStatus.SC_NO_CONTENT,
          HttpStatus.SC_GONE,
          HttpStatus.SC_UNAUTHORIZED);

  private final URI url;
  private final String authorization;
  private final RetryPolicy<StorageClient.Answer> retries;
  private final StorageClient http;

  /**
   * @param url the operator's order endpoint for this worker's Job
   * @param token the bearer token of this worker's Job
   */
  WarmOrderWait(URI url, String token, WorkerSettings settings) {
    this.url = url;
    this.authorization = "Bearer " + token;
    this.retries = retries(settings);
    this.http = new StorageClient(settings.connectTimeout());
  }

  /**
   * Waits for the order and returns its JSON as the operator sent it. Each "no task yet" (204)
   * starts a new round of asking, with its patience and pauses starting over.
   */
  byte[] await() throws NoOrderException {
    while (true) {
      StorageClient.Answer answer = askUntilAnswered();
      switch (answer.status()) {
        case HttpStatus.SC_OK:
          return answer.body();
        case HttpStatus.SC_NO_CONTENT:
          // The operator is there and has no task yet: ask again at once.
          continue;
        case HttpStatus.SC_GONE:
          LOG.info("retired by the operator before a task came");
          throw new NoOrderException(WorkerExitCodes.OK);
        case HttpStatus.SC_UNAUTHORIZED:
          LOG.error(
              "the operator refused the token in the file {} names (HTTP 401)",
              WarmWorkerProtocol.TOKEN_FILE_ENV);
          throw new NoOrderException(WorkerExitCodes.SETUP_FAILED);
        default:
          // Retries exceeded with a failing answer: reported by the policy's listener.
          throw new NoOrderException(WorkerExitCodes.WARM_GAVE_UP);
      }
    }
  }

  /**
   * One round of asking: until the operator gives an answer the protocol names (200, 204, 401,
   * 410), or for the settings' patience, pausing between failed asks.
   */
  private StorageClient.Answer askUntilAnswered() throws NoOrderException {
    try {
      return Failsafe.with(retries)
          .get(() -> http.get(url, authorization, MAX_ORDER_BYTES, REQUEST_DEADLINE));
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new NoOrderException(WorkerExitCodes.WARM_GAVE_UP);
    }
  }

  /** Asks again after anything but an answer the protocol names, doubling the pause each time. */
  private static RetryPolicy<StorageClient.Answer> retries(WorkerSettings settings) {
    Duration patience = settings.warmPatience();
    RetryPolicyBuilder<StorageClient.Answer> policy =
        RetryPolicy.<StorageClient.Answer>builder()
            .handle(IOException.class)
            .handleResultIf(answer -> !ANSWERS.contains(answer.status()))
            .withMaxRetries(-1)
            .withMaxDuration(patience)
            .onFailedAttempt(
                attempt -> {
                  if (attempt.getAttemptCount() == 1) {
                    LOG.info(
                        "no order yet ({}); asking again for up to {} s",
                        problem(attempt.getLastResult(), attempt.getLastException()),
                        patience.toSeconds());
                  } else {
                    LOG.debug(
                        "no order yet ({}); asking again",
                        problem(attempt.getLastResult(), attempt.getLastException()));
                  }
                })
            .onRetriesExceeded(
                end ->
                    LOG.error(
                        "no order: the operator could not be asked for {} s (last: {}); giving up",
                        end.getElapsedTime().toSeconds(),
                        problem(end.getResult(), end.getException())));
    // Failsafe's back-off needs room to grow; equal pauses are a fixed delay.
    return (settings.warmFirstPause().compareTo(settings.warmMaxPause()) < 0
            ? policy.withBackoff(settings.warmFirstPause(), settings.warmMaxPause())
            : policy.withDelay(settings.warmFirstPause()))
        .build();
  }

  private static String problem(StorageClient.Answer answer, Throwable failure) {
    if (failure != null) {
      return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
    return answer == null ? "no answer" : "HTTP " + answer.status();
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
