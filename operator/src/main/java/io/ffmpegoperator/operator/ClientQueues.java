package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskPriority;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Fair sharing between API clients. A client whose key carries a limit of running tasks (see {@code
 * ApiClients}) has its further tasks wait, Pending with reason {@value #REASON_QUEUED}, and start
 * as its running ones end: by priority, then by submit time. Clients without a limit, and tasks of
 * no client (kubectl, or keys off), start at once as before; one client's queue never holds up
 * another's.
 *
 * <p>What runs is read from the tasks' informer cache: a task with a Job that has not finished. The
 * cache lags this replica's own decisions by a status write, so those are remembered until the
 * cache shows them: a task let start counts as running, and a task that ended as not, in between.
 * Only the leader reconciles, so these decisions are the only ones made.
 */
final class ClientQueues {
  static final String REASON_QUEUED = "Queued";

  /**
   * When a waiting task looks again on its own. Ends of running tasks wake the next ones at once;
   * this only bounds the wait after a wake-up was lost (a failed status write, say).
   */
  static final Duration LOOK_AGAIN = Duration.ofMinutes(2);

  static final String INDEX = "client";

  private static final Comparator<FfmpegTask> START_ORDER =
      Comparator.comparing(ClientQueues::priority)
          .thenComparing(ClientQueues::submitted)
          .thenComparing(t -> t.getMetadata().getName());

  private final Map<String, Integer> limits;

  /**
   * This replica's decisions that its cache may not show yet, by client: uid → counts as running.
   * Kept for the tasks the cache still has, so a deleted task's is dropped at the next look.
   */
  private final Map<String, Map<String, Boolean>> decided = new HashMap<>();

  private Function<String, List<FfmpegTask>> tasksOfClient = client -> List.of();
  private Consumer<ResourceID> wake = id -> {};

  /**
   * @param limits each limited client's most running tasks
   */
  ClientQueues(Map<String, Integer> limits) {
    this.limits = Map.copyOf(limits);
  }

  /**
   * Where the queues read tasks (the cache's index by client, {@link #INDEX}) and how a waiting
   * task is woken; set once the reconciler's cache exists.
   */
  synchronized void connect(
      Function<String, List<FfmpegTask>> tasksOfClient, Consumer<ResourceID> wake) {
    this.tasksOfClient = tasksOfClient;
    this.wake = wake;
  }

  /** The value {@link #INDEX} files a task under: its client, or "" for none. */
  static String clientOf(FfmpegTask task) {
    Map<String, String> labels = task.getMetadata().getLabels();
    String client = labels == null ? null : labels.get(CrdConstants.LABEL_CLIENT);
    return client == null ? "" : client;
  }

  /**
   * Whether the task may start now; if so it counts as running from here on. Otherwise why it
   * waits, for its status.
   */
  synchronized Optional<String> waitReason(FfmpegTask task) {
    String client = clientOf(task);
    Integer limit = limits.get(client);
    if (limit == null) {
      return Optional.empty();
    }
    List<FfmpegTask> tasks = tasksOfClient.apply(client);
    Map<String, Boolean> mine = decisions(client, tasks);
    int running = 0;
    List<FfmpegTask> waiting = new ArrayList<>();
    boolean listed = false;
    for (FfmpegTask other : tasks) {
      listed |= uid(other).equals(uid(task));
      if (countsAsRunning(other, mine)) {
        running++;
      } else if (waits(other)) {
        waiting.add(other);
      }
    }
    if (!listed) {
      // Not in the cache yet (the reconciler may see a newer copy): it waits all the same.
      waiting.add(task);
    }
    // The messages name no counts that move with the queue: a client with a long backlog would
    // otherwise have every waiting task's status rewritten each time one of its tasks starts.
    String slots = "client " + client + " may run " + limit + (limit == 1 ? " task" : " tasks");
    if (running >= limit) {
      return Optional.of("Waiting for a free slot: " + slots + " at once, and all are taken");
    }
    long ahead = waiting.stream().filter(other -> START_ORDER.compare(other, task) < 0).count();
    if (running + ahead < limit) {
      mine.put(uid(task), true);
      return Optional.empty();
    }
    return Optional.of(
        "Waiting for a free slot: "
            + slots
            + " at once, and its tasks of higher priority or submitted earlier start first");
  }

  /** The task was let start but did not (its Job could not be made): it does not run. */
  synchronized void notStarted(FfmpegTask task) {
    decided.getOrDefault(clientOf(task), new HashMap<>()).remove(uid(task));
  }

  /**
   * The task ended (finished, cancelled or deleted): its slot is free, and the client's next
   * waiting tasks are woken to take it.
   */
  void ended(FfmpegTask task) {
    String client = clientOf(task);
    Integer limit = limits.get(client);
    if (limit == null) {
      return;
    }
    List<ResourceID> next = new ArrayList<>();
    Consumer<ResourceID> wakeUp;
    synchronized (this) {
      wakeUp = wake;
      List<FfmpegTask> tasks = tasksOfClient.apply(client);
      Map<String, Boolean> mine = decisions(client, tasks);
      mine.put(uid(task), false);
      long running = tasks.stream().filter(t -> countsAsRunning(t, mine)).count();
      tasks.stream()
          .filter(t -> !countsAsRunning(t, mine) && waits(t))
          .sorted(START_ORDER)
          .limit(Math.max(0, limit - running))
          .forEach(t -> next.add(ResourceID.fromResource(t)));
    }
    // Outside the lock: waking queues a reconcile, which may take the lock on another thread.
    next.forEach(wakeUp);
  }

  /**
   * Whether the task holds a slot: this replica let it start or the cache shows it with a Job and
   * not finished, unless this replica saw it end. A decision the cache has caught up with is
   * forgotten.
   */
  private static boolean countsAsRunning(FfmpegTask task, Map<String, Boolean> decisions) {
    FfmpegTaskStatus status = task.getStatus();
    boolean finished =
        status != null && status.getState() != null && status.getState().isFinished();
    boolean cached = !finished && status != null && status.getJobName() != null;
    Boolean decided = decisions.get(uid(task));
    if (decided == null) {
      return cached;
    }
    if (finished || decided == cached) {
      decisions.remove(uid(task));
      return cached;
    }
    return decided;
  }

  /** The client's decisions, without those of tasks the cache no longer has. */
  private Map<String, Boolean> decisions(String client, List<FfmpegTask> tasks) {
    Map<String, Boolean> decisions = decided.computeIfAbsent(client, c -> new HashMap<>());
    if (!decisions.isEmpty()) {
      decisions.keySet().retainAll(tasks.stream().map(ClientQueues::uid).toList());
    }
    return decisions;
  }

  /** Whether the task is one that waits for a slot: not started, not ended, not on its way out. */
  private static boolean waits(FfmpegTask task) {
    // A parallel task never starts a Job: its children wait and run in its place.
    if (ParallelRuns.isParallel(task)) {
      return false;
    }
    FfmpegTaskStatus status = task.getStatus();
    if (status != null
        && (status.getJobName() != null
            || (status.getState() != null && status.getState().isFinished()))) {
      return false;
    }
    FfmpegTaskSpec spec = task.getSpec();
    return !task.isMarkedForDeletion() && (spec == null || !spec.cancelRequested());
  }

  private static TaskPriority priority(FfmpegTask task) {
    FfmpegTaskSpec spec = task.getSpec();
    return spec == null || spec.getPriority() == null ? TaskPriority.Normal : spec.getPriority();
  }

  /**
   * When the task was submitted: the bridge's annotation, to the millisecond, else (kubectl, or a
   * value this version cannot read) its creation time; a task with neither sorts last.
   */
  private static Instant submitted(FfmpegTask task) {
    Map<String, String> annotations = task.getMetadata().getAnnotations();
    String submitted =
        annotations == null ? null : annotations.get(CrdConstants.ANNOTATION_SUBMITTED);
    for (String time : new String[] {submitted, task.getMetadata().getCreationTimestamp()}) {
      if (time != null) {
        try {
          return Instant.parse(time);
        } catch (DateTimeParseException e) {
          // Written by hand, or by another version: the next source of the time.
        }
      }
    }
    return Instant.MAX;
  }

  private static String uid(FfmpegTask task) {
    String uid = task.getMetadata().getUid();
    return uid == null ? task.getMetadata().getName() : uid;
  }
}
