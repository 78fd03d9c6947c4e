package io.ffmpegoperator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this process first saw each step of a task's life, in milliseconds of {@link
 * System#nanoTime()}. The stack's own timestamps are whole seconds, too coarse for sub-second
 * tasks, so the bench watches the resources itself (the watch runs in the same JVM as the mock API
 * server, so delivery adds little).
 */
final class Lifecycle implements AutoCloseable {
  /** Steps, in the order they happen. */
  enum Step {
    TASK_CREATED,
    JOB_CREATED,
    POD_CREATED,
    POD_RUNNING,
    POD_FINISHED,
    TASK_RUNNING,
    TASK_FINISHED
  }

  private final Map<String, Map<Step, Double>> seen = new ConcurrentHashMap<>();
  private final List<Watch> watches;

  Lifecycle(KubernetesClient client, String namespace) {
    watches =
        List.of(
            client
                .resources(FfmpegTask.class)
                .inNamespace(namespace)
                .watch(
                    watcher(
                        (FfmpegTask t) -> {
                          String id = t.getMetadata().getName();
                          mark(id, Step.TASK_CREATED);
                          TaskState state = t.getStatus() == null ? null : t.getStatus().getState();
                          if (state == TaskState.Running) {
                            mark(id, Step.TASK_RUNNING);
                          } else if (state != null && state.isFinished()) {
                            mark(id, Step.TASK_FINISHED);
                          }
                        })),
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .watch(
                    watcher(
                        (Job j) -> {
                          String id = taskOf(j.getMetadata().getName());
                          if (id != null) {
                            mark(id, Step.JOB_CREATED);
                          }
                        })),
            client
                .pods()
                .inNamespace(namespace)
                .watch(
                    watcher(
                        (Pod p) -> {
                          var labels = p.getMetadata().getLabels();
                          String id = labels == null ? null : taskOf(labels.get("job-name"));
                          if (id == null) {
                            return;
                          }
                          mark(id, Step.POD_CREATED);
                          String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
                          if ("Running".equals(phase)) {
                            mark(id, Step.POD_RUNNING);
                          } else if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                            mark(id, Step.POD_FINISHED);
                          }
                        })));
  }

  private static String taskOf(String jobName) {
    return jobName != null && jobName.startsWith("fft-") ? jobName.substring(4) : null;
  }

  private void mark(String id, Step step) {
    seen.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putIfAbsent(step, Bench.nowMs());
  }

  /** The first time each step of this task was seen; absent steps were not seen. */
  Map<Step, Double> of(String taskId) {
    return seen.getOrDefault(taskId, Map.of());
  }

  private static <T> Watcher<T> watcher(java.util.function.Consumer<T> onEvent) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action != Action.DELETED) {
          onEvent.accept(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
