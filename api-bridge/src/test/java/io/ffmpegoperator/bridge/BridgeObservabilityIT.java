package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bridge's /metrics and /ready over HTTP, against a Kubernetes API in CRUD mode. */
class BridgeObservabilityIT {
  private static final String API_KEY = "observability-it-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VALID_BODY =
      """
      {"ffmpeg_command": "-i in_1 -vf scale=320:240 out_1",
       "input_files": {"in_1": "https://93.184.215.14/video.mp4"},
       "output_files": {"out_1": "output.mp4"}}
      """;

  private TestingBridge fixture;

  @BeforeEach
  void start() {
    fixture = TestingBridge.start(TestingApiServer.ALL_CRDS, TestingBridge.keyedConfig(API_KEY));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void metricsCountAndTimeRequestsByMethodRouteAndStatus() throws Exception {
    assertThat(send("GET", "health", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "health", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> registered = send("POST", "ffmpeg/register", VALID_BODY, API_KEY);
    assertThat(registered.statusCode()).isEqualTo(200);
    String taskId = JSON.readTree(registered.body()).get("task_id").asText();
    assertThat(send("GET", "ffmpeg/status/" + taskId, null, API_KEY).statusCode()).isEqualTo(200);
    assertThat(send("GET", "ffmpeg/status/" + UUID.randomUUID(), null, API_KEY).statusCode())
        .isEqualTo(404);
    assertThat(send("GET", "ffmpeg/status/" + taskId, null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "no/such/route", null, null).statusCode()).isEqualTo(404);

    // Open, like the health checks: a scraper carries no key.
    HttpResponse<String> scrape = send("GET", "metrics", null, null);
    assertThat(scrape.statusCode()).isEqualTo(200);
    // Jersey writes the parameters in its own order: text/plain;charset=utf-8;version=0.0.4.
    assertThat(scrape.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain")
        .contains("version=0.0.4")
        .contains("charset=utf-8");
    String count = "http_server_requests_seconds_count";
    // Jersey records a request once its answer is written, so the last answer may be read before
    // its request is counted: scrape until it is.
    PrometheusText m =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> PrometheusText.parse(send("GET", "metrics", null, null).body()),
                t -> t.sum(count, "method", "GET", "uri", "NOT_FOUND", "status", "404") == 1);
    assertThat(m.sum(count, "method", "GET", "uri", "/health", "status", "200")).isEqualTo(2);
    assertThat(m.sum(count, "method", "POST", "uri", "/ffmpeg/register", "status", "200"))
        .isEqualTo(1);
    // One series per route template, not per task id.
    assertThat(m.sum(count, "method", "GET", "uri", "/ffmpeg/status/{task_id}", "status", "200"))
        .isEqualTo(1);
    assertThat(m.sum(count, "method", "GET", "uri", "/ffmpeg/status/{task_id}", "status", "404"))
        .isEqualTo(1);
    assertThat(m.sum(count, "method", "GET", "uri", "/ffmpeg/status/{task_id}", "status", "401"))
        .isEqualTo(1);
    assertThat(m.sum(count, "method", "GET", "uri", "NOT_FOUND", "status", "404")).isEqualTo(1);
    assertThat(m.samples(count)).noneMatch(s -> s.labels().get("uri").contains(taskId));
    assertThat(m.sum("http_server_requests_seconds_sum", "uri", "/ffmpeg/register")).isPositive();
    assertThat(
            m.samples(
                "http_server_requests_seconds_bucket", "uri", "/ffmpeg/register", "le", "0.25"))
        .hasSize(1);
    assertThat(m.samples("http_server_requests_seconds_bucket", "uri", "/health"))
        .extracting(s -> s.labels().get("le"))
        .contains("0.005", "1.0", "300.0", "+Inf");
    assertThat(m.samples("jvm_memory_used_bytes")).isNotEmpty();

    // A scrape itself is counted too, by the scrapes after it.
    double scrapes = m.sum(count, "method", "GET", "uri", "/metrics", "status", "200");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> PrometheusText.parse(send("GET", "metrics", null, null).body()),
            t -> t.sum(count, "method", "GET", "uri", "/metrics", "status", "200") > scrapes);
  }

  @Test
  void readyWhileTheApiServerAnswersAndNotWhenItIsGone() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              HttpResponse<String> ready = send("GET", "ready", null, null);
              assertThat(ready.statusCode()).isEqualTo(200);
              assertThat(ready.body()).isEqualTo("{\"status\":\"ok\"}");
            });

    fixture.server.destroy();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> notReady = send("GET", "ready", null, null);
              assertThat(notReady.statusCode()).isEqualTo(503);
              assertThat(notReady.headers().firstValue("Content-Type"))
                  .hasValue("application/json");
              JsonNode body = JSON.readTree(notReady.body());
              assertThat(body.get("detail").asText()).contains("watch lost");
            });
    // Liveness is another matter: the process still answers.
    assertThat(send("GET", "health", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aGracefulStopEndsAsSoonAsNothingIsInFlight() throws Exception {
    assertThat(send("GET", "health", null, null).statusCode()).isEqualTo(200);
    long started = System.nanoTime();
    fixture.bridge.stop(Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(() -> send("GET", "health", null, null)).isInstanceOf(IOException.class);
  }

  @Test
  void metricsAndReadyAreLeftOutOfTheApiDocument() throws Exception {
    JsonNode paths = JSON.readTree(send("GET", "openapi.json", null, null).body()).get("paths");
    assertThat(paths.has("/metrics")).isFalse();
    assertThat(paths.has("/ready")).isFalse();
    assertThat(paths.has("/health")).isTrue();
  }

  private HttpResponse<String> send(String method, String path, String body, String key)
      throws Exception {
    HttpRequest.Builder request =
        fixture
            .request(path)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return TestingBridge.send(request, key);
  }
}
