package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.ffmpegoperator.crds.CrdConstants;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;

/**
 * Gives the pods of claimed warm Jobs their task's instance label, so that a task's pod is found by
 * it whether it ran on a warm worker or on a Job of its own. A Job's pod template cannot change
 * after it is made, so the pods are patched themselves. Level-driven: whatever pod of a claimed Job
 * still says {@value WorkerJobFactory#WARM_INSTANCE}, a retried one included, is relabelled.
 */
final class ClaimedPods {
  private final KubernetesClient client;

  ClaimedPods(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Relabels the warm-labelled pods of {@code namespace} whose Job is a key of {@code instances},
   * with that Job's instance label.
   */
  void relabel(String namespace, Map<String, String> instances) {
    List<Pod> warmPods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(CrdConstants.LABEL_INSTANCE, WorkerJobFactory.WARM_INSTANCE)
            .withLabel(CrdConstants.LABEL_MANAGED_BY, WorkerJobFactory.MANAGED_BY)
            .list()
            .getItems();
    for (Pod pod : warmPods) {
      String instance = instances.get(jobOf(pod));
      if (instance == null) {
        continue;
      }
      try {
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod.getMetadata().getName())
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\""
                    + CrdConstants.LABEL_INSTANCE
                    + "\":\""
                    + instance
                    + "\"}}}");
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw e;
        }
      }
    }
  }

  /** The name of the Job that controls {@code pod}, as the job controller records it. */
  private static String jobOf(Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    return owners == null
        ? null
        : owners.stream()
            .filter(o -> "Job".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
            .map(OwnerReference::getName)
            .findFirst()
            .orElse(null);
  }
}
