package io.ffmpegoperator.bridge.store;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * How one of the bridge's informer caches stands: filled once ({@code synced}) and still fed by a
 * live watch ({@code watching}), which it is only while the API server answers.
 *
 * @param kind the resource kind the cache holds, e.g. FfmpegTask
 */
public record CacheHealth(String kind, boolean synced, boolean watching) {

  static CacheHealth of(String kind, SharedIndexInformer<?> informer) {
    return new CacheHealth(kind, informer.hasSynced(), informer.isWatching());
  }

  /** What is wrong, for a readiness answer; null when nothing is. */
  public String problem() {
    if (!synced) {
      return kind + " cache not synced yet";
    }
    return watching ? null : kind + " watch lost (API server unreachable?)";
  }
}
