package io.ffmpegoperator.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the input hosts and S3: GET serves registered files (404 otherwise), PUT
 * records bodies, and single paths can be made to redirect or to answer a fixed status.
 */
final class TestingHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Boolean> chunked = new ConcurrentHashMap<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, Boolean> stalls = new ConcurrentHashMap<>();
  private final Map<String, List<byte[]>> puts = new ConcurrentHashMap<>();

  TestingHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The absolute URL of {@code path} (which starts with "/"). */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Serves {@code body} at {@code path}, with a Content-Length or (if chunked) without. */
  void serve(String path, byte[] body, boolean chunkedBody) {
    files.put(path, body);
    chunked.put(path, chunkedBody);
  }

  /** Answers {@code path} with a 302 to {@code location}. */
  void redirect(String path, String location) {
    redirects.put(path, location);
  }

  /** Answers every request to {@code path} with {@code status} and no body. */
  void answer(String path, int status) {
    statuses.put(path, status);
  }

  /** Answers {@code path} with a 200 and a few bytes, then nothing more for a minute. */
  void stall(String path) {
    stalls.put(path, true);
  }

  /** Bodies PUT to {@code path}, oldest first. */
  List<byte[]> puts(String path) {
    return puts.getOrDefault(path, List.of());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] request = exchange.getRequestBody().readAllBytes();
      if (stalls.containsKey(path)) {
        exchange.sendResponseHeaders(200, 1_000_000);
        exchange.getResponseBody().write(new byte[100]);
        exchange.getResponseBody().flush();
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else if (statuses.containsKey(path)) {
        exchange.sendResponseHeaders(statuses.get(path), -1);
      } else if (redirects.containsKey(path)) {
        exchange.getResponseHeaders().add("Location", redirects.get(path));
        exchange.sendResponseHeaders(302, -1);
      } else if (exchange.getRequestMethod().equals("PUT")) {
        puts.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(request);
        exchange.sendResponseHeaders(200, -1);
      } else if (files.containsKey(path)) {
        byte[] body = files.get(path);
        exchange.sendResponseHeaders(200, chunked.get(path) ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
