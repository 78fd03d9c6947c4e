package io.ffmpegoperator.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Cancels a request once its time is up, however slowly its bytes trickle: cancelling closes the
 * connection under whatever connect, read or write is blocked. Close it when the request is done.
 */
final class CancelAtDeadline implements AutoCloseable {
  private final AtomicBoolean fired = new AtomicBoolean();
  private final CompletableFuture<Void> timer;

  CancelAtDeadline(Cancellable request, long nanos) {
    timer =
        CompletableFuture.runAsync(
            () -> {
              fired.set(true);
              request.cancel();
            },
            CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS));
  }

  /** Whether the time ran out (the request's failure, if any, is then the deadline's). */
  boolean fired() {
    return fired.get();
  }

  @Override
  public void close() {
    timer.cancel(false);
  }
}
