package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The watch cache of the embedded API: every stored change, kept for a while so that a watch can
 * start from a resourceVersion a client listed at, and handed to the open watches that select it.
 *
 * <p>It keeps the last {@code capacity} changes. A watch from a version older than those is told it
 * expired (410), as the API server tells it once its watch cache has moved on; after a restart
 * every version issued before it is older than the history.
 *
 * <p>{@link #changed} runs under the store's write lock and {@link #subscribe} must be called under
 * it too, so a watch starts exactly after the changes it replayed or listed. Both only enqueue: the
 * subscribers encode and write on their own threads.
 */
final class WatchHub implements ChangeListener {

  /** One stored change; {@code before} or {@code after} is null on create or removal. */
  record Change(long resourceVersion, ResourcePath itemPath, JsonNode before, JsonNode after) {}

  /** A watch from a resourceVersion older than the history. */
  static final class Expired extends Exception {
    private final long oldestKept;

    Expired(long requested, long oldestKept) {
      super("too old resource version: " + requested + " (" + oldestKept + ")");
      this.oldestKept = oldestKept;
    }

    long oldestKept() {
      return oldestKept;
    }
  }

  /** An open watch: the kept changes to send first, then delivery until closed. */
  static final class Subscription implements AutoCloseable {
    private final List<WatchEvent> replay;
    private final Runnable cancel;

    private Subscription(List<WatchEvent> replay, Runnable cancel) {
      this.replay = replay;
      this.cancel = cancel;
    }

    /** The kept changes after the watch's starting version that its filter selects. */
    List<WatchEvent> replay() {
      return replay;
    }

    @Override
    public void close() {
      cancel.run();
    }
  }

  private record Subscriber(WatchFilter filter, Consumer<WatchEvent> sink) {}

  private final int capacity;
  private final ArrayDeque<Change> history;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  // The newest version whose change is no longer (or, at start, never was) in the history.
  private long compacted;
  private volatile long newest;

  /**
   * @param resourceVersion the newest version issued when the hub starts listening
   * @param capacity how many changes to keep
   */
  WatchHub(long resourceVersion, int capacity) {
    this.capacity = capacity;
    this.history = new ArrayDeque<>(Math.min(capacity, 1024));
    this.compacted = resourceVersion;
    this.newest = resourceVersion;
  }

  @Override
  public void changed(
      ResourcePath itemPath,
      AttributeSet key,
      JsonNode before,
      JsonNode after,
      long resourceVersion) {
    Change change = new Change(resourceVersion, itemPath, before, after);
    synchronized (this) {
      history.addLast(change);
      while (history.size() > capacity) {
        compacted = history.removeFirst().resourceVersion();
      }
    }
    for (Subscriber subscriber : subscribers) {
      subscriber.filter().eventFor(change).ifPresent(subscriber.sink());
    }
    // After the hand-over: whoever reads this version finds the change already queued before it.
    newest = Math.max(newest, resourceVersion);
  }

  /**
   * Starts delivering to {@code sink} the changes {@code filter} selects that come after version
   * {@code from}. Call under the store's write lock.
   *
   * @throws Expired if changes after {@code from} are no longer kept
   */
  synchronized Subscription subscribe(WatchFilter filter, long from, Consumer<WatchEvent> sink)
      throws Expired {
    if (from < compacted) {
      throw new Expired(from, compacted);
    }
    List<WatchEvent> replay = new ArrayList<>();
    for (Change change : history) {
      if (change.resourceVersion() > from) {
        filter.eventFor(change).ifPresent(replay::add);
      }
    }
    Subscriber subscriber = new Subscriber(filter, sink);
    subscribers.add(subscriber);
    return new Subscription(List.copyOf(replay), () -> subscribers.remove(subscriber));
  }

  /** The newest version the hub has seen a change at (or started with). */
  long newestResourceVersion() {
    return newest;
  }

  /** How many watches are open. */
  int watches() {
    return subscribers.size();
  }
}
