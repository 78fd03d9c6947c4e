package io.ffmpegoperator.worker;

import static io.ffmpegoperator.worker.TestingWorker.FAST;
import static io.ffmpegoperator.worker.TestingWorker.REPORT_PATH;
import static io.ffmpegoperator.worker.TestingWorker.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkReport.Phase;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm worker end to end: a local server stands in for the operator's order endpoint, another for
 * the input host and S3, and real ffmpeg runs the order.
 */
class WarmWorkerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "warm-token-0123456789";
  private static final Duration PATIENCE = FAST.warmPatience();

  private static byte[] video;

  @TempDir Path workDir;
  @TempDir Path logDir;
  @TempDir Path tokenDir;
  private TestingHttpServer storage;
  private OrderEndpoint operator;

  @BeforeAll
  static void media() throws Exception {
    video = Files.readAllBytes(TestingFfmpeg.testVideo(1));
  }

  @BeforeEach
  void startServers() throws Exception {
    storage = TestingWorker.serving(video);
    operator = new OrderEndpoint();
  }

  @AfterEach
  void stopServers() {
    storage.close();
    operator.close();
  }

  @Test
  void runsTheOrderTheOperatorHandsOver() throws Exception {
    operator.lookingAtReportsIn(() -> storage.puts(REPORT_PATH));
    operator.answer(Reply.NO_ORDER_YET, Reply.order(JSON.writeValueAsBytes(order())));

    // In a JVM of its own, as in a pod: with the default settings, and its log to read.
    TestingWorker.Exit exit = runJvm(env());

    assertThat(exit.code()).as(exit.log()).isEqualTo(WorkerExitCodes.OK);
    byte[] uploaded = single(storage.puts("/s3/o.mp4"));
    WorkReport last = TestingWorker.lastReport(storage);
    assertThat(last.phase()).isEqualTo(Phase.Succeeded);
    assertThat(last.outputs().get(0).size()).isEqualTo(uploaded.length);
    assertThat(last.outputs().get(0).media().getVideoCodec()).isEqualTo("h264");
    assertThat(operator.authorizations()).containsExactly("Bearer " + TOKEN, "Bearer " + TOKEN);
    // Once the outputs are stored, the worker says so, so the task need not wait for the pod's
    // exit, and hands over its final report, which it stores only after that.
    assertThat(operator.done()).containsExactly("POST Bearer " + TOKEN);
    List<byte[]> stored = storage.puts(REPORT_PATH);
    assertThat(single(operator.doneBodies())).isEqualTo(stored.get(stored.size() - 1));
    assertThat(operator.reportsStoredAtDone()).hasSize(1);
    assertThat(operator.reportsStoredAtDone().get(0))
        .extracting(WarmWorkerIT::phaseOf)
        .doesNotContain(Phase.Succeeded);
    assertThat(exit.log())
        .contains("warm-up took ")
        .contains("task task-1: work order came after ")
        .doesNotContain(TOKEN)
        .doesNotContain(storage.url("/"));
  }

  @Test
  void anOrderInTheEnvironmentWins() throws Exception {
    operator.answer(Reply.status(410));
    Map<String, String> env = env();
    env.put(WorkOrder.ENV, JSON.writeValueAsString(order()));

    assertThat(WorkerMain.run(env, FAST)).isEqualTo(WorkerExitCodes.OK);

    assertThat(storage.puts("/s3/o.mp4")).hasSize(1);
    assertThat(operator.authorizations()).isEmpty();
  }

  @Test
  void aRetiredWorkerExitsWithoutWork() throws Exception {
    operator.answer(Reply.status(410));

    assertThat(WorkerMain.run(env(), FAST)).isEqualTo(WorkerExitCodes.OK);

    assertThat(operator.authorizations()).hasSize(1);
    assertThat(workDir).isEmptyDirectory();
    assertThat(storage.puts(REPORT_PATH)).isEmpty();
  }

  @Test
  void aRefusedTokenIsASetupFailure() throws Exception {
    operator.answer(Reply.status(401));

    assertThat(WorkerMain.run(env(), FAST)).isEqualTo(WorkerExitCodes.SETUP_FAILED);

    assertThat(operator.authorizations()).hasSize(1);
  }

  @Test
  void anOperatorThatOnlyFailsIsGivenUpOn() throws Exception {
    operator.answer(Reply.status(503));

    long started = System.nanoTime();
    assertThat(WorkerMain.run(env(), FAST)).isEqualTo(WorkerExitCodes.WARM_GAVE_UP);

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(PATIENCE, PATIENCE.plusSeconds(3));
    assertThat(operator.authorizations()).hasSizeGreaterThan(2);
    assertThat(workDir).isEmptyDirectory();
  }

  @Test
  void anUnreachableOperatorIsGivenUpOn() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env = env();
    env.put(WarmWorkerProtocol.ORDER_URL_ENV, "http://127.0.0.1:" + closedPort + "/order");

    long started = System.nanoTime();
    assertThat(WorkerMain.run(env, FAST)).isEqualTo(WorkerExitCodes.WARM_GAVE_UP);

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(PATIENCE, PATIENCE.plusSeconds(3));
  }

  @Test
  void noOrderYetRestartsThePatience() throws Exception {
    // Each run of failures lasts less than the patience, both together more.
    Reply unavailable = Reply.status(503);
    operator.answer(
        unavailable,
        unavailable,
        unavailable,
        Reply.NO_ORDER_YET,
        unavailable,
        unavailable,
        unavailable,
        unavailable,
        Reply.status(410));
    WorkerSettings evenPauses =
        new WorkerSettings(
            FAST.connectTimeout(),
            FAST.transferTimeout(),
            FAST.reportTimeout(),
            FAST.reportInterval(),
            FAST.hintDelay(),
            FAST.finalReportAttempts(),
            FAST.finalReportBackoff(),
            FAST.probeTimeout(),
            PATIENCE,
            Duration.ofMillis(200),
            Duration.ofMillis(200),
            FAST.cgroupMount());

    assertThat(WorkerMain.run(env(), evenPauses)).isEqualTo(WorkerExitCodes.OK);

    assertThat(operator.authorizations()).hasSize(9);
  }

  @Test
  void aWarmWorkerWithoutItsTokenIsASetupFailure() throws Exception {
    Map<String, String> env = env();
    env.remove(WarmWorkerProtocol.TOKEN_FILE_ENV);
    assertThat(WorkerMain.run(env, FAST)).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    env.put(WarmWorkerProtocol.TOKEN_FILE_ENV, " ");
    assertThat(WorkerMain.run(env, FAST)).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    // The Secret is not mounted (yet), or holds nothing.
    env.put(WarmWorkerProtocol.TOKEN_FILE_ENV, logDir.resolve("no-such-token").toString());
    assertThat(WorkerMain.run(env, FAST)).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    Path empty = Files.writeString(logDir.resolve("empty-token"), "\n");
    env.put(WarmWorkerProtocol.TOKEN_FILE_ENV, empty.toString());
    assertThat(WorkerMain.run(env, FAST)).isEqualTo(WorkerExitCodes.SETUP_FAILED);

    assertThat(operator.authorizations()).isEmpty();
  }

  @Test
  void theTokenComesFromItsFileAndIsNeitherInTheEnvironmentNorInTheLog() throws Exception {
    operator.answer(Reply.status(401));
    Map<String, String> env = env();
    assertThat(env.values()).doesNotContain(TOKEN);

    TestingWorker.Exit exit = runJvm(env);

    assertThat(exit.code()).as(exit.log()).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    // The file's line end is not part of the token.
    assertThat(operator.authorizations()).containsExactly("Bearer " + TOKEN);
    assertThat(exit.log()).contains("refused the token").doesNotContain(TOKEN);
  }

  @Test
  void anOrderUrlThatIsNoHttpUrlIsASetupFailure() throws Exception {
    Map<String, String> env = env();
    for (String url : List.of("ftp://operator/order", "operator:8443/order", "http://")) {
      env.put(WarmWorkerProtocol.ORDER_URL_ENV, url);
      assertThat(WorkerMain.run(env, FAST)).as(url).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    }
  }

  @Test
  void aMalformedOrderIsASetupFailureAndNotLogged() throws Exception {
    String secret = "X-Amz-Signature=feedface";
    operator.answer(
        Reply.order(
            ("{\"taskId\": \"task-1\", \"inputs\": [{\"url\": \"https://s3/in?" + secret + "\"")
                .getBytes(StandardCharsets.UTF_8)));

    TestingWorker.Exit exit = runJvm(env());

    assertThat(exit.code()).as(exit.log()).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    assertThat(exit.log())
        .contains("no usable work order from the operator")
        .doesNotContain(secret)
        .doesNotContain(TOKEN);
    assertThat(operator.done()).isEmpty();
    assertThat(workDir).isEmptyDirectory();
  }

  private WorkOrder order() {
    return new WorkOrder(
        "task-1",
        List.of("-i", "in/in_1.mp4", "-c", "copy", "out/o.mp4"),
        List.of(new WorkOrder.Input("in_1", storage.url("/media/in_1.mp4"), "in/in_1.mp4", false)),
        null,
        List.of(new WorkOrder.Output("out_1", "out/o.mp4", storage.url("/s3/o.mp4"))),
        storage.url(REPORT_PATH),
        new RunLimits(100_000_000, 30, 1_000_000_000, 120, MediaPolicy.defaults()),
        "127.0.0.1/32");
  }

  /** A warm worker pod's environment, its token in a file as a mounted Secret has it. */
  private Map<String, String> env() throws Exception {
    Path token = Files.writeString(tokenDir.resolve("token"), TOKEN + "\n");
    Map<String, String> env = TestingWorker.env(workDir);
    env.put(WarmWorkerProtocol.ORDER_URL_ENV, operator.url());
    env.put(WarmWorkerProtocol.TOKEN_FILE_ENV, token.toString());
    return env;
  }

  private TestingWorker.Exit runJvm(Map<String, String> env) throws Exception {
    return TestingWorker.runJvm(env, logDir.resolve("worker.log"));
  }

  private static Phase phaseOf(byte[] report) {
    try {
      return JSON.readValue(report, WorkReport.class).phase();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One answer of the order endpoint: a status, and a body or none. */
  private record Reply(int status, byte[] body) {
    static final Reply NO_ORDER_YET = status(204);

    static Reply status(int status) {
      return new Reply(status, null);
    }

    static Reply order(byte[] json) {
      return new Reply(200, json);
    }
  }

  /**
   * The operator's order endpoint for one warm worker Job: gives its replies in turn (the last one
   * to every request after) and keeps each request's Authorization header.
   */
  private static final class OrderEndpoint implements AutoCloseable {
    private static final String PATH = WarmWorkerProtocol.orderPath("tasks", "warm-worker-1");
    private static final String DONE_PATH = WarmWorkerProtocol.doneUrl(PATH);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<Reply> replies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> done = new CopyOnWriteArrayList<>();
    private final List<byte[]> doneBodies = new CopyOnWriteArrayList<>();
    private final List<List<byte[]>> reportsStoredAtDone = new CopyOnWriteArrayList<>();
    private volatile Supplier<List<byte[]>> storedReports = List::of;

    OrderEndpoint() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(PATH, this::handle);
      server.createContext(
          DONE_PATH,
          exchange -> {
            try (exchange) {
              done.add(
                  exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestHeaders().getFirst("Authorization"));
              doneBodies.add(exchange.getRequestBody().readAllBytes());
              reportsStoredAtDone.add(storedReports.get());
              exchange.sendResponseHeaders(204, -1);
            }
          });
      server.setExecutor(executor);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    void answer(Reply... script) {
      replies.addAll(Arrays.asList(script));
    }

    /** Each "the run is over" request so far, as its method and Authorization header. */
    List<String> done() {
      return new ArrayList<>(done);
    }

    /** The body of each "the run is over" request so far. */
    List<byte[]> doneBodies() {
      return new ArrayList<>(doneBodies);
    }

    /** Where the worker's stored reports are to be read when it says its run is over. */
    void lookingAtReportsIn(Supplier<List<byte[]>> reports) {
      storedReports = reports;
    }

    /** For each "the run is over" request so far, the reports stored when it came. */
    List<List<byte[]>> reportsStoredAtDone() {
      return new ArrayList<>(reportsStoredAtDone);
    }

    /** The Authorization header of each request so far ("none" when it had none), oldest first. */
    List<String> authorizations() {
      return new ArrayList<>(authorizations);
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "none" : authorization);
        Reply reply = replies.get(Math.min(authorizations.size(), replies.size()) - 1);
        if (reply.body() == null) {
          exchange.sendResponseHeaders(reply.status(), -1);
        } else {
          exchange.sendResponseHeaders(reply.status(), reply.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
          }
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
