package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a task's run and removes what it stored, for a cancel ({@code spec.cancel}) and for a
 * deletion. Outputs are removed only once no pod of the task's Job is left, so an upload under way
 * when the cancel came cannot put a file back after the removal.
 */
final class TaskStops {
  /** How soon to look again for the pods of a deleted Job: the operator does not watch pods. */
  static final Duration CHECK_AGAIN = Duration.ofSeconds(1);

  /** The label the job controller (and the embedded node) puts on each pod of a Job. */
  private static final String JOB_NAME_LABEL = "job-name";

  private static final Logger LOG = LoggerFactory.getLogger(TaskStops.class);

  private final S3Storage storage;

  TaskStops(S3Storage storage) {
    this.storage = storage;
  }

  /**
   * Deletes {@code job}, the task's Job (its own or the warm one it claimed), if it still exists;
   * true once neither it nor a pod of it is left. Foreground propagation keeps the Job on a cluster
   * until its pods are gone; the pods are looked for as well because not every API server (the
   * embedded one) holds the Job back.
   */
  boolean stopped(KubernetesClient client, FfmpegTask task, Job job) {
    if (job != null) {
      LOG.info(
          "Task {}: deleting Job {}", task.getMetadata().getName(), job.getMetadata().getName());
      client.resource(job).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
      return false;
    }
    String jobName = task.getStatus() == null ? null : task.getStatus().getJobName();
    return jobName == null
        || client
            .pods()
            .inNamespace(task.getMetadata().getNamespace())
            .withLabel(JOB_NAME_LABEL, jobName)
            .list()
            .getItems()
            .isEmpty();
  }

  /** Deletes every output object of the task and its worker's report. */
  void removeStored(FfmpegTask task) {
    String name = task.getMetadata().getName();
    int removed = storage.deleteUnder(StorageKeys.taskOutputs(name));
    storage.delete(StorageKeys.taskReport(task.getMetadata().getNamespace(), name));
    if (removed > 0) {
      LOG.info("Task {}: removed {} stored output(s)", name, removed);
    }
  }
}
