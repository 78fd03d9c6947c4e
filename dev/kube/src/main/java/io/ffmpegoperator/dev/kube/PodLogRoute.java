package io.ffmpegoperator.dev.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/namespaces/<ns>/pods/<name>/log}: the container's output as {@code
 * text/plain}, from the files the node keeps ({@link PodLogFiles}); with {@code follow}, a chunked
 * answer that stays open and gets the new lines until the container has ended.
 *
 * <p>Threading: everything that reads the store or a file runs in {@code executeBlocking}; the
 * event loop only writes. A followed log is polled on a Vert.x timer, one read at a time.
 */
final class PodLogRoute implements StreamingRoute {

  private static final Logger LOG = LoggerFactory.getLogger(PodLogRoute.class);

  /** How often a followed log looks for new lines (kubectl's own poll of a file is one second). */
  static final long POLL_MILLIS = 250;

  private static final String TEXT = "text/plain";

  private final PersistentCrudDispatcher crud;
  private final Vertx vertx;
  private final Clock clock;
  private volatile PodLogFiles files = (namespace, pod, container) -> List.of();

  PodLogRoute(PersistentCrudDispatcher crud, Vertx vertx, Clock clock) {
    this.crud = crud;
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Serves logs from {@code files} from now on (until then, every log is empty). */
  void serve(PodLogFiles files) {
    this.files = files;
  }

  @Override
  public boolean handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      return false;
    }
    Optional<ResourcePath> path = ResourcePath.parse(request.path());
    if (path.isEmpty() || !isPodLog(path.get())) {
      return false;
    }
    Map<String, String> query = QueryParams.of(request.uri());
    PodLogFiles logFiles = files;
    vertx
        .executeBlocking(() -> PodLogStream.open(crud, logFiles, path.get(), query, clock), false)
        .onComplete(
            opened -> {
              if (request.response().closed()) {
                return;
              }
              if (opened.failed()) {
                fail(request, opened.cause());
              } else if (opened.result().refusal() != null) {
                answer(request.response(), opened.result().refusal());
              } else {
                start(request, opened.result().stream(), opened.result().text());
              }
            });
    return true;
  }

  static boolean isPodLog(ResourcePath path) {
    return path.group().isEmpty()
        && path.plural().equals("pods")
        && path.namespace() != null
        && path.name() != null
        && "log".equals(path.subresource());
  }

  private void start(HttpServerRequest request, PodLogStream stream, byte[] text) {
    HttpServerResponse response =
        request.response().setStatusCode(200).putHeader(ApiStatus.CONTENT_TYPE, TEXT);
    if (stream.done()) {
      response.end(Buffer.buffer(text));
      return;
    }
    response.setChunked(true);
    // Sent now, even if empty: the client knows the stream is open.
    response.write(Buffer.buffer(text));
    new Follow(request, response, stream).start();
  }

  /** A followed log: polls the files until the stream is done or the client has gone. */
  private final class Follow {
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final PodLogStream stream;
    private long timer;
    private boolean reading;
    private boolean closed;

    Follow(HttpServerRequest request, HttpServerResponse response, PodLogStream stream) {
      this.request = request;
      this.response = response;
      this.stream = stream;
    }

    void start() {
      response.closeHandler(v -> stop());
      timer = vertx.setPeriodic(POLL_MILLIS, id -> tick());
    }

    private void tick() {
      // One read at a time, and none while the client is still taking the last ones.
      if (reading || closed || response.writeQueueFull()) {
        return;
      }
      reading = true;
      vertx
          .executeBlocking(stream::poll, false)
          .onComplete(
              polled -> {
                reading = false;
                if (closed) {
                  return;
                }
                if (polled.failed()) {
                  LOG.warn("Following {} failed", request.uri(), polled.cause());
                  stop();
                  response.end();
                  return;
                }
                if (polled.result().length > 0) {
                  response.write(Buffer.buffer(polled.result()));
                }
                if (stream.done()) {
                  stop();
                  response.end();
                }
              });
    }

    private void stop() {
      closed = true;
      vertx.cancelTimer(timer);
    }
  }

  private static void answer(HttpServerResponse response, MockResponse status) {
    response
        .setStatusCode(status.code())
        .putHeader(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE)
        .end(Buffer.buffer(status.getBody().getBytes()));
  }

  private static void fail(HttpServerRequest request, Throwable cause) {
    LOG.warn("{} failed", request.uri(), cause);
    answer(request.response(), ApiStatus.failure(500, "InternalError", cause.toString()));
  }
}
