package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class WatchHubTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourcePath MAPS =
      new ResourcePath("", "v1", "default", "configmaps", null, null);

  private final WatchHub hub = new WatchHub(10, 3);
  private final WatchFilter all =
      new WatchFilter(MAPS, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);

  private static JsonNode map(String name, long version, Map<String, String> labels) {
    ObjectNode object = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name).put("namespace", "default");
    metadata.put("resourceVersion", String.valueOf(version));
    metadata.set("labels", JSON.valueToTree(labels));
    return object;
  }

  private void change(JsonNode before, JsonNode after, long version) {
    JsonNode object = after != null ? after : before;
    hub.changed(ResourcePath.ofObject(object, "configmaps"), null, before, after, version);
  }

  private static List<String> summaries(List<WatchEvent> events) {
    return events.stream()
        .map(
            e ->
                e.type()
                    + " "
                    + e.object().path("metadata").path("name").asText()
                    + "@"
                    + e.object().path("metadata").path("resourceVersion").asText())
        .toList();
  }

  @Test
  void aWatchReplaysTheKeptChangesAfterItsVersionThenGetsNewOnes() throws Exception {
    JsonNode a11 = map("a", 11, Map.of());
    JsonNode a12 = map("a", 12, Map.of("k", "v"));
    change(null, a11, 11);
    change(a11, a12, 12);
    change(a12, null, 13);
    List<WatchEvent> live = new CopyOnWriteArrayList<>();

    WatchHub.Subscription subscription = hub.subscribe(all, 11, live::add);
    change(null, map("b", 14, Map.of()), 14);
    subscription.close();
    change(null, map("c", 15, Map.of()), 15);

    // A removal is seen at its own version.
    assertThat(summaries(subscription.replay())).containsExactly("MODIFIED a@12", "DELETED a@13");
    assertThat(summaries(live)).containsExactly("ADDED b@14");
    assertThat(hub.newestResourceVersion()).isEqualTo(15);
    assertThat(hub.watches()).isZero();
  }

  @Test
  void versionsBeforeTheKeptChangesHaveExpired() throws Exception {
    // The hub started at 10: what came before is not known to it.
    assertThatThrownBy(() -> hub.subscribe(all, 9, e -> {}))
        .isInstanceOf(WatchHub.Expired.class)
        .hasMessage("too old resource version: 9 (10)");
    assertThat(hub.subscribe(all, 10, e -> {}).replay()).isEmpty();
    for (long version = 11; version <= 14; version++) {
      change(null, map("m" + version, version, Map.of()), version);
    }
    // Three kept (12, 13, 14): after 11 is still complete, after 10 is not.
    assertThat(summaries(hub.subscribe(all, 11, e -> {}).replay()))
        .containsExactly("ADDED m12@12", "ADDED m13@13", "ADDED m14@14");
    assertThatThrownBy(() -> hub.subscribe(all, 10, e -> {}))
        .isInstanceOf(WatchHub.Expired.class)
        .hasMessage("too old resource version: 10 (11)");
  }

  @Test
  void objectsMovingInAndOutOfASelectionAreAddedAndDeleted() throws Exception {
    WatchFilter web =
        new WatchFilter(MAPS, LabelSelector.parse("tier=web"), FieldSelector.EVERYTHING);
    List<WatchEvent> seen = new CopyOnWriteArrayList<>();
    hub.subscribe(web, 10, seen::add);
    JsonNode plain = map("a", 11, Map.of());
    JsonNode inside = map("a", 12, Map.of("tier", "web"));
    JsonNode stillInside = map("a", 13, Map.of("tier", "web", "x", "y"));
    JsonNode outside = map("a", 14, Map.of("tier", "db"));

    change(null, plain, 11);
    change(plain, inside, 12);
    change(inside, stillInside, 13);
    change(stillInside, outside, 14);
    change(outside, null, 15);

    // Leaving: the last selected content, at the version of the change that moved it out.
    assertThat(summaries(seen)).containsExactly("ADDED a@12", "MODIFIED a@13", "DELETED a@14");
    assertThat(seen.get(2).object().path("metadata").path("labels").path("tier").asText())
        .isEqualTo("web");
    // The stored object was not changed for the event.
    assertThat(stillInside.path("metadata").path("resourceVersion").asText()).isEqualTo("13");
  }

  @Test
  void otherCollectionsAndNamespacesAreNotSeen() throws Exception {
    List<WatchEvent> seen = new CopyOnWriteArrayList<>();
    hub.subscribe(all, 10, seen::add);
    ObjectNode elsewhere = (ObjectNode) map("b", 11, Map.of());
    ((ObjectNode) elsewhere.path("metadata")).put("namespace", "other");
    change(null, elsewhere, 11);
    hub.changed(
        new ResourcePath("", "v1", "default", "secrets", "s", null),
        null,
        null,
        map("s", 12, Map.of()),
        12);

    assertThat(seen).isEmpty();
    WatchFilter allNamespaces =
        new WatchFilter(
            new ResourcePath("", "v1", null, "configmaps", null, null),
            LabelSelector.EVERYTHING,
            FieldSelector.EVERYTHING);
    assertThat(summaries(hub.subscribe(allNamespaces, 10, e -> {}).replay()))
        .containsExactly("ADDED b@11");
  }
}
