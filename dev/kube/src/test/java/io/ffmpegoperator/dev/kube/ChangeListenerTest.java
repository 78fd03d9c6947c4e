package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeListenerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MAPS = "/api/v1/namespaces/default/configmaps";

  @TempDir Path stateDir;

  private final List<Change> changes = new CopyOnWriteArrayList<>();
  private PersistentCrudDispatcher crud;
  private ApiServerDispatcher api;

  /** What one call told. */
  record Change(ResourcePath path, JsonNode before, JsonNode after, long resourceVersion) {}

  @BeforeEach
  void start() {
    crud = new PersistentCrudDispatcher(new FileBackedStore(stateDir));
    crud.restore();
    api = new ApiServerDispatcher(crud, Clock.systemUTC());
    crud.addChangeListener(
        (path, key, before, after, resourceVersion) -> {
          assertThat(key).isNotNull();
          changes.add(new Change(path, before, after, resourceVersion));
        });
  }

  @Test
  void eachStoredChangeIsToldWithItsResourceVersion() throws Exception {
    long created = version(send("POST", MAPS, "application/json", map("c1", "1")));
    long patched =
        version(
            send(
                "PATCH",
                MAPS + "/c1",
                "application/merge-patch+json",
                "{\"data\": {\"k\": \"2\"}}"));

    assertThat(changes).hasSize(2);
    Change create = changes.get(0);
    assertThat(create.path())
        .isEqualTo(ResourcePath.parse(MAPS + "/c1").orElseThrow())
        .extracting(ResourcePath::subresource)
        .isNull();
    assertThat(create.before()).isNull();
    assertThat(create.after().path("data").path("k").asText()).isEqualTo("1");
    assertThat(create.resourceVersion()).isEqualTo(created);
    Change patch = changes.get(1);
    assertThat(patch.before().path("data").path("k").asText()).isEqualTo("1");
    assertThat(patch.after().path("data").path("k").asText()).isEqualTo("2");
    assertThat(patch.resourceVersion()).isEqualTo(patched).isGreaterThan(created);
  }

  @Test
  void aRemovalGetsAResourceVersionOfItsOwnThatARestartKeeps() throws Exception {
    long created = version(send("POST", MAPS, "application/json", map("c1", "1")));
    send("DELETE", MAPS + "/c1", "application/json", "");

    Change removal = changes.get(changes.size() - 1);
    assertThat(removal.after()).isNull();
    assertThat(removal.resourceVersion()).isGreaterThan(created);
    assertThat(removal.before().path("metadata").path("name").asText()).isEqualTo("c1");
    assertThat(removal.before().path("metadata").path("resourceVersion").asLong())
        .isEqualTo(removal.resourceVersion());
    assertThat(version(send("GET", MAPS, null, null)))
        .as("a list after the removal")
        .isEqualTo(removal.resourceVersion());

    start();
    long after = version(send("POST", MAPS, "application/json", map("c2", "1")));
    assertThat(after)
        .as("first version issued after a restart")
        .isGreaterThan(removal.resourceVersion());
  }

  @Test
  void aFailingListenerFailsNeitherTheWriteNorTheListenersAfterIt() throws Exception {
    PersistentCrudDispatcher fresh = new PersistentCrudDispatcher(new FileBackedStore(stateDir));
    fresh.restore();
    List<String> told = new CopyOnWriteArrayList<>();
    fresh.addChangeListener(
        (path, key, before, after, resourceVersion) -> {
          throw new IllegalStateException("listener broke");
        });
    fresh.addChangeListener((path, key, before, after, rv) -> told.add(path.name()));
    api = new ApiServerDispatcher(fresh, Clock.systemUTC());

    MockResponse response = send("POST", MAPS, "application/json", map("c1", "1"));

    assertThat(response.code()).isEqualTo(201);
    assertThat(told).containsExactly("c1");
  }

  private MockResponse send(String method, String path, String contentType, String body) {
    Headers.Builder headers = new Headers.Builder();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return api.dispatch(
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.valueOf(method),
            path,
            headers.build(),
            new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8))));
  }

  private static long version(MockResponse response) throws Exception {
    assertThat(response.code())
        .as(new String(response.getBody().getBytes(), StandardCharsets.UTF_8))
        .isBetween(200, 201);
    return JSON.readTree(response.getBody().getBytes())
        .path("metadata")
        .path("resourceVersion")
        .asLong();
  }

  private static String map(String name, String value) {
    return """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "%s"}, "data": {"k": "%s"}}
        """
        .formatted(name, value);
  }
}
