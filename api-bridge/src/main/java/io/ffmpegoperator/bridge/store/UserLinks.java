package io.ffmpegoperator.bridge.store;

import io.ffmpegoperator.storage.S3Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Pre-signed download links for users ({@link S3Storage#USER_LINK_LIFETIME}), each reused for up to
 * {@link #REUSE}. Signing runs the AWS SDK's whole request pipeline (endpoint rules, signer), and
 * clients poll status many times a second; what that costs is in docs/benchmarks.md. The reuse is
 * short because links signed with temporary credentials (workload identity) die with those
 * credentials, whatever their stated lifetime; a minute-old link is as good as a new one.
 */
public final class UserLinks {
  static final Duration REUSE = Duration.ofMinutes(1);

  /** Past this many keys the map starts over: a bound, not an eviction policy. */
  private static final int MAX_KEYS = 10_000;

  private record Signed(String url, Instant signedAt) {}

  private final UnaryOperator<String> sign;
  private final Clock clock;
  private final ConcurrentHashMap<String, Signed> links = new ConcurrentHashMap<>();

  /** Links to objects of {@code storage}. */
  public UserLinks(S3Storage storage, Clock clock) {
    this(key -> storage.presignGet(key, S3Storage.USER_LINK_LIFETIME), clock);
  }

  /** Links made by {@code sign}, a key's pre-signed URL. */
  UserLinks(UnaryOperator<String> sign, Clock clock) {
    this.sign = sign;
    this.clock = clock;
  }

  /** A link to GET {@code key}, signed at most {@link #REUSE} ago. */
  public String get(String key) {
    Instant now = clock.instant();
    Signed signed = links.get(key);
    if (signed == null || !now.isBefore(signed.signedAt().plus(REUSE))) {
      if (links.size() >= MAX_KEYS) {
        links.clear();
      }
      signed = new Signed(sign.apply(key), now);
      links.put(key, signed);
    }
    return signed.url();
  }
}
