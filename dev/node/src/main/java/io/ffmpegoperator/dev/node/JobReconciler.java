package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the job controller for one namespace: reads a Job and its pods fresh from the API, writes
 * the status {@link JobController} decides and takes its step. Runs on the node's single thread.
 */
final class JobReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(JobReconciler.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Kubelet kubelet;
  private final JobController controller;
  private final Clock clock;
  private final Consumer<String> requeue;
  private final BiConsumer<String, Instant> wakeUp;
  private final Random random = new SecureRandom();

  JobReconciler(
      KubernetesClient client,
      String namespace,
      Kubelet kubelet,
      JobController controller,
      Clock clock,
      Consumer<String> requeue,
      BiConsumer<String, Instant> wakeUp) {
    this.client = client;
    this.namespace = namespace;
    this.kubelet = kubelet;
    this.controller = controller;
    this.clock = clock;
    this.requeue = requeue;
    this.wakeUp = wakeUp;
  }

  void reconcile(String jobName) {
    // Fresh reads, not the informer's cache: it may not hold our own last write yet.
    Job job = jobs().withName(jobName).get();
    if (job == null) {
      return;
    }
    if (job.getMetadata().getDeletionTimestamp() != null) {
      tearDown(job);
      return;
    }
    List<Pod> pods = kubelet.adoptOrphans(podsOf(job));
    Instant now = clock.instant();
    Job written =
        StatusWrites.update(
            jobs(),
            jobName,
            current -> {
              var status = controller.plan(current, pods, now).status();
              // Compared as JSON: the server drops empty lists and zero counts.
              if (Serialization.asJson(status).equals(Serialization.asJson(current.getStatus()))) {
                return null;
              }
              current.setStatus(status);
              return current;
            });
    if (written == null) {
      return;
    }
    JobController.Plan plan = controller.plan(written, pods, now);
    switch (plan.step()) {
      case CREATE_POD -> createPod(written);
      case TERMINATE_ACTIVE -> active(pods).forEach(kubelet::terminate);
      case DELETE_ACTIVE -> active(pods).forEach(kubelet::delete);
      case DELETE_JOB -> deleteJob(written);
      case NONE -> {}
    }
    if (plan.wakeUpAt() != null) {
      wakeUp.accept(jobName, plan.wakeUpAt());
    }
  }

  /** The Job is gone or going: kill its processes and delete its pods (the mock collects none). */
  void tearDown(Job job) {
    podsOf(job).forEach(kubelet::delete);
  }

  private void createPod(Job job) {
    for (int attempt = 1; ; attempt++) {
      Pod pod =
          JobPods.newPod(
              job, JobPods.newName(job.getMetadata().getName(), random), clock.instant());
      try {
        Pod created = client.pods().inNamespace(namespace).resource(pod).create();
        LOG.info(
            "Job {}/{}: created pod {}",
            namespace,
            job.getMetadata().getName(),
            pod.getMetadata().getName());
        kubelet.admit(created);
        // Once more, so status.active counts the new pod.
        requeue.accept(job.getMetadata().getName());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= 3) {
          throw e;
        }
      }
    }
  }

  private void deleteJob(Job job) {
    LOG.info(
        "Job {}/{}: ttlSecondsAfterFinished has passed, deleting it",
        namespace,
        job.getMetadata().getName());
    jobs()
        .withName(job.getMetadata().getName())
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    tearDown(job);
  }

  private List<Pod> podsOf(Job job) {
    String uid = job.getMetadata().getUid();
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(JobPods.CONTROLLER_UID, uid)
        .list()
        .getItems();
  }

  private static List<Pod> active(List<Pod> pods) {
    return pods.stream().filter(p -> !PodStatuses.isTerminal(p)).toList();
  }

  private NonNamespaceOperation<Job, ?, ScalableResource<Job>> jobs() {
    return client.batch().v1().jobs().inNamespace(namespace);
  }
}
