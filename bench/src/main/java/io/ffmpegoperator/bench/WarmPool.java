package io.ffmpegoperator.bench;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The stack's warm workers as the bench sees them: how many the operator keeps, when they are all
 * up, and whether a task claimed one or had a Job of its own.
 */
final class WarmPool {
  /** Longest wait for the warm workers to be up before a timed item. */
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final EmbeddedStack stack;

  WarmPool(EmbeddedStack stack) {
    this.stack = stack;
  }

  /** How many unclaimed warm workers the operator keeps. */
  int count() {
    return stack.config().warmWorkers();
  }

  /** Pods the local node runs at once: one working pod per CPU plus the idle warm ones. */
  int nodeCapacity() {
    return Runtime.getRuntime().availableProcessors() + count();
  }

  /**
   * Waits until {@link #count()} unclaimed, live warm Jobs have a pod that logged {@value
   * WorkerLog#WAITING} and that the operator has seen ask (only such a Job is claimed), so what is
   * timed next does not meet a pool still starting.
   */
  void awaitReady() throws Exception {
    int want = count();
    if (want == 0) {
      return;
    }
    double t0 = Clock.nowMs();
    double deadline = t0 + TIMEOUT.toMillis();
    int ready = 0;
    while (true) {
      ready = 0;
      for (Job job :
          stack
              .kubernetesClient()
              .batch()
              .v1()
              .jobs()
              .inNamespace(stack.config().namespace())
              .withLabel(Lifecycle.WARM_LABEL, "true")
              .list()
              .getItems()) {
        var annotations = job.getMetadata().getAnnotations();
        boolean claimed = annotations != null && annotations.containsKey(Lifecycle.TASK_ANNOTATION);
        boolean asked = annotations != null && annotations.containsKey(Lifecycle.ASKED_ANNOTATION);
        if (!claimed
            && asked
            && job.getMetadata().getDeletionTimestamp() == null
            && !finished(job)
            && WorkerLog.waiting(stack.config().home(), job.getMetadata().getName())) {
          ready++;
        }
      }
      if (ready >= want) {
        break;
      }
      if (Clock.nowMs() > deadline) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "only %d of %d warm workers were waiting for a work order after %d s",
                ready,
                want,
                TIMEOUT.toSeconds()));
      }
      Thread.sleep(100);
    }
    double waited = Clock.nowMs() - t0;
    if (waited > 500) {
      Log.line(
          String.format(Locale.ROOT, "   waited %.1f s for %d warm workers", waited / 1000, want));
    }
  }

  private static boolean finished(Job job) {
    var status = job.getStatus();
    return status != null
        && status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  /** The task's Job as its status names it: its own or the warm worker's it claimed. */
  String jobNameOf(String taskId) {
    FfmpegTask task =
        stack
            .kubernetesClient()
            .resources(FfmpegTask.class)
            .inNamespace(stack.config().namespace())
            .withName(taskId)
            .get();
    return task == null || task.getStatus() == null ? null : task.getStatus().getJobName();
  }

  /** A task whose Job is not {@code fft-<task>} claimed a warm worker's Job. */
  static boolean ranOnWarmWorker(String taskId, String jobName) {
    return jobName != null && !jobName.equals("fft-" + taskId);
  }
}
