package io.ffmpegoperator.ids;

import dev.failsafe.RetryPolicy;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;

/**
 * Writes that name the version they read, so that of two concurrent writers one gets 409 and tries
 * again: how the ids and the file names are handed out across bridge replicas.
 */
final class OptimisticWrites {
  private OptimisticWrites() {}

  /**
   * A writer that lost the race reads and tries again after a short, random wait, which spreads out
   * writers that keep colliding; only a crowd of them exhausts the attempts.
   */
  static <T> RetryPolicy<T> retryOnConflict() {
    return RetryPolicy.<T>builder()
        .handleIf(OptimisticWrites::isConflict)
        .withMaxAttempts(200)
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
        .withJitter(0.5)
        .build();
  }

  /** Whether the write lost to another one (409 Conflict). */
  static boolean isConflict(Throwable e) {
    return e instanceof KubernetesClientException k
        && k.getCode() == HttpURLConnection.HTTP_CONFLICT;
  }
}
