package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.policy.TaskCommand;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Job of each task: the one it has, else a warm worker it claims (unless the task asks for
 * resources of its own), else a Job of its own. A task's Job is created once, under a name derived
 * from the task, so a second start after a restart finds the first one ("already exists") instead
 * of making another.
 */
final class TaskJobs {
  static final String REASON_WARM_WORKER_CLAIMED = "WarmWorkerClaimed";

  private static final Logger LOG = LoggerFactory.getLogger(TaskJobs.class);

  private final WorkerJobFactory jobs;
  private final WarmClaim warm;
  private final ResourceEvents events;

  /**
   * @param warm claims warm workers for tasks; null where there are none
   */
  TaskJobs(WorkerJobFactory jobs, WarmClaim warm, ResourceEvents events) {
    this.jobs = jobs;
    this.warm = warm;
    this.events = events;
  }

  /**
   * The task's Job when the cache's index of owners has not shown it (yet): by the name in the
   * status, through the watch, which also holds this process's own recent claims; else, right after
   * the Job was created or claimed, from the API server, among the Jobs with the task's instance
   * label: its own, or the warm one it claimed. Null when it has none.
   */
  Job find(KubernetesClient client, FfmpegTask task, JobEvents watched) {
    String namespace = task.getMetadata().getNamespace();
    FfmpegTaskStatus status = task.getStatus();
    if (status != null && status.getJobName() != null) {
      Optional<Job> named = watched.get(namespace, status.getJobName());
      if (named.isPresent()) {
        return named.get();
      }
    }
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabel(CrdConstants.LABEL_INSTANCE, JobNames.labelValue(task.getMetadata().getName()))
        .list()
        .getItems()
        .stream()
        .filter(
            job ->
                job.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(task.getMetadata().getUid())))
        .findFirst()
        .orElse(null);
  }

  /**
   * Claims a warm worker for the task if one is ready and the task asks for no resources of its
   * own, else creates its Job; returns its name.
   */
  String start(KubernetesClient client, FfmpegTask task, TaskCommand command, JobEvents watched) {
    // A warm worker's pod has the default size, and a pod's resources are fixed once it runs: a
    // task that asks for its own size needs a pod made for it.
    if (warm != null && WorkerJobFactory.resources(task.getSpec()) == null) {
      Optional<Job> claimed = warm.claim(task, jobs.timeoutOf(task), watched);
      if (claimed.isPresent()) {
        String name = claimed.get().getMetadata().getName();
        events.normal(task, REASON_WARM_WORKER_CLAIMED, "Claimed warm worker Job " + name);
        return name;
      }
    }
    Job job = jobs.build(task, command);
    try {
      client.resource(job).create();
    } catch (KubernetesClientException e) {
      // A Job made by an earlier run of the operator is exactly the Job we want.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return job.getMetadata().getName();
    }
    LOG.info("Created Job {}/{}", job.getMetadata().getNamespace(), job.getMetadata().getName());
    // Recorded here, where the Job is made, rather than on the status change: a reconcile that
    // still sees the old status must not tell the story twice.
    events.normal(
        task, TaskStatuses.REASON_JOB_CREATED, "Created Job " + job.getMetadata().getName());
    return job.getMetadata().getName();
  }
}
