package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.FfmpegTask;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on tasks, so {@code kubectl describe fft} tells their story. */
final class TaskEvents {
  private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);
  private static final String COMPONENT = "ffmpeg-operator";

  private final KubernetesClient client;

  TaskEvents(KubernetesClient client) {
    this.client = client;
  }

  void normal(FfmpegTask task, String reason, String message) {
    record(task, "Normal", reason, message);
  }

  void warning(FfmpegTask task, String reason, String message) {
    record(task, "Warning", reason, message);
  }

  private void record(FfmpegTask task, String type, String reason, String message) {
    String now = TaskStatuses.timestamp(Instant.now());
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                task.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .withNamespace(task.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(task.getApiVersion())
                    .withKind(task.getKind())
                    .withName(task.getMetadata().getName())
                    .withNamespace(task.getMetadata().getNamespace())
                    .withUid(task.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(task.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: losing one must never fail a reconcile.
      LOG.warn(
          "Could not record event {} on task {}: {}",
          reason,
          task.getMetadata().getName(),
          e.getMessage());
    }
  }
}
