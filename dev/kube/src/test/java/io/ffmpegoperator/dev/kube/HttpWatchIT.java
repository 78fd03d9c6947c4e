package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watches over plain HTTP, asked for exactly as kubectl 1.32 and Python's client ask (requests seen
 * through a logging proxy), and read as they read them: one JSON event per line.
 */
@Timeout(120)
class HttpWatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TASKS =
      "/apis/media.ffmpeg-operator.io/v1alpha1/namespaces/default/ffmpegtasks";
  private static final String MAPS = "/api/v1/namespaces/default/configmaps";
  // kubectl get's Accept header, for the list and for the watch.
  private static final String TABLE =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
          + "g=meta.k8s.io,application/json";
  private static final Duration SHORT = Duration.ofMillis(500);

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();

  private final HttpClient http = HttpClient.newHttpClient();

  private MixedOperation<FfmpegTask, KubernetesResourceList<FfmpegTask>, Resource<FfmpegTask>>
      tasks() {
    return kube.client().resources(FfmpegTask.class);
  }

  private TestingWatch watch(String pathAndQuery) throws Exception {
    return watch(pathAndQuery, "application/json");
  }

  private TestingWatch watch(String pathAndQuery, String accept) throws Exception {
    TestingWatch watch = TestingWatch.open(kube.url() + pathAndQuery, accept);
    assertThat(watch.response().statusCode()).isEqualTo(200);
    assertThat(watch.response().headers().firstValue("Content-Type")).contains("application/json");
    assertThat(watch.response().headers().firstValue("Transfer-Encoding")).contains("chunked");
    return watch;
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private ConfigMap map(String name, Map<String, String> labels) {
    return kube.client()
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  private void relabel(String name, Map<String, String> labels) {
    kube.client()
        .configMaps()
        .withName(name)
        .edit(
            m -> {
              m.getMetadata().setLabels(labels);
              return m;
            });
  }

  private static String name(JsonNode event) {
    return event.path("object").path("metadata").path("name").asText();
  }

  private static String summary(JsonNode event) {
    return event.path("type").asText() + " " + name(event);
  }

  private static long version(JsonNode event) {
    return event.path("object").path("metadata").path("resourceVersion").asLong();
  }

  @Test
  void kubectlGetWatchStreamsOneRowTablesOfEachChangeAfterTheList() throws Exception {
    tasks().resource(TestingTasks.task("t1")).create();
    // kubectl get fft -w: a Table list, then a Table watch from the list's resourceVersion.
    JsonNode list = kube.get(TASKS + "?limit=500", TABLE);
    String listed = list.path("metadata").path("resourceVersion").asText();
    assertThat(listed).isNotEmpty();

    try (TestingWatch watch = watch(TASKS + "?resourceVersion=" + listed + "&watch=true", TABLE)) {
      FfmpegTask t2 = tasks().resource(TestingTasks.task("t2")).create();
      t2.setStatus(TestingTasks.status(TaskState.Running, 10));
      FfmpegTask running = tasks().resource(t2).updateStatus();
      tasks().withName("t2").delete();

      JsonNode added = watch.next();
      JsonNode modified = watch.next();
      JsonNode deleted = watch.next();

      assertThat(List.of(added, modified, deleted))
          .extracting(e -> e.path("type").asText())
          .containsExactly("ADDED", "MODIFIED", "DELETED");
      for (JsonNode event : List.of(added, modified, deleted)) {
        JsonNode table = event.path("object");
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("rows")).hasSize(1);
        JsonNode row = table.path("rows").get(0);
        assertThat(row.path("cells").get(0).asText()).isEqualTo("t2");
        // includeObject's default, Metadata: kubectl reads the object's name and namespace there.
        assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(row.path("object").path("metadata").path("name").asText()).isEqualTo("t2");
      }
      // One header line in kubectl's output: the columns come with the first event only.
      assertThat(added.path("object").path("columnDefinitions").size()).isGreaterThan(1);
      assertThat(modified.path("object").path("columnDefinitions").isNull()).isTrue();
      assertThat(deleted.path("object").path("columnDefinitions").isNull()).isTrue();
      assertThat(modified.path("object").path("rows").get(0).path("cells").toString())
          .contains("Running");
      // The Table carries the object's version; a deletion has one of its own, after the last.
      String runningVersion = running.getMetadata().getResourceVersion();
      assertThat(modified.path("object").path("metadata").path("resourceVersion").asText())
          .isEqualTo(runningVersion);
      long deletedVersion =
          deleted
              .path("object")
              .path("rows")
              .get(0)
              .path("object")
              .path("metadata")
              .path("resourceVersion")
              .asLong();
      assertThat(deletedVersion).isGreaterThan(Long.parseLong(runningVersion));
      assertThat(watch.poll(SHORT)).isEmpty();
    }
  }

  @Test
  void kubectlGetOneWatchStartsWithThatObjectOnlyAndIncludeObjectIsHonoured() throws Exception {
    tasks().resource(TestingTasks.task("t1")).create();
    tasks().resource(TestingTasks.task("t2")).create();

    // kubectl get fft t1 -w
    try (TestingWatch watch =
        watch(TASKS + "?fieldSelector=metadata.name%3Dt1&resourceVersion=0&watch=true", TABLE)) {
      JsonNode first = watch.next();
      assertThat(first.path("type").asText()).isEqualTo("ADDED");
      assertThat(first.path("object").path("rows").get(0).path("cells").get(0).asText())
          .isEqualTo("t1");
      tasks().withName("t2").edit(t -> withLabel(t, "x"));
      tasks().withName("t1").edit(t -> withLabel(t, "y"));
      JsonNode modified = watch.next();
      assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
      assertThat(modified.path("object").path("rows").get(0).path("cells").get(0).asText())
          .isEqualTo("t1");
      assertThat(watch.poll(SHORT)).isEmpty();
    }
    try (TestingWatch watch = watch(TASKS + "/t2?watch=1&includeObject=Object", TABLE)) {
      JsonNode row = watch.next().path("object").path("rows").get(0);
      assertThat(row.path("object").path("kind").asText()).isEqualTo("FfmpegTask");
      assertThat(row.path("object").path("spec").path("command").asText()).isNotEmpty();
    }
    try (TestingWatch watch = watch(TASKS + "?watch=1&includeObject=None", TABLE)) {
      assertThat(watch.next().path("object").path("rows").get(0).has("object")).isFalse();
    }
  }

  private static FfmpegTask withLabel(FfmpegTask task, String value) {
    task.getMetadata().setLabels(Map.of("touched", value));
    return task;
  }

  @Test
  void kubectlWaitListsThenWatchesOneTaskUntilItsConditionHolds() throws Exception {
    FfmpegTask t1 = tasks().resource(TestingTasks.task("t1")).create();
    tasks().resource(TestingTasks.task("t2")).create();
    // kubectl wait --for=condition=Succeeded fft/t1: its informer lists, then watches.
    JsonNode list =
        kube.get(TASKS + "?fieldSelector=metadata.name%3Dt1&limit=500&resourceVersion=0");
    assertThat(list.path("items")).hasSize(1);
    String listed = list.path("metadata").path("resourceVersion").asText();

    try (TestingWatch watch =
        watch(
            TASKS
                + "?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dt1&resourceVersion="
                + listed
                + "&timeoutSeconds=424&watch=true")) {
      tasks().withName("t2").edit(t -> withLabel(t, "other"));
      t1.setStatus(TestingTasks.status(TaskState.Completed, 100));
      t1.getStatus()
          .setConditions(
              List.of(
                  new ConditionBuilder()
                      .withType("Succeeded")
                      .withStatus("True")
                      .withReason("Completed")
                      .build()));
      FfmpegTask done = tasks().resource(t1).updateStatus();

      JsonNode event = watch.next();
      assertThat(summary(event)).isEqualTo("MODIFIED t1");
      assertThat(
              event.path("object").path("status").path("conditions").get(0).path("type").asText())
          .isEqualTo("Succeeded");
      assertThat(version(event)).isEqualTo(Long.parseLong(done.getMetadata().getResourceVersion()));
      assertThat(watch.poll(SHORT)).isEmpty();
    }
  }

  @Test
  void pythonsWatchTrueAndGoBooleansStartWithTheCurrentObjectsThenGoLive() throws Exception {
    map("b", Map.of());
    map("a", Map.of());
    List<String> truths = List.of("True", "true", "1", "t");
    for (int i = 0; i < truths.size(); i++) {
      // Python's client: watch=True, no resourceVersion, timeoutSeconds from the caller.
      try (TestingWatch watch = watch(MAPS + "?timeoutSeconds=30&watch=" + truths.get(i))) {
        assertThat(List.of(summary(watch.next()), summary(watch.next())))
            .containsExactly("ADDED a", "ADDED b");
        for (int earlier = 0; earlier < i; earlier++) {
          assertThat(summary(watch.next())).isEqualTo("ADDED c" + earlier);
        }
        map("c" + i, Map.of());
        assertThat(summary(watch.next())).isEqualTo("ADDED c" + i);
      }
    }
  }

  @Test
  void aKeptVersionReplaysWhatCameAfterItAndNothingBefore() throws Exception {
    ConfigMap a = map("a", Map.of());
    relabel("a", Map.of("k", "v"));
    map("b", Map.of());
    kube.client().configMaps().withName("b").delete();

    try (TestingWatch watch =
        watch(MAPS + "?resourceVersion=" + a.getMetadata().getResourceVersion() + "&watch=true")) {
      JsonNode modified = watch.next();
      JsonNode added = watch.next();
      JsonNode deleted = watch.next();
      assertThat(List.of(summary(modified), summary(added), summary(deleted)))
          .containsExactly("MODIFIED a", "ADDED b", "DELETED b");
      assertThat(version(modified)).isLessThan(version(added));
      assertThat(version(added)).isLessThan(version(deleted));
      assertThat(watch.poll(SHORT)).isEmpty();
    }
  }

  @Test
  void aVersionOlderThanTheHistoryIsAnExpiredErrorEventThenTheEnd() throws Exception {
    ConfigMap a = map("a", Map.of());
    relabel("a", Map.of("k", "v"));
    // A restart keeps the objects but not the history, as an API server's watch cache.
    kube.restart();

    try (TestingWatch watch =
        watch(MAPS + "?resourceVersion=" + a.getMetadata().getResourceVersion() + "&watch=true")) {
      JsonNode error = watch.next();
      assertThat(error.path("type").asText()).isEqualTo("ERROR");
      JsonNode status = error.path("object");
      assertThat(status.path("kind").asText()).isEqualTo("Status");
      assertThat(status.path("apiVersion").asText()).isEqualTo("v1");
      assertThat(status.path("status").asText()).isEqualTo("Failure");
      assertThat(status.path("code").asInt()).isEqualTo(410);
      assertThat(status.path("reason").asText()).isEqualTo("Expired");
      assertThat(status.path("message").asText())
          .startsWith("too old resource version: " + a.getMetadata().getResourceVersion() + " (");
      assertThat(watch.endsWithin(Duration.ofSeconds(5))).isTrue();
    }
    // Listing again gives a version to watch from.
    String listed = kube.get(MAPS).path("metadata").path("resourceVersion").asText();
    try (TestingWatch watch = watch(MAPS + "?resourceVersion=" + listed + "&watch=true")) {
      relabel("a", Map.of("k", "w"));
      assertThat(summary(watch.next())).isEqualTo("MODIFIED a");
    }
  }

  @Test
  void timeoutSecondsEndsTheStreamAfterABookmarkWhenBookmarksAreAllowed() throws Exception {
    ConfigMap a = map("a", Map.of());
    try (TestingWatch watch =
        watch(
            MAPS
                + "?allowWatchBookmarks=true&resourceVersion="
                + a.getMetadata().getResourceVersion()
                + "&timeoutSeconds=1&watch=true")) {
      ConfigMap b = map("b", Map.of());
      long started = System.nanoTime();
      List<JsonNode> events = watch.rest(Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(events).extracting(HttpWatchIT::summary).containsExactly("ADDED b", "BOOKMARK ");
      JsonNode bookmark = events.get(1).path("object");
      assertThat(bookmark.path("kind").asText()).isEqualTo("ConfigMap");
      assertThat(bookmark.path("apiVersion").asText()).isEqualTo("v1");
      assertThat(bookmark.path("metadata").path("resourceVersion").asLong())
          .isGreaterThanOrEqualTo(Long.parseLong(b.getMetadata().getResourceVersion()));
    }
    try (TestingWatch watch = watch(MAPS + "?resourceVersion=0&timeoutSeconds=1&watch=true")) {
      // Without allowWatchBookmarks: the objects, no bookmark, then the end.
      assertThat(watch.rest(Duration.ofSeconds(10)))
          .extracting(HttpWatchIT::summary)
          .containsExactly("ADDED a", "ADDED b");
    }
  }

  @Test
  void labelSelectorsSelectWithEveryOperatorAndObjectsMoveInAndOut() throws Exception {
    map("web", Map.of("tier", "web"));
    map("db", Map.of("tier", "db", "skip", "yes"));
    map("none", Map.of());
    Map<String, List<String>> expected =
        Map.of(
            "tier=web", List.of("web"),
            "tier==web", List.of("web"),
            "tier!=web", List.of("db", "none"),
            "tier in (web,db)", List.of("db", "web"),
            "tier notin (web)", List.of("db", "none"),
            "tier", List.of("db", "web"),
            "!tier", List.of("none"),
            "tier in (web, db),!skip", List.of("web"));
    for (Map.Entry<String, List<String>> selector : expected.entrySet()) {
      try (TestingWatch watch =
          watch(
              MAPS
                  + "?labelSelector="
                  + encoded(selector.getKey())
                  + "&timeoutSeconds=1&watch=true")) {
        assertThat(watch.rest(Duration.ofSeconds(10)))
            .as(selector.getKey())
            .extracting(HttpWatchIT::name)
            .containsExactlyElementsOf(selector.getValue());
      }
    }

    try (TestingWatch watch =
        watch(MAPS + "?labelSelector=" + encoded("tier in (web,db),!skip") + "&watch=true")) {
      assertThat(summary(watch.next())).isEqualTo("ADDED web");
      relabel("none", Map.of("tier", "db"));
      relabel("none", Map.of("tier", "db", "skip", "now"));
      relabel("web", Map.of("tier", "web", "other", "x"));
      JsonNode in = watch.next();
      JsonNode out = watch.next();
      JsonNode still = watch.next();
      assertThat(List.of(summary(in), summary(out), summary(still)))
          .containsExactly("ADDED none", "DELETED none", "MODIFIED web");
      // Leaving the selection: the last selected content, at the change's version.
      assertThat(out.path("object").path("metadata").path("labels").has("skip")).isFalse();
      assertThat(version(out)).isGreaterThan(version(in));
    }
  }

  @Test
  void aWatchOfAllNamespacesSeesEachAndANamespacedOneOnlyItsOwn() throws Exception {
    kube.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata().build())
        .create();
    try (TestingWatch all = watch("/api/v1/configmaps?watch=true&resourceVersion=0");
        TestingWatch other = watch("/api/v1/namespaces/other/configmaps?watch=true")) {
      map("here", Map.of());
      kube.client()
          .configMaps()
          .inNamespace("other")
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("there").endMetadata().build())
          .create();
      assertThat(List.of(summary(all.next()), summary(all.next())))
          .containsExactly("ADDED here", "ADDED there");
      JsonNode there = other.next();
      assertThat(summary(there)).isEqualTo("ADDED there");
      assertThat(there.path("object").path("metadata").path("namespace").asText())
          .isEqualTo("other");
      assertThat(other.poll(SHORT)).isEmpty();
    }
  }

  @Test
  void aFieldSelectorOnAnyFieldSelectsEvents() throws Exception {
    try (TestingWatch watch =
        watch(
            "/api/v1/namespaces/default/events?fieldSelector="
                + encoded("involvedObject.name=t1,type!=Normal")
                + "&watch=true")) {
      event("e1", "t1", "Warning");
      event("e2", "t1", "Normal");
      event("e3", "t2", "Warning");
      assertThat(summary(watch.next())).isEqualTo("ADDED e1");
      assertThat(watch.poll(SHORT)).isEmpty();
    }
  }

  private void event(String name, String about, String type) throws Exception {
    ObjectNode event = JSON.createObjectNode();
    event.put("apiVersion", "v1").put("kind", "Event").put("type", type).put("reason", "Test");
    event.putObject("metadata").put("name", name);
    event.putObject("involvedObject").put("kind", "FfmpegTask").put("name", about);
    assertThat(
            kube.send(
                    "POST",
                    "/api/v1/namespaces/default/events",
                    "application/json",
                    event.toString())
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void whatCannotBeWatchedIsRefusedWithAStatusBeforeAnyEvent() throws Exception {
    assertRefused(MAPS + "?labelSelector=" + encoded("tier in (web") + "&watch=true", 400);
    assertRefused(MAPS + "?labelSelector=" + encoded("=web") + "&watch=true", 400);
    assertRefused(MAPS + "?fieldSelector=nonsense&watch=true", 400);
    assertRefused(MAPS + "?resourceVersion=abc&watch=true", 400);
    assertRefused(MAPS + "?timeoutSeconds=-1&watch=true", 400);
    assertRefused("/apis/nothing.example.com/v1/namespaces/default/things?watch=true", 404);
  }

  private void assertRefused(String pathAndQuery, int code) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(kube.url() + pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(code);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("code").asInt()).isEqualTo(code);
  }

  @Test
  void aFabric8InformerOnHttpWatchesSeesAddsUpdatesAndDeletes() throws Exception {
    map("before", Map.of());
    List<String> seen = new CopyOnWriteArrayList<>();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(kube.url())
            .withNamespace("default")
            .withHttp2Disable(true)
            .withOnlyHttpWatches(true)
            .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        SharedIndexInformer<ConfigMap> informer =
            client
                .configMaps()
                .inform(
                    new ResourceEventHandler<>() {
                      @Override
                      public void onAdd(ConfigMap map) {
                        seen.add("add " + map.getMetadata().getName());
                      }

                      @Override
                      public void onUpdate(ConfigMap old, ConfigMap map) {
                        seen.add("update " + map.getMetadata().getName());
                      }

                      @Override
                      public void onDelete(ConfigMap map, boolean unknownFinalState) {
                        seen.add("delete " + map.getMetadata().getName());
                      }
                    })) {
      map("during", Map.of());
      relabel("during", Map.of("k", "v"));
      kube.client().configMaps().withName("during").delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(seen)
                      .containsExactly(
                          "add before", "add during", "update during", "delete during"));
      assertThat(informer.isWatching()).isTrue();
    }
  }

  @Test
  void aWebsocketWatchIsStillTheMocks() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (var watch =
        kube.client()
            .configMaps()
            .watch(
                new io.fabric8.kubernetes.client.Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap map) {
                    events.add(action + " " + map.getMetadata().getName());
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                })) {
      map("w1", Map.of());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events).containsExactly("ADDED w1"));
    }
  }
}
