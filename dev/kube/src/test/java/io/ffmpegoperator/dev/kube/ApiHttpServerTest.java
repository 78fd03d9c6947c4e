package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ApiHttpServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> declined = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstLineRead = new CountDownLatch(1);
  private ApiHttpServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    PersistentCrudDispatcher crud = new PersistentCrudDispatcher(new FileBackedStore(stateDir));
    crud.restore();
    server =
        ApiHttpServer.start(
            InetAddress.getLoopbackAddress(), 0, new ApiServerDispatcher(crud, Clock.systemUTC()));
    // Sees every request first and takes none.
    server.addRoute(
        request -> {
          declined.add(request.method() + " " + request.path());
          return false;
        });
    server.addRoute(
        request -> {
          if (!request.path().equals("/stream")) {
            return false;
          }
          streamThreeLines(request.response());
          return true;
        });
    server.addRoute(
        request -> {
          if (request.path().equals("/broken")) {
            throw new IllegalStateException("route broke");
          }
          return false;
        });
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + server.port())
                    .withNamespace("default")
                    .withHttp2Disable(true)
                    .build())
            .build();
  }

  /** One line now; the other two from another thread once the client has read the first. */
  private void streamThreeLines(HttpServerResponse response) {
    Context context = Vertx.currentContext();
    response.setChunked(true).putHeader("Content-Type", "text/plain").write("one\n");
    CompletableFuture.runAsync(
        () -> {
          boolean read = awaitFirstLineRead();
          // Ends the answer either way, so that a server holding it back fails the test.
          context.runOnContext(
              v -> {
                if (read) {
                  response.write("two\n");
                  response.end("three\n");
                } else {
                  response.end("the first line was not read in time\n");
                }
              });
        });
  }

  private boolean awaitFirstLineRead() {
    try {
      return firstLineRead.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aRouteStreamsChunkedLinesAsTheyAreWritten() throws Exception {
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url("/stream")))
                .version(HttpClient.Version.HTTP_1_1)
                .build(),
            HttpResponse.BodyHandlers.ofLines());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Transfer-Encoding")).contains("chunked");
    assertThat(response.headers().firstValue("Content-Length")).isEmpty();
    Iterator<String> lines = response.body().iterator();
    // The route writes the rest only after this: the first line came while the answer was open.
    assertThat(lines.next()).isEqualTo("one");
    firstLineRead.countDown();
    assertThat(lines.next()).isEqualTo("two");
    assertThat(lines.next()).isEqualTo("three");
    assertThat(lines.hasNext()).isFalse();
  }

  @Test
  void whatNoRouteTakesIsServedByTheDispatcherWithItsBody() {
    ConfigMap created =
        client
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("c1")
                    .endMetadata()
                    .addToData("k", "v")
                    .build())
            .create();

    assertThat(created.getMetadata().getResourceVersion()).isNotEmpty();
    assertThat(client.configMaps().withName("c1").get().getData()).containsEntry("k", "v");
    assertThat(declined)
        .contains(
            "POST /api/v1/namespaces/default/configmaps",
            "GET /api/v1/namespaces/default/configmaps/c1");
  }

  @Test
  void aFabric8WebsocketWatchStillWorks() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .configMaps()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap map) {
                    events.add(action + " " + map.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client
          .configMaps()
          .resource(new ConfigMapBuilder().withNewMetadata().withName("w1").endMetadata().build())
          .create();
      client.configMaps().withName("w1").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events).containsExactly("ADDED w1", "DELETED w1"));
    }
  }

  @Test
  void aRouteThatFailsBeforeAnsweringGivesA500Status() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url("/broken"))).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("InternalError");
    assertThat(status.path("message").asText()).contains("route broke");
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
