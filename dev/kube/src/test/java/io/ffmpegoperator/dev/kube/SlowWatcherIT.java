package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A watcher that stops reading is cut off, so the server does not queue for it without end. */
@Timeout(120)
class SlowWatcherIT {
  @TempDir Path stateDir;

  private WatchHub hub;
  private ApiHttpServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    PersistentCrudDispatcher crud = new PersistentCrudDispatcher(new FileBackedStore(stateDir));
    crud.restore();
    hub = new WatchHub(crud.lastResourceVersion(), 100);
    crud.addChangeListener(hub);
    ApiServerDispatcher dispatcher = new ApiServerDispatcher(crud, Clock.systemUTC());
    server = ApiHttpServer.start(InetAddress.getLoopbackAddress(), 0, dispatcher);
    server.addRoute(
        new WatchRoute(
            hub,
            crud,
            dispatcher::types,
            new TablePrinter(Clock.systemUTC()),
            server.vertx(),
            Duration.ofMinutes(1),
            Duration.ofMillis(300)));
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

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aWatcherThatStopsReadingIsCutOffAndOneThatReadsIsNot() throws Exception {
    try (Socket reading = watchOverSocket();
        Socket stalled = watchOverSocket()) {
      InputStream in = reading.getInputStream();
      Thread reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[1 << 16];
                try {
                  while (in.read(buffer) >= 0) {
                    // keep reading
                  }
                } catch (Exception e) {
                  // socket closed at the end of the test
                }
              });
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.watches() == 2);

      String big = "x".repeat(512 * 1024);
      for (int i = 0; i < 100 && hub.watches() == 2; i++) {
        client
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("big-" + i)
                    .endMetadata()
                    .addToData("x", big)
                    .build())
            .create();
        Thread.sleep(20);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> hub.watches() == 1);
      // The stalled watcher's connection is closed: past what was queued, its stream ends.
      stalled.setSoTimeout(10_000);
      InputStream stalledIn = stalled.getInputStream();
      byte[] buffer = new byte[1 << 16];
      int read = 0;
      try {
        while (read >= 0) {
          read = stalledIn.read(buffer);
        }
      } catch (SocketException e) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
      assertThat(hub.watches()).isEqualTo(1);
    }
  }

  /** A watch request on a socket with a small receive buffer; nothing is read from it. */
  private Socket watchOverSocket() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }
}
