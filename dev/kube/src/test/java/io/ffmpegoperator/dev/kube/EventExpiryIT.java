package io.ffmpegoperator.dev.kube;

import static io.ffmpegoperator.dev.kube.TestingTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events go away a TTL after they were last seen, as the API server's do; nothing else does. */
class EventExpiryIT {
  private static final Duration TTL = Duration.ofSeconds(4);

  @TempDir Path stateDir;
  private EmbeddedKubernetes kube;

  @BeforeEach
  void start() {
    kube = EmbeddedKubernetes.start(stateDir, 0, TTL);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void anEventExpiresATtlAfterItWasLastSeen() throws Exception {
    KubernetesClient client = kube.client();
    client.resources(FfmpegTask.class).resource(task("kept")).create();
    client.v1().events().resource(event("once")).create();
    Event counted = client.v1().events().resource(event("counted")).create();

    // Half a TTL later the second Event is seen again, as a recorder counts a repeat.
    Thread.sleep(TTL.toMillis() / 2);
    counted.setCount(2);
    counted.setLastTimestamp(Instant.now().toString());
    client.v1().events().resource(counted).update();

    await()
        .atMost(TTL.multipliedBy(3))
        .until(() -> client.v1().events().withName("once").get() == null);
    assertThat(client.v1().events().withName("counted").get())
        .as("seen again half a TTL later, so it still has time")
        .isNotNull();
    assertThat(client.resources(FfmpegTask.class).withName("kept").get())
        .as("only Events expire")
        .isNotNull();

    await()
        .atMost(TTL.multipliedBy(3))
        .until(() -> client.v1().events().withName("counted").get() == null);
    assertThat(client.v1().events().list().getItems()).isEmpty();
  }

  @Test
  void eventsThatAgedWhileTheServerWasDownGoAtItsStart() throws Exception {
    kube.client().v1().events().resource(event("old")).create();
    kube.close();
    Thread.sleep(TTL.toMillis() + 500);

    kube = EmbeddedKubernetes.start(stateDir, 0, TTL);
    // The first pass runs as the server starts, before the next period.
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> kube.client().v1().events().withName("old").get() == null);
  }

  private static Event event(String name) {
    String now = Instant.now().toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewInvolvedObject()
        .withKind("FfmpegTask")
        .withName("kept")
        .withNamespace("default")
        .endInvolvedObject()
        .withReason("JobCreated")
        .withType("Normal")
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }
}
