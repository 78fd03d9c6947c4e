package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on our resources, so {@code kubectl describe} tells their story. */
final class ResourceEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceEvents.class);
  private static final String COMPONENT = "ffmpeg-operator";

  private final KubernetesClient client;

  ResourceEvents(KubernetesClient client) {
    this.client = client;
  }

  void normal(HasMetadata resource, String reason, String message) {
    record(resource, "Normal", reason, message);
  }

  void warning(HasMetadata resource, String reason, String message) {
    record(resource, "Warning", reason, message);
  }

  private void record(HasMetadata resource, String type, String reason, String message) {
    String now = TaskStatuses.timestamp(Instant.now());
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                resource.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .withNamespace(resource.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(resource.getApiVersion())
                    .withKind(resource.getKind())
                    .withName(resource.getMetadata().getName())
                    .withNamespace(resource.getMetadata().getNamespace())
                    .withUid(resource.getMetadata().getUid())
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
      client
          .v1()
          .events()
          .inNamespace(resource.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: losing one must never fail a reconcile.
      LOG.warn(
          "Could not record event {} on {}: {}",
          reason,
          resource.getMetadata().getName(),
          e.getMessage());
    }
  }
}
