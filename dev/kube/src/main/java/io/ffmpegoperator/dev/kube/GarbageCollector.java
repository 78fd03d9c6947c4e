package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.dev.kube.FileBackedStore.StoredObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes objects whose owners (ownerReferences) are all gone, in the background after the owner's
 * removal, as the API server's garbage collector does with background propagation.
 *
 * <p>A pass reads every stored object, so removals are batched: all owners removed while a pass
 * runs are handled by the next one. Removals come in bursts (Events expiring, a namespace of tasks
 * deleted), and one pass per removed object would read the whole store hundreds of times over.
 */
final class GarbageCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final PersistentCrudDispatcher crud;
  // Owners removed since the last pass took them; a pass is queued whenever this becomes non-empty.
  private final Set<String> removed = new HashSet<>();
  // One thread: collections run one after another, and a dependent's own removal queues the next
  // level of the cascade behind it.
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "embedded-kube-gc");
            thread.setDaemon(true);
            return thread;
          });

  GarbageCollector(PersistentCrudDispatcher crud) {
    this.crud = crud;
  }

  /** Schedules the collection of the dependents of a removed object. */
  void ownerRemoved(String uid) {
    if (uid.isEmpty()) {
      return;
    }
    synchronized (removed) {
      if (!removed.add(uid) || removed.size() > 1) {
        return; // a pass is queued already and will take this one too
      }
    }
    try {
      worker.execute(this::collectRemoved);
    } catch (RejectedExecutionException e) {
      LOG.debug("Stopped; dependents of {} are collected at the next start", uid);
    }
  }

  /** Schedules one pass over everything, for owners removed while the server was down. */
  void sweep() {
    worker.execute(() -> collect(null));
  }

  private void collectRemoved() {
    Set<String> owners;
    synchronized (removed) {
      owners = new HashSet<>(removed);
      removed.clear();
    }
    collect(owners);
  }

  /**
   * Deletes the dependents of {@code removedUids} (of any removed owner if null) left ownerless.
   * Their own removals queue the next level of the cascade.
   */
  private void collect(Set<String> removedUids) {
    List<StoredObject> objects = crud.snapshot();
    if (removedUids != null && objects.stream().noneMatch(o -> mentionsAny(o, removedUids))) {
      // No stored object so much as contains a removed uid, so none is its dependent: the usual
      // case (an Event, a pod), settled by a text search instead of parsing the whole store.
      return;
    }
    Set<String> uids = new HashSet<>();
    List<Dependent> dependents = new ArrayList<>();
    for (StoredObject object : objects) {
      JsonNode node = object.tree();
      JsonNode metadata = node.path("metadata");
      uids.add(metadata.path("uid").asText());
      if (metadata.path("ownerReferences").size() > 0) {
        Set<String> owners = new HashSet<>();
        metadata.path("ownerReferences").forEach(r -> owners.add(r.path("uid").asText()));
        dependents.add(new Dependent(object.path(), owners));
      }
    }
    for (Dependent dependent : dependents) {
      // Only dependents of the removed owner: an object pointing at a uid that never existed is
      // left alone until the next start (tests often use made-up owner uids).
      boolean concerned =
          removedUids == null || dependent.owners().stream().anyMatch(removedUids::contains);
      if (concerned && dependent.owners().stream().noneMatch(uids::contains)) {
        LOG.debug("Deleting {}: its owners are gone", dependent.path().itemPath());
        crud.handleDelete(dependent.path().itemPath());
      }
    }
  }

  private record Dependent(ResourcePath path, Set<String> owners) {}

  private static boolean mentionsAny(StoredObject object, Set<String> uids) {
    for (String uid : uids) {
      if (object.json().contains(uid)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
