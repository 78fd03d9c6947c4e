package io.ffmpegoperator.bridge.health;

import io.ffmpegoperator.bridge.store.CacheHealth;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Whether this replica should get traffic: every informer cache synced and watching, so the API
 * server answers and reads are current. Asks the API server nothing itself, so probes cost it
 * nothing.
 */
public final class Readiness {
  private final Supplier<List<CacheHealth>> caches;

  public Readiness(Supplier<List<CacheHealth>> caches) {
    this.caches = caches;
  }

  /** What keeps this replica from being ready; null when it is ready. */
  String problem() {
    String problems =
        caches.get().stream()
            .map(CacheHealth::problem)
            .filter(Objects::nonNull)
            .collect(Collectors.joining("; "));
    return problems.isEmpty() ? null : "Not ready: " + problems;
  }
}
