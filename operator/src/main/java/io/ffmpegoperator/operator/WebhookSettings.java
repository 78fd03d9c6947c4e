package io.ffmpegoperator.operator;

import java.time.Duration;

/**
 * How the operator sends webhooks: the signing secret ({@code WEBHOOK_SECRET}) and the retry
 * schedule. The default schedule makes {@value #DEFAULT_ATTEMPTS} attempts, the first retry {@link
 * #DEFAULT_FIRST_RETRY} after the first and each wait {@value #DEFAULT_FACTOR} times the one
 * before, so a receiver that is down for a deploy or a short outage still gets the call.
 *
 * @param secret key of the HMAC that signs every call; null when none is configured, in which case
 *     no webhook is sent (an unsigned call could not be told from a forged one)
 * @param firstRetry wait before the second attempt
 * @param factor how many times longer each further wait is than the one before
 * @param attempts attempts in all, the first included
 * @param timeout longest one attempt may take before it counts as unanswered
 */
public record WebhookSettings(
    String secret, Duration firstRetry, int factor, int attempts, Duration timeout) {
  public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(5);
  public static final int DEFAULT_FACTOR = 4;
  public static final int DEFAULT_ATTEMPTS = 6;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public WebhookSettings {
    secret = secret == null || secret.isBlank() ? null : secret.trim();
    if (firstRetry.isNegative() || firstRetry.isZero()) {
      throw new IllegalArgumentException("WEBHOOK_FIRST_RETRY_MILLIS must be more than 0");
    }
    if (factor < 1) {
      throw new IllegalArgumentException("WEBHOOK_BACKOFF_FACTOR must be 1 or more");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("WEBHOOK_ATTEMPTS must be 1 or more");
    }
  }

  /** The real schedule, signing with {@code secret}. */
  public static WebhookSettings of(String secret) {
    return new WebhookSettings(
        secret, DEFAULT_FIRST_RETRY, DEFAULT_FACTOR, DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT);
  }

  /**
   * How long to wait after attempt number {@code made} (1 for the first) failed; null when that was
   * the last one.
   */
  public Duration waitAfter(int made) {
    if (made >= attempts) {
      return null;
    }
    Duration wait = firstRetry;
    for (int i = 1; i < made; i++) {
      wait = wait.multipliedBy(factor);
    }
    return wait;
  }
}
