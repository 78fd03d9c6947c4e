package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** The pods the job controller makes from a Job's template, and how to tell whose they are. */
final class JobPods {
  static final String NODE_NAME = "local";
  static final String CONTROLLER_UID = "controller-uid";

  /** generateName keeps 5 characters for the suffix within a 63-character name. */
  private static final int MAX_PREFIX = 58;

  private JobPods() {}

  static Pod newPod(Job job, String podName, Instant now) {
    ObjectMeta jobMeta = job.getMetadata();
    ObjectMeta template = job.getSpec().getTemplate().getMetadata();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template != null && template.getLabels() != null) {
      labels.putAll(template.getLabels());
    }
    labels.put(CONTROLLER_UID, jobMeta.getUid());
    labels.put("batch.kubernetes.io/controller-uid", jobMeta.getUid());
    labels.put("job-name", jobMeta.getName());
    labels.put("batch.kubernetes.io/job-name", jobMeta.getName());
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName)
            .withNamespace(jobMeta.getNamespace())
            .withLabels(labels)
            .withAnnotations(template == null ? null : template.getAnnotations())
            .withOwnerReferences(ownerReference(job))
            .endMetadata()
            .withSpec(
                new PodSpecBuilder(job.getSpec().getTemplate().getSpec())
                    .withNodeName(NODE_NAME)
                    .build())
            .build();
    pod.setStatus(PodStatuses.pending(pod, now));
    return pod;
  }

  /** {@code <job>-<5 random lowercase letters>}, as generateName makes them. */
  static String newName(String jobName, Random random) {
    String prefix = jobName + "-";
    if (prefix.length() > MAX_PREFIX) {
      prefix = prefix.substring(0, MAX_PREFIX);
    }
    StringBuilder name = new StringBuilder(prefix);
    for (int i = 0; i < 5; i++) {
      name.append((char) ('a' + random.nextInt(26)));
    }
    return name.toString();
  }

  /** The name of the Job that controls the pod, or null if none does. */
  static String jobNameOf(Pod pod) {
    if (pod.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    return pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> "Job".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
        .map(OwnerReference::getName)
        .findFirst()
        .orElse(null);
  }

  private static OwnerReference ownerReference(Job job) {
    return new OwnerReferenceBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
