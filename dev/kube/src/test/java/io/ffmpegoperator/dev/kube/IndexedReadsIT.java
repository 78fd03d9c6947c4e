package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reads and writes of one object by name, and lists by label, which the API server answers from its
 * index of stored keys (AttributeIndex) rather than by looking at everything stored.
 */
class IndexedReadsIT {

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();
  private KubernetesClient client;

  @BeforeEach
  void start() {
    client = kube.client();
    for (String namespace : new String[] {"a", "b"}) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
  }

  @Test
  void oneNameInSeveralNamespacesAndKindsFindsEachObject() {
    client.configMaps().inNamespace("a").resource(configMap("same", "in a")).create();
    client.configMaps().inNamespace("b").resource(configMap("same", "in b")).create();
    client
        .secrets()
        .inNamespace("a")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("same")
                .endMetadata()
                .withStringData(Map.of("where", "secret"))
                .build())
        .create();

    assertThat(client.configMaps().inNamespace("a").withName("same").get().getData())
        .containsEntry("where", "in a");
    assertThat(client.configMaps().inNamespace("b").withName("same").get().getData())
        .containsEntry("where", "in b");
    assertThat(client.secrets().inNamespace("a").withName("same").get()).isNotNull();
    assertThat(client.secrets().inNamespace("b").withName("same").get()).isNull();
    assertThat(client.configMaps().inNamespace("a").withName("other").get()).isNull();
  }

  @Test
  void anObjectIsFoundAfterEachChangeAndNotAfterItIsDeleted() {
    var configMaps = client.configMaps().inNamespace("a");
    ConfigMap created = configMaps.resource(configMap("cm", "1")).create();

    // A write by name (here a patch) finds the object the same way.
    configMaps.withName("cm").edit(cm -> withWhere(cm, "2"));
    assertThat(configMaps.withName("cm").get().getData()).containsEntry("where", "2");

    configMaps.withName("cm").delete();
    assertThat(configMaps.withName("cm").get()).isNull();

    ConfigMap again = configMaps.resource(configMap("cm", "3")).create();
    assertThat(again.getMetadata().getUid()).isNotEqualTo(created.getMetadata().getUid());
    assertThat(configMaps.withName("cm").get().getData()).containsEntry("where", "3");
  }

  @Test
  void anObjectBeingRewrittenIsNeverMissing() throws Exception {
    var configMaps = client.configMaps().inNamespace("a");
    configMaps.resource(configMap("busy", "0")).create();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger misses = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              while (writing.get()) {
                if (configMaps.withName("busy").get() == null) {
                  misses.incrementAndGet();
                }
                reads.incrementAndGet();
              }
            });
    try {
      for (int i = 1; i <= 200; i++) {
        String value = String.valueOf(i);
        configMaps.withName("busy").edit(cm -> withWhere(cm, value));
      }
    } finally {
      writing.set(false);
    }
    reader.get();

    assertThat(reads.get()).isPositive();
    assertThat(misses.get()).isZero();
    assertThat(configMaps.withName("busy").get().getData()).containsEntry("where", "200");
  }

  @Test
  void aLabelSelectsTheObjectsThatCarryItNowSortedByName() {
    var configMaps = client.configMaps().inNamespace("a");
    for (String name : List.of("c", "a", "b", "d")) {
      ConfigMap configMap = configMap(name, name);
      configMap.getMetadata().setLabels(Map.of("team", name.equals("d") ? "other" : "media"));
      configMaps.resource(configMap).create();
    }
    ConfigMap elsewhere = configMap("e", "e");
    elsewhere.getMetadata().setLabels(Map.of("team", "media"));
    client.configMaps().inNamespace("b").resource(elsewhere).create();

    assertThat(namesWithLabel("a", "media")).containsExactly("a", "b", "c");
    assertThat(client.configMaps().inAnyNamespace().withLabel("team", "media").list().getItems())
        .extracting(cm -> cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName())
        .containsExactly("a/a", "a/b", "a/c", "b/e");

    configMaps
        .withName("b")
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .editMetadata()
                    .addToLabels("team", "other")
                    .endMetadata()
                    .build());
    configMaps.withName("c").delete();

    assertThat(namesWithLabel("a", "media")).containsExactly("a");
    assertThat(namesWithLabel("a", "other")).containsExactly("b", "d");
  }

  private List<String> namesWithLabel(String namespace, String team) {
    return client
        .configMaps()
        .inNamespace(namespace)
        .withLabel("team", team)
        .list()
        .getItems()
        .stream()
        .map(cm -> cm.getMetadata().getName())
        .toList();
  }

  private static ConfigMap withWhere(ConfigMap configMap, String where) {
    return new ConfigMapBuilder(configMap).withData(Map.of("where", where)).build();
  }

  private static ConfigMap configMap(String name, String where) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(Map.of("where", where))
        .build();
  }
}
