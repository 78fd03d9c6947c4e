package io.ffmpegoperator.dev.kube;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the embedded API: {@link StreamingRoute}s first, then the mock's dispatcher.
 *
 * <p>fabric8's {@code MockWebServer} can only send a finished body, so a watch or a followed log
 * over plain HTTP cannot come out of it, and its server is private. This server takes its place and
 * hands every request no route takes to the mock's own request handler, so discovery, CRUD and the
 * websocket watches of fabric8 clients work as they did.
 *
 * <p>Threading: Vert.x calls the routes and the dispatcher on the server's event loop. Routes must
 * not block; the dispatcher does (store locks, disk writes), as it did inside the mock. A route
 * that answers from another thread writes through the Vert.x context it captured in {@code handle}
 * ({@code context.runOnContext}).
 */
final class ApiHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);

  // What the mock offered: kubectl exec/attach/port-forward ask for these websocket protocols.
  private static final List<String> WEBSOCKET_SUB_PROTOCOLS =
      List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");

  private final Vertx vertx;
  private final Dispatcher dispatcher;
  private final List<StreamingRoute> routes = new CopyOnWriteArrayList<>();
  private final HttpServerRequestHandler fallback;
  private HttpServer server;

  private ApiHttpServer(Vertx vertx, Dispatcher dispatcher) {
    this.vertx = vertx;
    this.dispatcher = dispatcher;
    this.fallback =
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            return dispatcher.dispatch(request);
          }
        };
  }

  /**
   * Listens on {@code address:port} (port 0: any free one) and answers with {@code dispatcher} what
   * no route takes.
   */
  static ApiHttpServer start(InetAddress address, int port, Dispatcher dispatcher) {
    ApiHttpServer api = new ApiHttpServer(Vertx.vertx(), dispatcher);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(address.getHostAddress())
            .setPort(port)
            .setWebSocketSubProtocols(WEBSOCKET_SUB_PROTOCOLS)
            .setHandle100ContinueAutomatically(true)
            // An API server never upgrades plain HTTP to HTTP/2, and streams are read as chunked
            // HTTP/1.1 by kubectl and Python's client; clients that offer h2c go on in HTTP/1.1.
            .setHttp2ClearTextEnabled(false);
    try {
      api.server =
          await(
              api.vertx.createHttpServer(options).requestHandler(api::handle).listen(),
              "listen on " + address.getHostAddress() + ":" + port);
    } catch (RuntimeException e) {
      api.closeVertx();
      throw e;
    }
    return api;
  }

  /** Offers requests to {@code route} after the routes added before it, before the dispatcher. */
  void addRoute(StreamingRoute route) {
    routes.add(route);
  }

  /** The Vert.x instance serving; routes use it for timers. */
  Vertx vertx() {
    return vertx;
  }

  int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    for (StreamingRoute route : routes) {
      try {
        if (route.handle(request)) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.warn("{} {} failed", request.method(), request.uri(), e);
        if (request.response().headWritten()) {
          // Half a stream cannot turn into an error any more; the client sees it cut off.
          request.connection().close();
        } else {
          MockResponse status = ApiStatus.failure(500, "InternalError", e.toString());
          request
              .response()
              .setStatusCode(500)
              .putHeader(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE)
              .end(new String(status.getBody().getBytes(), StandardCharsets.UTF_8));
        }
        return;
      }
    }
    fallback.handle(request);
  }

  /** Stops listening, closes open connections (and so every stream) and stops Vert.x. */
  @Override
  public void close() {
    // As the mock did: the dispatcher is told first, then the server stops.
    dispatcher.shutdown();
    try {
      await(server.close(), "close the server");
    } catch (RuntimeException e) {
      LOG.warn("Cannot close the API server: {}", e.toString());
    }
    closeVertx();
  }

  private void closeVertx() {
    try {
      await(vertx.close(), "stop Vert.x");
    } catch (RuntimeException e) {
      LOG.warn("Cannot stop Vert.x: {}", e.toString());
    }
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot " + what, e.getCause() == null ? e : e.getCause());
    }
  }
}
