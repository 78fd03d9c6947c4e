package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.crds.WorkReport.Step;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InputFetcher} against a local HTTP server: redirects, schemes, caps and deadlines. */
class InputFetcherIT {
  @TempDir Path dir;
  private TestingHttpServer http;
  private InputFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    http = new TestingHttpServer();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    fetcher = new InputFetcher(client, Duration.ofMillis(700));
  }

  @AfterEach
  void stop() {
    http.close();
  }

  @Test
  void followsUpToFiveRedirects() throws Exception {
    http.serve("/file", "hello".getBytes(), true);
    http.redirect("/r5", "/file");
    for (int i = 4; i >= 1; i--) {
      http.redirect("/r" + i, http.url("/r" + (i + 1)));
    }
    Path target = dir.resolve("f");
    assertThat(fetcher.fetch("in_1", http.url("/r1"), target, 100)).isEqualTo(5);
    assertThat(Files.readString(target)).isEqualTo("hello");
  }

  @Test
  void refusesASixthRedirect() {
    http.redirect("/loop", "/loop");
    assertFails(http.url("/loop"), "input 'in_1' could not be fetched: more than 5 redirects");
  }

  @Test
  void refusesOtherSchemes() {
    http.redirect("/to-file", "file:///etc/passwd");
    assertFails(
        http.url("/to-file"),
        "input 'in_1' could not be fetched: redirected to a link that is not http or https");
    assertFails(
        "file:///etc/passwd",
        "input 'in_1' could not be fetched: only http and https links are supported");
    assertFails(
        "s3://bucket/key",
        "input 'in_1' could not be fetched: only http and https links are supported");
  }

  @Test
  void reportsRefusedConnections() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertFails(
        "http://127.0.0.1:" + port + "/x", "input 'in_1' could not be fetched: connection refused");
  }

  @Test
  void stopsAStalledTransferAtTheDeadline() {
    http.stall("/slow");
    long started = System.nanoTime();
    assertFails(http.url("/slow"), "input 'in_1' could not be fetched: timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  private void assertFails(String url, String message) {
    assertThatThrownBy(() -> fetcher.fetch("in_1", url, dir.resolve("f"), 1_000_000))
        .isInstanceOf(StepFailedException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((StepFailedException) e).step()).isEqualTo(Step.Input));
  }
}
