package io.ffmpegoperator.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A TCP proxy on loopback that balances per connection, as a Kubernetes Service does: each client
 * connection is pinned to one backend port, chosen round-robin, for as long as it lives, and bytes
 * are copied both ways.
 */
final class TestingTcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final List<Integer> backends;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicIntegerArray connections;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "tcp-proxy");
            thread.setDaemon(true);
            return thread;
          });

  TestingTcpProxy(List<Integer> backendPorts) throws IOException {
    this.backends = List.copyOf(backendPorts);
    this.connections = new AtomicIntegerArray(backends.size());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptAll);
  }

  int port() {
    return server.getLocalPort();
  }

  /** How many client connections each backend got so far, in the order of the ports given. */
  List<Integer> connectionsPerBackend() {
    return java.util.stream.IntStream.range(0, backends.size()).mapToObj(connections::get).toList();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        int backend = Math.floorMod(next.getAndIncrement(), backends.size());
        connections.incrementAndGet(backend);
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), backends.get(backend));
        threads.execute(() -> copy(client, upstream));
        threads.execute(() -> copy(upstream, client));
      } catch (IOException e) {
        // Closed, or a backend refused: the client sees its connection end, as with a Service.
      }
    }
  }

  /** Copies until {@code from} ends, then ends {@code to}'s side, so the other half ends too. */
  private static void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // Reset by either end: close both below.
    } finally {
      closeQuietly(to);
      closeQuietly(from);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
