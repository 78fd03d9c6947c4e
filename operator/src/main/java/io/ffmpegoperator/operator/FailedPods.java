package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a failed Job's pods say when its worker could not: a worker the kernel killed for passing
 * the pod's memory limit (its container terminated {@value #OOM_KILLED}) wrote no report saying so.
 * Read only for a Job that failed with no failure report, so it costs a task one pod list at most.
 */
final class FailedPods {
  /** The container state reason a kubelet writes for a container the OOM killer ended. */
  static final String OOM_KILLED = "OOMKilled";

  /** The job controller's label on each pod of a Job, with the Job's uid. */
  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

  private final KubernetesClient client;

  FailedPods(KubernetesClient client) {
    this.client = client;
  }

  /**
   * {@code out of memory (limit 256Mi)} when the worker container of the Job's last failed pod was
   * OOM-killed, with the limit its pod had; else empty.
   */
  Optional<String> outOfMemory(Job job) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(job.getMetadata().getNamespace())
            .withLabel(CONTROLLER_UID, job.getMetadata().getUid())
            .list()
            .getItems();
    return pods.stream()
        .filter(pod -> terminated(pod) != null)
        .max(Comparator.comparing(pod -> Objects.toString(terminated(pod).getFinishedAt(), "")))
        .filter(pod -> OOM_KILLED.equals(terminated(pod).getReason()))
        .map(pod -> "out of memory (" + limit(pod) + ")");
  }

  /** How the worker container ended, or null while it has not. */
  private static ContainerStateTerminated terminated(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> WorkerJobFactory.CONTAINER.equals(s.getName()))
        .map(ContainerStatus::getState)
        .filter(state -> state != null && state.getTerminated() != null)
        .map(ContainerState::getTerminated)
        .findFirst()
        .orElse(null);
  }

  private static String limit(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> WorkerJobFactory.CONTAINER.equals(c.getName()))
        .map(Container::getResources)
        .filter(r -> r != null && r.getLimits() != null && r.getLimits().containsKey("memory"))
        .map(r -> "limit " + quantity(r.getLimits().get("memory")))
        .findFirst()
        .orElse("no limit");
  }

  private static String quantity(Quantity quantity) {
    return quantity.getAmount() + (quantity.getFormat() == null ? "" : quantity.getFormat());
  }
}
