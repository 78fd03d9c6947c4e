package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh embedded API server for each test, with its state in a folder of its own, and plain HTTP
 * to it for what the client library does not show (status codes, raw bodies, Tables).
 */
final class TestingApiServer implements BeforeEachCallback, AfterEachCallback {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Path stateDir;
  private EmbeddedKubernetes kube;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    stateDir = Files.createTempDirectory("embedded-kube-");
    kube = EmbeddedKubernetes.start(stateDir, 0);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (kube != null) {
      kube.close();
    }
    try (Stream<Path> paths = Files.walk(stateDir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Stops the server and starts a new one on the same state, as a restart of make run does. */
  void restart() {
    kube.close();
    kube = EmbeddedKubernetes.start(stateDir, 0);
  }

  /** Serves pod logs from these files, as a node would. */
  void servePodLogs(PodLogFiles files) {
    kube.servePodLogs(files);
  }

  KubernetesClient client() {
    return kube.client();
  }

  String url() {
    return kube.url();
  }

  Path stateDir() {
    return stateDir;
  }

  Path kubeconfig() {
    return kube.kubeconfig();
  }

  /** GETs {@code path} as JSON, which must answer 200. */
  JsonNode get(String path) throws Exception {
    return get(path, "application/json");
  }

  /** GETs {@code path} with this Accept header, which must answer 200 with JSON. */
  JsonNode get(String path, String accept) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + path)).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The status code of a GET of {@code path}. */
  int status(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url() + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Sends a request with a body, accepting JSON. */
  HttpResponse<String> send(String method, String path, String contentType, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Content-Type", contentType)
            .header("Accept", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
