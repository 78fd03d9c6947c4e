package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkReport.Phase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reports go to a store that keeps only the last one: the final report never waits for stale ones.
 */
class ReportWriterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Phase> stored = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstArrived = new CountDownLatch(1);
  private final CountDownLatch releaseFirst = new CountDownLatch(1);
  private HttpServer server;
  private StorageClient http;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/report",
        exchange -> {
          try (exchange) {
            WorkReport report =
                JSON.readValue(exchange.getRequestBody().readAllBytes(), WorkReport.class);
            if (firstArrived.getCount() > 0) {
              // The first write is slow, as a busy store's would be.
              firstArrived.countDown();
              try {
                releaseFirst.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            stored.add(report.phase());
            exchange.sendResponseHeaders(200, -1);
          } catch (RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    http = new StorageClient(Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws Exception {
    releaseFirst.countDown();
    http.close();
    server.stop(0);
  }

  @Test
  void hintsReplacedWhileAWriteIsSlowAreDroppedAndTheFinalReportComesLast() throws Exception {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/report");
    ReportWriter reports = new ReportWriter(http, url, WorkerSettings.defaults());

    reports.phase(Phase.Downloading, 0);
    assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
    // While that write hangs, two more hints come; the second replaces the first.
    reports.phase(Phase.Running, 0);
    reports.phase(Phase.Uploading, 100);
    CompletableFuture<Boolean> finished =
        CompletableFuture.supplyAsync(
            () -> reports.finish(new WorkReport(Phase.Succeeded, 100, List.of(), null, null)));
    Thread.sleep(200);
    assertThat(finished).as("the final report waits for the write under way").isNotDone();

    releaseFirst.countDown();
    assertThat(finished.get(10, TimeUnit.SECONDS)).isTrue();
    // Running was replaced by Uploading, and Uploading by the final report, before either was
    // taken: neither is written, so nothing can land after the result.
    assertThat(stored).containsExactly(Phase.Downloading, Phase.Succeeded);
  }

  @Test
  void phasesOverBeforeTheHintDelayAreNeverWritten() throws Exception {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/report");
    ReportWriter reports = new ReportWriter(http, url, WorkerSettings.defaults());
    releaseFirst.countDown(); // no slow write here

    // A small task: every phase is over long before the hint delay.
    reports.phase(Phase.Downloading, 0);
    reports.phase(Phase.Running, 0);
    reports.progress(50);
    reports.phase(Phase.Uploading, 100);
    assertThat(reports.finish(new WorkReport(Phase.Succeeded, 100, List.of(), null, null)))
        .isTrue();

    Thread.sleep(WorkerSettings.defaults().hintDelay().toMillis() + 200);
    assertThat(stored).containsExactly(Phase.Succeeded);
  }

  @Test
  void aPhaseThatLastsIsWrittenAfterTheHintDelay() throws Exception {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/report");
    ReportWriter reports = new ReportWriter(http, url, WorkerSettings.defaults());
    releaseFirst.countDown();

    reports.phase(Phase.Downloading, 0);
    assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reports.finish(new WorkReport(Phase.Succeeded, 100, List.of(), null, null)))
        .isTrue();

    assertThat(stored).containsExactly(Phase.Downloading, Phase.Succeeded);
  }
}
