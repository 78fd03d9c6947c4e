package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a task's run and removes what it stored, for a cancel ({@code spec.cancel}) and for a
 * deletion. Outputs are removed only once no pod of the task's Job may still run, so an upload
 * under way when the cancel came cannot put a file back after the removal.
 */
final class TaskStops {
  /** How soon to look again for the pods of a stopped Job: the operator does not watch pods. */
  static final Duration CHECK_AGAIN = Duration.ofSeconds(1);

  /** The label the job controller (and the embedded node) puts on each pod of a Job. */
  private static final String JOB_NAME_LABEL = "job-name";

  /**
   * Held on every readable task, so that its deletion waits until its pod is stopped and its
   * outputs removed, whoever deletes it.
   */
  static final String FINALIZER = CrdConstants.GROUP + "/outputs";

  private static final String SUSPEND = "{\"spec\":{\"suspend\":true}}";

  private static final Logger LOG = LoggerFactory.getLogger(TaskStops.class);

  private final S3Storage storage;

  TaskStops(S3Storage storage) {
    this.storage = storage;
  }

  /**
   * Stops {@code job}, the task's Job (its own or the warm one it claimed); true once no pod of it
   * may still run, and then the Job is deleted. The Job is suspended first rather than deleted: the
   * job controller then stops its pods, which stay listed until their processes have exited, while
   * the pods of a deleted Job may be collected (as the embedded API server does) before they exit.
   */
  boolean stopped(KubernetesClient client, FfmpegTask task, Job job) {
    String namespace = task.getMetadata().getNamespace();
    String jobName =
        job != null
            ? job.getMetadata().getName()
            : task.getStatus() == null ? null : task.getStatus().getJobName();
    if (job != null && isActive(job) && !Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      LOG.info("Task {}: suspending Job {}", task.getMetadata().getName(), jobName);
      try {
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withName(jobName)
            .patch(PatchContext.of(PatchType.JSON_MERGE), SUSPEND);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw e;
        }
      }
      return false;
    }
    if (jobName != null
        && client
            .pods()
            .inNamespace(namespace)
            .withLabel(JOB_NAME_LABEL, jobName)
            .list()
            .getItems()
            .stream()
            .anyMatch(TaskStops::mayStillRun)) {
      return false;
    }
    if (job != null) {
      client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
    return true;
  }

  /** Whether the Job may still have a pod at work: it has not finished. */
  private static boolean isActive(Job job) {
    JobObservation.Phase phase = JobObservation.of(job).phase();
    return phase != JobObservation.Phase.SUCCEEDED && phase != JobObservation.Phase.FAILED;
  }

  /**
   * Whether the pod's process may still run: it has not ended. A pod being deleted stays listed
   * until its process has exited.
   */
  private static boolean mayStillRun(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /**
   * Adds the finalizer to the task unless it has it. A JSON patch that touches the finalizers only:
   * the rest of the stored task stays exactly as it is.
   */
  void hold(KubernetesClient client, FfmpegTask task) {
    List<String> finalizers = task.getMetadata().getFinalizers();
    if (finalizers != null && finalizers.contains(FINALIZER)) {
      return;
    }
    String patch =
        finalizers == null || finalizers.isEmpty()
            ? "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\""
                + FINALIZER
                + "\"]}]"
            : "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\""
                + FINALIZER
                + "\"}]";
    patchTask(client, task, patch);
  }

  /** Removes the finalizer: the task may go. */
  void release(KubernetesClient client, FfmpegTask task) {
    List<String> finalizers = task.getMetadata().getFinalizers();
    int at = finalizers == null ? -1 : finalizers.indexOf(FINALIZER);
    if (at < 0) {
      return;
    }
    // The test makes the removal fail, rather than remove another finalizer, if the list changed.
    String path = "/metadata/finalizers/" + at;
    patchTask(
        client,
        task,
        "[{\"op\":\"test\",\"path\":\""
            + path
            + "\",\"value\":\""
            + FINALIZER
            + "\"},{\"op\":\"remove\",\"path\":\""
            + path
            + "\"}]");
  }

  private static void patchTask(KubernetesClient client, FfmpegTask task, String jsonPatch) {
    try {
      client
          .resources(FfmpegTask.class)
          .inNamespace(task.getMetadata().getNamespace())
          .withName(task.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), jsonPatch);
    } catch (KubernetesClientException e) {
      // Gone already: nothing to hold or release.
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
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
