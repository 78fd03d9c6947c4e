package io.ffmpegoperator.dev.stack;

import com.sun.net.httpserver.HttpServer;
import io.ffmpegoperator.operator.JdkHttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serves a folder over plain HTTP on 127.0.0.1, as a user's media server would; 404 otherwise. */
final class TestingInputServer implements AutoCloseable {
  private final HttpServer server;

  TestingInputServer(Path root) throws IOException {
    server = JdkHttpServers.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
          if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          exchange.sendResponseHeaders(200, Files.size(file));
          try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
          }
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
