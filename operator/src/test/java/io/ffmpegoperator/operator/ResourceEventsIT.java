package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Events are written in the background: none recorded before a stop is lost, none after it. */
@EnableKubernetesMockClient(crud = true)
class ResourceEventsIT {
  private static final String NS = "media";

  KubernetesClient client;

  @Test
  void closingWritesEveryEventRecordedBeforeIt() {
    ConfigMap subject =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("a")
            .withNamespace(NS)
            .endMetadata()
            .build();
    ResourceEvents events = new ResourceEvents(client);
    IntStream.range(0, 30).forEach(i -> events.normal(subject, "Step" + i, "step " + i));
    events.warning(subject, "Last", "the last one");

    events.close();

    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .hasSize(31)
        .allSatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("a"))
        .extracting(Event::getType)
        .containsOnly("Normal", "Warning");
  }

  @Test
  void anEventRecordedAfterCloseIsDroppedWithoutFailingItsCaller() {
    ConfigMap subject =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("b")
            .withNamespace(NS)
            .endMetadata()
            .build();
    ResourceEvents events = new ResourceEvents(client);
    events.close();

    events.normal(subject, "TooLate", "recorded after the stop");

    assertThat(client.v1().events().inNamespace(NS).list().getItems()).isEmpty();
  }
}
