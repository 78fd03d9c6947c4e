package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.dev.kube.FileBackedStore.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes Events a while after they were last seen, as the API server does (its {@code
 * --event-ttl}, one hour by default). Without it every task's Events would stay in the state folder
 * for good, and the store, which lists and indexes everything it holds, would only grow.
 *
 * <p>The API server expires an Event a TTL after its last write; the store keeps no write time, so
 * this takes the latest of the times the Event itself carries (when it was created, last seen, or
 * last counted in a series).
 */
final class EventExpiry implements AutoCloseable {

  /** The API server's default {@code --event-ttl}. */
  static final Duration DEFAULT_TTL = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(EventExpiry.class);

  private final PersistentCrudDispatcher crud;
  private final Clock clock;
  private final Duration ttl;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "embedded-kube-event-expiry");
            thread.setDaemon(true);
            return thread;
          });

  EventExpiry(PersistentCrudDispatcher crud, Clock clock, Duration ttl) {
    this.crud = crud;
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * Expires Events now (those that aged while the server was down) and then every {@code ttl / 60}
   * (at least a second, at most a minute), so none outlives its TTL by more than that.
   */
  void start() {
    long period = Math.max(1_000, Math.min(60_000, ttl.toMillis() / 60));
    timer.scheduleWithFixedDelay(this::expireSafely, 0, period, TimeUnit.MILLISECONDS);
  }

  private void expireSafely() {
    try {
      expire();
    } catch (RuntimeException e) {
      // A failed pass must not end the schedule; the next one tries again.
      LOG.warn("Expiring Events failed: {}", e.toString());
    }
  }

  /** Deletes every Event last seen more than the TTL ago; returns how many. */
  int expire() {
    Instant cutoff = clock.instant().minus(ttl);
    int expired = 0;
    for (StoredObject object : crud.snapshot()) {
      if (!isEvent(object.path())) {
        continue;
      }
      Optional<Instant> seen = lastSeen(object.tree());
      if (seen.isPresent() && seen.get().isBefore(cutoff)) {
        crud.handleDelete(object.path().itemPath());
        expired++;
      }
    }
    if (expired > 0) {
      LOG.debug("Expired {} Events last seen before {}", expired, cutoff);
    }
    return expired;
  }

  /** Core v1 Events and events.k8s.io Events: the same objects, served at two paths. */
  private static boolean isEvent(ResourcePath path) {
    return path.plural().equals("events")
        && (path.group().isEmpty() || path.group().equals("events.k8s.io"));
  }

  /** The latest time the Event carries, in either API's fields; empty if it carries none. */
  static Optional<Instant> lastSeen(JsonNode event) {
    Instant latest = null;
    for (JsonNode time :
        new JsonNode[] {
          event.path("metadata").path("creationTimestamp"),
          event.path("firstTimestamp"),
          event.path("lastTimestamp"),
          event.path("eventTime"),
          event.path("series").path("lastObservedTime"),
          event.path("deprecatedLastTimestamp"),
        }) {
      Instant parsed = parseTime(time.asText(""));
      if (parsed != null && (latest == null || parsed.isAfter(latest))) {
        latest = parsed;
      }
    }
    return Optional.ofNullable(latest);
  }

  /** RFC 3339, with or without fractions of a second (Time and MicroTime); null otherwise. */
  private static Instant parseTime(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Stops the schedule; a pass under way ends first (an interrupted one could tear a file). */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
