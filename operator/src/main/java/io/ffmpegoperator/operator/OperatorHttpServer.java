package io.ffmpegoperator.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's own HTTP endpoint: {@code GET /metrics} (Prometheus text), {@code GET /healthz}
 * (liveness) and {@code GET /readyz} (readiness). A standby replica under leader election is ready:
 * it is healthy, its caches are synced, and it takes over the moment it is elected.
 */
public final class OperatorHttpServer implements AutoCloseable {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(OperatorHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";

  private final HttpServer server;
  private final ExecutorService executor;

  private OperatorHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on all interfaces; returns once the port is bound. Safe to start before the
   * operator: until the operator has started, {@code /healthz} says ok and {@code /readyz} 503.
   *
   * @param port TCP port; 0 picks a free one
   */
  public static OperatorHttpServer start(
      int port, Operator operator, OperatorMetrics metrics, Leadership leadership) {
    HttpServer server;
    try {
      server = JdkHttpServers.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on port " + port, e);
    }
    // Probes and scrapes are few and short: two threads, daemon so they never hold the JVM up.
    ExecutorService executor =
        Executors.newFixedThreadPool(2, JdkHttpServers.daemon("operator-http"));
    server.setExecutor(executor);
    serve(server, "/metrics", () -> new Answer(200, PROMETHEUS_TEXT, metrics.scrape()));
    serve(server, "/healthz", () -> health(operator));
    serve(server, "/readyz", () -> readiness(operator, leadership));
    serve(server, "/", () -> json(404, Map.of("status", "not found")));
    server.start();
    LOG.info(
        "Operator HTTP endpoint on port {}: /metrics, /healthz, /readyz",
        server.getAddress().getPort());
    return new OperatorHttpServer(server, executor);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Live unless the operator runs with an event source (informer) that is not healthy. */
  static Answer health(Operator operator) {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    // Before start() returns, the informers are still syncing: starting is alive.
    if (!runtime.isStarted() || runtime.allEventSourcesAreHealthy()) {
      return json(200, Map.of("status", "ok"));
    }
    return json(503, Map.of("status", "unhealthy", "detail", unhealthy(runtime)));
  }

  /** Ready once started with every informer synced and watching; leader or standby alike. */
  static Answer readiness(Operator operator, Leadership leadership) {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    if (!runtime.isStarted()) {
      return json(503, Map.of("status", "not started"));
    }
    if (!runtime.allEventSourcesAreHealthy()) {
      return json(503, Map.of("status", "unhealthy", "detail", unhealthy(runtime)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("leader", leadership.isLeader());
    return json(200, body);
  }

  private static String unhealthy(RuntimeInfo runtime) {
    TreeSet<String> names = new TreeSet<>();
    runtime
        .unhealthyEventSources()
        .forEach(
            (controller, sources) ->
                sources.keySet().forEach(source -> names.add(controller + "/" + source)));
    return "event sources not healthy: " + String.join(", ", names);
  }

  private static Answer json(int status, Map<String, ?> body) {
    try {
      return new Answer(status, JSON_TYPE, JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void serve(HttpServer server, String path, Supplier<Answer> answer) {
    server.createContext(path, handler(path, answer));
  }

  private static HttpHandler handler(String path, Supplier<Answer> answer) {
    return exchange -> {
      try (exchange) {
        String method = exchange.getRequestMethod();
        // A context matches every path it prefixes; only its own path is its answer.
        if (!exchange.getRequestURI().getPath().equals(path)) {
          send(exchange, json(404, Map.of("status", "not found")));
          return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          send(exchange, json(405, Map.of("status", "method not allowed")));
          return;
        }
        Answer result;
        try {
          result = answer.get();
        } catch (RuntimeException e) {
          LOG.warn("{} failed", exchange.getRequestURI().getPath(), e);
          result = json(500, Map.of("status", "error"));
        }
        send(exchange, result);
      }
    };
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(answer.status(), head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** A response: status, content type and body. */
  record Answer(int status, String contentType, String body) {}
}
