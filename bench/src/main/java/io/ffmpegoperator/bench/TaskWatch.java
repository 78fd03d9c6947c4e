package io.ffmpegoperator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskState;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bench's own watch on a stack's FfmpegTasks: when this JVM first saw each task, with a Job and
 * finished, and, per client, how many of its tasks held a slot at once. A task holds a slot while
 * it has a Job and has not finished, which is what the operator's client queues count; the count is
 * taken again after every event, so no moment the API server showed is missed between two samples.
 */
final class TaskWatch implements AutoCloseable {
  /** The client of a task made with keys off, which has no client label. */
  static final String NO_CLIENT = "";

  private static final String QUEUED = "Queued";

  private final Map<String, FfmpegTask> latest = new HashMap<>();
  private final Map<String, Double> seenAt = new HashMap<>();
  private final Map<String, String> command = new HashMap<>();
  private final Map<String, Double> finishedAt = new HashMap<>();
  private final Map<String, Double> jobAt = new HashMap<>();
  private final Map<String, String> jobName = new HashMap<>();
  private final Map<String, TaskState> finalState = new HashMap<>();
  private final Map<String, Set<String>> holding = new HashMap<>();
  private final Map<String, Integer> mostHolding = new HashMap<>();
  private final Watch watch;

  TaskWatch(KubernetesClient client, String namespace) {
    watch =
        client
            .resources(FfmpegTask.class)
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, FfmpegTask task) {
                    seen(action, task, Clock.nowMs());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  private synchronized void seen(Watcher.Action action, FfmpegTask task, double now) {
    String id = task.getMetadata().getName();
    String client = clientOf(task);
    Set<String> slots = holding.computeIfAbsent(client, c -> new HashSet<>());
    if (action == Watcher.Action.DELETED) {
      latest.remove(id);
      slots.remove(id);
      return;
    }
    latest.put(id, task);
    seenAt.putIfAbsent(id, now);
    if (task.getSpec() != null) {
      command.putIfAbsent(id, task.getSpec().getCommand());
    }
    FfmpegTaskStatus status = task.getStatus();
    TaskState state = status == null ? null : status.getState();
    boolean finished = state != null && state.isFinished();
    if (status != null && status.getJobName() != null && !jobAt.containsKey(id)) {
      jobAt.put(id, now);
      jobName.put(id, status.getJobName());
    }
    if (finished && !finishedAt.containsKey(id)) {
      finishedAt.put(id, now);
      finalState.put(id, state);
      notifyAll();
    }
    if (!finished && status != null && status.getJobName() != null) {
      slots.add(id);
    } else {
      slots.remove(id);
    }
    mostHolding.merge(client, slots.size(), Math::max);
  }

  private static String clientOf(FfmpegTask task) {
    Map<String, String> labels = task.getMetadata().getLabels();
    String client = labels == null ? null : labels.get(CrdConstants.LABEL_CLIENT);
    return client == null ? NO_CLIENT : client;
  }

  /** When this JVM first saw the task at all, its creation ({@link Clock#nowMs()}), or null. */
  synchronized Double seenAt(String id) {
    return seenAt.get(id);
  }

  /** The task's ffmpeg command as first seen, or null; kept after the task is deleted. */
  synchronized String command(String id) {
    return command.get(id);
  }

  /** When this JVM first saw the task finished ({@link Clock#nowMs()}), or null. */
  synchronized Double finishedAt(String id) {
    return finishedAt.get(id);
  }

  /**
   * When this JVM first saw the task with a Job ({@link Clock#nowMs()}): when the operator let it
   * start, its own Job made or a warm worker's claimed; null if never.
   */
  synchronized Double jobAt(String id) {
    return jobAt.get(id);
  }

  /** The first Job the task was seen with, or null. */
  synchronized String jobName(String id) {
    return jobName.get(id);
  }

  /** The state the task was first seen finished in, or null. */
  synchronized TaskState finalState(String id) {
    return finalState.get(id);
  }

  /** The most tasks of the client seen holding a slot at once since the watch opened. */
  synchronized int mostHolding(String client) {
    return mostHolding.getOrDefault(client, 0);
  }

  /** The client's tasks that wait for a slot now (reason {@value #QUEUED}). */
  synchronized int queued(String client) {
    int queued = 0;
    for (FfmpegTask task : latest.values()) {
      FfmpegTaskStatus status = task.getStatus();
      if (clientOf(task).equals(client)
          && status != null
          && status.getJobName() == null
          && (status.getState() == null || !status.getState().isFinished())
          && QUEUED.equals(status.getReason())) {
        queued++;
      }
    }
    return queued;
  }

  /** Waits up to {@code timeoutMs} until every one of the tasks was seen finished; whether. */
  synchronized boolean awaitFinished(Collection<String> ids, double timeoutMs)
      throws InterruptedException {
    double deadline = Clock.nowMs() + timeoutMs;
    while (!finishedAt.keySet().containsAll(ids)) {
      double left = deadline - Clock.nowMs();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, (long) Math.min(left, 1000)));
    }
    return true;
  }

  @Override
  public void close() {
    watch.close();
  }
}
