package io.ffmpegoperator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this process first saw each step of a task's life, in milliseconds of {@link
 * System#nanoTime()}. The stack's own timestamps are whole seconds, too coarse for sub-second
 * tasks, so the bench watches the resources itself (the watch runs in the same JVM as the mock API
 * server, so delivery adds little).
 *
 * <p>A task's Job is either its own, {@code fft-<task>}, or a warm worker's Job ({@code
 * fft-warm-<random>}) it claimed: the operator then annotates that Job with {@value
 * #TASK_ANNOTATION}, and {@link Step#JOB_CREATED} is the first event that shows the annotation. A
 * warm Job's pod was created and running before any task, so of its pod only {@link
 * Step#POD_FINISHED} is the task's.
 */
final class Lifecycle implements AutoCloseable {
  /** On a claimed warm worker's Job: the task that claimed it. */
  static final String TASK_ANNOTATION = CrdConstants.GROUP + "/task";

  /** On a warm worker's Job, claimed or not. */
  static final String WARM_LABEL = CrdConstants.GROUP + "/warm";

  /** On a warm Job whose pod has asked for an order: only such a Job can be claimed. */
  static final String ASKED_ANNOTATION = CrdConstants.GROUP + "/asked-at";

  /** The instance label of a warm worker's pod (made before any task is known). */
  private static final String WARM_INSTANCE = "warm";

  private static final String OWN_JOB_PREFIX = "fft-";

  /** Steps, in the order they happen. */
  enum Step {
    TASK_CREATED,
    /** The task's own Job was created, or a warm worker's Job was claimed for it. */
    JOB_CREATED,
    /** Only for a task's own Job: a warm Job's pod is older than the task. */
    POD_CREATED,
    /** Only for a task's own Job. */
    POD_RUNNING,
    POD_FINISHED,
    TASK_RUNNING,
    TASK_FINISHED
  }

  private final Map<String, Map<Step, Double>> seen = new ConcurrentHashMap<>();

  /** Job name → task, for every Job known to be a task's (its own, or claimed). */
  private final Map<String, String> taskOfJob = new ConcurrentHashMap<>();

  /** Task → the name of the warm Job it claimed. */
  private final Map<String, String> claimed = new ConcurrentHashMap<>();

  private final Set<String> claimedJobs = ConcurrentHashMap.newKeySet();
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
            client.batch().v1().jobs().inNamespace(namespace).watch(watcher(this::onJob)),
            client.pods().inNamespace(namespace).watch(watcher(this::onPod)));
  }

  private void onJob(Job j) {
    String name = j.getMetadata().getName();
    var annotations = j.getMetadata().getAnnotations();
    String claimedBy = annotations == null ? null : annotations.get(TASK_ANNOTATION);
    if (claimedBy != null) {
      // Pod events seen from now on are this task's.
      claimedJobs.add(name);
      claimed.putIfAbsent(claimedBy, name);
      taskOfJob.putIfAbsent(name, claimedBy);
      mark(claimedBy, Step.JOB_CREATED);
      return;
    }
    var labels = j.getMetadata().getLabels();
    boolean warm = labels != null && "true".equals(labels.get(WARM_LABEL));
    String id = warm ? null : ownTask(name);
    if (id != null) {
      taskOfJob.putIfAbsent(name, id);
      mark(id, Step.JOB_CREATED);
    }
  }

  private void onPod(Pod p) {
    var labels = p.getMetadata().getLabels();
    if (labels == null || labels.get("job-name") == null) {
      return;
    }
    String job = labels.get("job-name");
    String id = taskOfJob.get(job);
    if (id == null) {
      // A pod event ahead of its Job's: only a task's own Job can be told by its name; an
      // unclaimed warm worker's pod belongs to no task yet.
      if (WARM_INSTANCE.equals(labels.get(CrdConstants.LABEL_INSTANCE))) {
        return;
      }
      id = ownTask(job);
      if (id == null) {
        return;
      }
    }
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
    if (claimedJobs.contains(job)) {
      // Created and running long before the claim: only its end is the task's.
      if (finished) {
        mark(id, Step.POD_FINISHED);
      }
      return;
    }
    mark(id, Step.POD_CREATED);
    if ("Running".equals(phase)) {
      mark(id, Step.POD_RUNNING);
    } else if (finished) {
      mark(id, Step.POD_FINISHED);
    }
  }

  /** The task of a Job named {@code fft-<task>}, or null; warm Jobs are told apart by label. */
  private static String ownTask(String jobName) {
    return jobName != null && jobName.startsWith(OWN_JOB_PREFIX)
        ? jobName.substring(OWN_JOB_PREFIX.length())
        : null;
  }

  private void mark(String id, Step step) {
    seen.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putIfAbsent(step, Clock.nowMs());
  }

  /** The first time each step of this task was seen; absent steps were not seen. */
  Map<Step, Double> of(String taskId) {
    return seen.getOrDefault(taskId, Map.of());
  }

  /** The warm worker Job this task claimed, or null if it was not seen claiming one. */
  String claimedJob(String taskId) {
    return claimed.get(taskId);
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
