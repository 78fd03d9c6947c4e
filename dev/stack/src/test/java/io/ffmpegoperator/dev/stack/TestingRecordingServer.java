package io.ffmpegoperator.dev.stack;

import com.sun.net.httpserver.HttpServer;
import io.ffmpegoperator.operator.JdkHttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP listener that stands for a forbidden address (cloud metadata, an internal service): it
 * records every request that reaches it and answers with a secret, so a test can assert both that
 * nobody connected and that the secret went nowhere.
 */
final class TestingRecordingServer implements AutoCloseable {
  private final HttpServer server;
  private final List<String> hits = new CopyOnWriteArrayList<>();

  TestingRecordingServer(String address, String secret) throws IOException {
    server = JdkHttpServers.create(new InetSocketAddress(address, 0), 0);
    server.createContext(
        "/",
        exchange -> {
          hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          byte[] body = secret.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Every request received, as "METHOD /path". */
  List<String> hits() {
    return List.copyOf(hits);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
