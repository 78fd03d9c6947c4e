package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.protocol.WorkReport.Step;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InputFetcher} against local servers: the address policy on every hop, redirects, schemes,
 * caps and deadlines.
 */
class InputFetcherIT {
  private static final Duration CONNECT = Duration.ofSeconds(2);
  // Generous, so a cold JVM on a busy machine never runs into it; only the deadline test needs a
  // short one.
  private static final Duration TIME = Duration.ofSeconds(15);
  private static final Duration SHORT = Duration.ofMillis(700);
  private static final String LOOPBACK_REFUSED =
      "resolves to a loopback address, which inputs may not reach";

  @TempDir Path dir;
  private TestingHttpServer http;
  private InputFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    http = new TestingHttpServer(); // on 127.0.0.1
    fetcher = new InputFetcher(AddressPolicy.allowing("127.0.0.1/32"), CONNECT);
  }

  @AfterEach
  void stop() {
    http.close();
  }

  @Test
  void refusesLoopbackUnlessTheOrderAllowsIt() throws Exception {
    try (RecordingListener listener = new RecordingListener("127.0.0.1")) {
      InputFetcher publicOnly = new InputFetcher(AddressPolicy.allowing(""), CONNECT);
      String url = "http://127.0.0.1:" + listener.port() + "/x";

      assertFails(
          publicOnly,
          url,
          "input 'in_1' could not be fetched: 127.0.0.1 resolves to a loopback address, which"
              + " inputs may not reach");
      assertThat(listener.hits()).isZero();
      assertThat(dir.resolve("f")).doesNotExist();

      assertThat(fetcher.fetch("in_1", url, dir.resolve("f"), 100, TIME, false))
          .isEqualTo(RecordingListener.BODY.length());
      assertThat(Files.readString(dir.resolve("f"))).isEqualTo(RecordingListener.BODY);
      assertThat(listener.hits()).isEqualTo(1);
    }
  }

  @Test
  void storageLinksSkipTheAddressPolicyButNotTheCaps() throws Exception {
    InputFetcher publicOnly = new InputFetcher(AddressPolicy.publicOnly(), CONNECT);
    http.serve("/bucket/key", "stored".getBytes(), true);
    http.redirect("/bucket/moved", "/bucket/key");

    assertThat(publicOnly.fetch("in_1", http.url("/bucket/key"), dir.resolve("f"), 100, TIME, true))
        .isEqualTo(6);
    assertThat(
            publicOnly.fetch("in_1", http.url("/bucket/moved"), dir.resolve("f"), 100, TIME, true))
        .isEqualTo(6);
    assertThatThrownBy(
            () ->
                publicOnly.fetch("in_1", http.url("/bucket/key"), dir.resolve("f"), 5, TIME, true))
        .hasMessage("input 'in_1' could not be fetched: larger than 5 bytes");
    assertThat(dir.resolve("f")).doesNotExist();
  }

  @Test
  void storageLinksDoNotVouchForWhereTheyRedirect() throws Exception {
    InputFetcher publicOnly = new InputFetcher(AddressPolicy.publicOnly(), CONNECT);
    try (RecordingListener listener = new RecordingListener("127.0.0.2")) {
      http.redirect("/bucket/away", "http://127.0.0.2:" + listener.port() + "/x");

      assertThatThrownBy(
              () ->
                  publicOnly.fetch(
                      "in_1", http.url("/bucket/away"), dir.resolve("f"), 100, TIME, true))
          .hasMessage("input 'in_1' could not be fetched: 127.0.0.2 " + LOOPBACK_REFUSED);
      assertThat(listener.hits()).isZero();
    }
  }

  @Test
  void refusesAnotherLoopbackAddressHoweverItIsWritten() throws Exception {
    try (RecordingListener listener = new RecordingListener("127.0.0.2")) {
      int port = listener.port();
      http.redirect("/hop", "http://127.0.0.2:" + port + "/x");
      List<String> spellings =
          List.of(
              "http://127.0.0.2:" + port + "/x",
              "http://2130706434:" + port + "/x", // 127.0.0.2 as one decimal number
              "http://[::ffff:127.0.0.2]:" + port + "/x", // IPv4-mapped IPv6
              http.url("/hop")); // an allowed server redirecting there

      for (String url : spellings) {
        assertThatThrownBy(() -> fetcher.fetch("in_1", url, dir.resolve("f"), 100, TIME, false))
            .as(url)
            .isInstanceOf(StepFailedException.class)
            .hasMessageStartingWith("input 'in_1' could not be fetched: ")
            .hasMessageEndingWith(LOOPBACK_REFUSED);
      }
      assertThat(listener.hits()).isZero();
      assertThat(dir.resolve("f")).doesNotExist();

      // The listener is reachable: only the policy kept the fetches away.
      InputFetcher allowing = new InputFetcher(AddressPolicy.allowing("127.0.0.2/32"), CONNECT);
      assertThat(allowing.fetch("in_1", spellings.get(1), dir.resolve("f"), 100, TIME, false))
          .isEqualTo(RecordingListener.BODY.length());
      assertThat(listener.hits()).isEqualTo(1);
    }
  }

  @Test
  void followsUpToFiveRedirects() throws Exception {
    http.serve("/file", "hello".getBytes(), true);
    http.redirect("/r5", "/file");
    for (int i = 4; i >= 1; i--) {
      http.redirect("/r" + i, http.url("/r" + (i + 1)));
    }
    Path target = dir.resolve("f");
    assertThat(fetcher.fetch("in_1", http.url("/r1"), target, 100, TIME, false)).isEqualTo(5);
    assertThat(Files.readString(target)).isEqualTo("hello");
  }

  @Test
  void refusesASixthRedirect() {
    http.redirect("/loop", "/loop");
    assertFails(
        fetcher, http.url("/loop"), "input 'in_1' could not be fetched: more than 5 redirects");
  }

  @Test
  void httpsLinksSpeakTlsAndFailOnAServerThatDoesNot() throws Exception {
    // A server that answers in plain text: the TLS handshake (set up on first use) must fail, and
    // the failure must say so rather than fall back to plain http.
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                try (Socket socket = plain.accept()) {
                  socket.getOutputStream().write("HTTP/1.1 200 OK\r\n\r\nplain".getBytes());
                  socket.getInputStream().read();
                } catch (IOException e) {
                  // the client hung up, as it should
                }
              });
      server.setDaemon(true);
      server.start();

      assertFails(
          fetcher,
          "https://127.0.0.1:" + plain.getLocalPort() + "/x",
          "input 'in_1' could not be fetched: TLS failed");
      assertThat(dir.resolve("f")).doesNotExist();
    }
  }

  @Test
  void refusesOtherSchemes() {
    http.redirect("/to-file", "file:///etc/passwd");
    assertFails(
        fetcher,
        http.url("/to-file"),
        "input 'in_1' could not be fetched: redirected to a link that is not http or https");
    assertFails(
        fetcher,
        "file:///etc/passwd",
        "input 'in_1' could not be fetched: only http and https links are supported");
    assertFails(
        fetcher,
        "s3://bucket/key",
        "input 'in_1' could not be fetched: only http and https links are supported");
    assertThat(dir.resolve("f")).doesNotExist();
  }

  @Test
  void tooLargeBodiesFailAndLeaveNothing() {
    byte[] body = new byte[200_000];
    http.serve("/declared", body, false);
    http.serve("/chunked", body, true);
    for (String path : List.of("/declared", "/chunked")) {
      assertThatThrownBy(
              () -> fetcher.fetch("in_1", http.url(path), dir.resolve("f"), 1000, TIME, false))
          .as(path)
          .hasMessage("input 'in_1' could not be fetched: larger than 1000 bytes");
      assertThat(dir.resolve("f")).as(path).doesNotExist();
    }
  }

  @Test
  void clientErrorsNameTheStatus() {
    http.answer("/gone", 410);
    assertFails(fetcher, http.url("/gone"), "input 'in_1' could not be fetched: HTTP 410");
    assertFails(fetcher, http.url("/nope"), "input 'in_1' could not be fetched: HTTP 404");
  }

  @Test
  void reportsRefusedConnections() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertFails(
        fetcher,
        "http://127.0.0.1:" + port + "/x",
        "input 'in_1' could not be fetched: connection refused");
  }

  @Test
  void stopsAStalledTransferAtTheDeadline() {
    http.stall("/slow");
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                fetcher.fetch("in_1", http.url("/slow"), dir.resolve("f"), 1_000_000, SHORT, false))
        .hasMessage("input 'in_1' could not be fetched: timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(dir.resolve("f")).doesNotExist();
  }

  private void assertFails(InputFetcher fetcher, String url, String message) {
    assertThatThrownBy(() -> fetcher.fetch("in_1", url, dir.resolve("f"), 1_000_000, TIME, false))
        .isInstanceOf(StepFailedException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((StepFailedException) e).step()).isEqualTo(Step.Input));
  }
}
