package io.ffmpegoperator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells the bench when a task's status becomes finished, from a watch on the FfmpegTasks of the
 * stack's namespace, so that it can wait for a task without polling the REST API all along: polls
 * every few milliseconds would share the cores with the ffmpeg being measured, and polls further
 * apart would add their interval to the time measured. The REST API still has the last word: the
 * bench asks it once the watch has seen the task finish.
 */
final class TaskFinishes implements AutoCloseable {
  private final Map<String, CompletableFuture<Void>> finished = new ConcurrentHashMap<>();
  private final Watch watch;

  TaskFinishes(KubernetesClient client, String namespace) {
    watch =
        client
            .resources(FfmpegTask.class)
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, FfmpegTask task) {
                    TaskState state = task.getStatus() == null ? null : task.getStatus().getState();
                    if (state != null && state.isFinished()) {
                      of(task.getMetadata().getName()).complete(null);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /**
   * Waits up to {@code time} for the watch to see the task finished; returns whether it did. A task
   * seen finished before this call returns at once.
   */
  boolean await(String taskId, Duration time) throws InterruptedException {
    try {
      of(taskId).get(time.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private CompletableFuture<Void> of(String taskId) {
    return finished.computeIfAbsent(taskId, id -> new CompletableFuture<>());
  }

  @Override
  public void close() {
    watch.close();
  }
}
