package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.ffmpegoperator.dev.kube.FileBackedStore.StoredObject;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches over plain HTTP: {@code GET <collection>?watch=true} answered with one JSON event per
 * line, as kubectl, client-go informers and Python's client read them. Websocket watches
 * (fabric8's) are left to the mock behind.
 *
 * <p>Follows the API server: no resourceVersion or "0" starts with ADDED for every selected object,
 * a kept version replays what came after it, an older one gets an ERROR event with a 410 Expired
 * Status; {@code allowWatchBookmarks} adds BOOKMARK events, {@code timeoutSeconds} ends the stream,
 * a Table Accept header turns every object into a one-row Table, and a client that stops reading
 * for too long is cut off.
 *
 * <p>Nothing here blocks the event loop: the types, the selected objects and the subscription are
 * read on a worker thread (under the store's write lock), events are queued by the hub onto the
 * request's context and encoded and written there.
 */
final class WatchRoute implements StreamingRoute {

  private static final Logger LOG = LoggerFactory.getLogger(WatchRoute.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<JsonNode> BY_NAMESPACE_AND_NAME =
      Comparator.comparing((JsonNode o) -> o.path("metadata").path("namespace").asText(""))
          .thenComparing(o -> o.path("metadata").path("name").asText(""));
  // The API server's default for a watch without timeoutSeconds: 30 min times a random [1, 2).
  private static final long DEFAULT_TIMEOUT_SECONDS = 1800;

  /** The API server sends bookmarks about once a minute. */
  static final Duration BOOKMARK_INTERVAL = Duration.ofMinutes(1);

  /** How long a watch may stay behind its client's connection before it is cut off. */
  static final Duration SLOW_CLIENT_GRACE = Duration.ofSeconds(10);

  private final WatchHub hub;
  private final PersistentCrudDispatcher crud;
  private final Callable<List<ResourceType>> types;
  private final TablePrinter printer;
  private final Vertx vertx;
  private final Duration bookmarkInterval;
  private final Duration slowClientGrace;

  /**
   * @param bookmarkInterval how often a watch that allows bookmarks gets one
   * @param slowClientGrace how long a watch may have more queued than its connection takes before
   *     it is cut off, as the API server drops watchers that fall behind
   */
  WatchRoute(
      WatchHub hub,
      PersistentCrudDispatcher crud,
      Callable<List<ResourceType>> types,
      TablePrinter printer,
      Vertx vertx,
      Duration bookmarkInterval,
      Duration slowClientGrace) {
    this.hub = hub;
    this.crud = crud;
    this.types = types;
    this.printer = printer;
    this.vertx = vertx;
    this.bookmarkInterval = bookmarkInterval;
    this.slowClientGrace = slowClientGrace;
  }

  @Override
  public boolean handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET
        || "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      return false;
    }
    Map<String, String> query = QueryParams.of(request.uri());
    if (!QueryParams.isTrue(query.get("watch"))) {
      return false;
    }
    Optional<ResourcePath> path = ResourcePath.parse(request.path());
    if (path.isEmpty() || path.get().subresource() != null) {
      return false;
    }
    Stream stream = new Stream(request, Vertx.currentContext());
    request.response().closeHandler(v -> stream.closed());
    request.response().exceptionHandler(e -> stream.closed());
    String accept = request.getHeader("Accept");
    vertx
        .executeBlocking(() -> open(path.get(), query, accept, stream), false)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                stream.start(result.result());
              } else {
                LOG.warn("Cannot watch {}", request.uri(), result.cause());
                stream.refuse(ApiStatus.failure(500, "InternalError", result.cause().toString()));
              }
            });
    return true;
  }

  /** What a watch starts with, worked out on a worker thread. */
  private record Opened(
      MockResponse refused,
      String firstLines,
      WatchHub.Subscription subscription,
      Encoder encoder,
      long timeoutSeconds,
      boolean bookmarks,
      long startVersion) {

    static Opened refusal(MockResponse status) {
      return new Opened(status, null, null, null, 0, false, 0);
    }
  }

  private Opened open(ResourcePath path, Map<String, String> query, String accept, Stream stream)
      throws Exception {
    Optional<ResourceType> type = types.call().stream().filter(t -> t.servedAt(path)).findFirst();
    if (type.isEmpty()) {
      return Opened.refusal(
          ApiStatus.failure(404, "NotFound", "the server could not find the requested resource"));
    }
    WatchFilter filter;
    long timeoutSeconds;
    Long from;
    try {
      String fields = query.getOrDefault("fieldSelector", "");
      if (path.name() != null) {
        // A watch of one object's path (deprecated, still served) selects it by name.
        fields = (fields.isBlank() ? "" : fields + ",") + "metadata.name=" + path.name();
      }
      ResourcePath collection =
          new ResourcePath(
              path.group(), path.version(), path.namespace(), path.plural(), null, null);
      filter =
          new WatchFilter(
              collection,
              LabelSelector.parse(query.get("labelSelector")),
              FieldSelector.parse(fields));
      timeoutSeconds = timeoutSeconds(query.get("timeoutSeconds"));
      from = resourceVersion(query.get("resourceVersion"));
    } catch (IllegalArgumentException e) {
      return Opened.refusal(ApiStatus.failure(400, "BadRequest", e.getMessage()));
    }
    boolean table = TablePrinter.wantsTable(accept);
    Encoder encoder = new Encoder(table ? printer : null, type.get(), query.get("includeObject"));
    boolean bookmarks = QueryParams.isTrue(query.get("allowWatchBookmarks")) && !table;
    Subscribed subscribed =
        crud.underWriteLock(
            () -> {
              try {
                if (from == null) {
                  List<StoredObject> stored = crud.snapshot();
                  long now = hub.newestResourceVersion();
                  return new Subscribed(hub.subscribe(filter, now, stream::offer), stored, now);
                }
                return new Subscribed(hub.subscribe(filter, from, stream::offer), null, from);
              } catch (WatchHub.Expired e) {
                return new Subscribed(null, null, e);
              }
            });
    if (subscribed.expired() != null) {
      String line = encoder.encode(new WatchEvent(WatchEvent.ERROR, expired(subscribed.expired())));
      return new Opened(null, line, null, encoder, 0, false, 0);
    }
    StringBuilder first = new StringBuilder();
    if (subscribed.stored() != null) {
      for (JsonNode object : selected(subscribed.stored(), filter)) {
        first.append(encoder.encode(new WatchEvent(WatchEvent.ADDED, object)));
      }
      if (bookmarks && QueryParams.isTrue(query.get("sendInitialEvents"))) {
        // WatchList: a bookmark marks the end of the initial state.
        ObjectNode bookmark = bookmarkObject(type.get(), subscribed.version());
        ((ObjectNode) bookmark.path("metadata"))
            .putObject("annotations")
            .put("k8s.io/initial-events-end", "true");
        first.append(encoder.encode(new WatchEvent(WatchEvent.BOOKMARK, bookmark)));
      }
    }
    for (WatchEvent event : subscribed.subscription().replay()) {
      first.append(encoder.encode(event));
    }
    return new Opened(
        null,
        first.toString(),
        subscribed.subscription(),
        encoder,
        timeoutSeconds,
        bookmarks,
        subscribed.version());
  }

  private record Subscribed(
      WatchHub.Subscription subscription,
      List<StoredObject> stored,
      long version,
      Exception expired) {
    Subscribed(WatchHub.Subscription subscription, List<StoredObject> stored, long version) {
      this(subscription, stored, version, null);
    }

    Subscribed(WatchHub.Subscription subscription, List<StoredObject> stored, WatchHub.Expired e) {
      this(subscription, stored, 0, e);
    }
  }

  /** The stored objects the filter selects, sorted as the API server lists them. */
  private static List<JsonNode> selected(List<StoredObject> stored, WatchFilter filter)
      throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    for (StoredObject object : stored) {
      if (filter.inCollection(object.path())) {
        JsonNode json = JSON.readTree(object.json());
        if (filter.selects(json)) {
          objects.add(json);
        }
      }
    }
    objects.sort(BY_NAMESPACE_AND_NAME);
    return objects;
  }

  /** The version to watch after; null for "now, with the current objects" (absent or "0"). */
  private static Long resourceVersion(String value) {
    if (value == null || value.isEmpty() || value.equals("0")) {
      return null;
    }
    try {
      long version = Long.parseLong(value);
      if (version > 0) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("invalid resource version: " + value);
  }

  private static long timeoutSeconds(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      long seconds = Long.parseLong(value);
      if (seconds >= 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("invalid timeoutSeconds: " + value);
  }

  /** The Status a watch cache sends when asked for a version it no longer has. */
  private static ObjectNode expired(Exception e) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", e.getMessage());
    status.put("reason", "Expired");
    status.put("code", 410);
    return status;
  }

  private static ObjectNode bookmarkObject(ResourceType type, long resourceVersion) {
    ObjectNode object = JSON.createObjectNode();
    object.put("kind", type.kind());
    object.put("apiVersion", type.groupVersion());
    object.putObject("metadata").put("resourceVersion", String.valueOf(resourceVersion));
    return object;
  }

  /** Turns events into lines: JSON, or for a Table watch one-row Tables. */
  private static final class Encoder {
    private final TablePrinter printer;
    private final ResourceType type;
    private final String includeObject;
    private boolean first = true;

    Encoder(TablePrinter printer, ResourceType type, String includeObject) {
      this.printer = printer;
      this.type = type;
      this.includeObject = includeObject;
    }

    /** Called on one thread at a time (the worker, then the request's context). */
    String encode(WatchEvent event) {
      JsonNode object = event.object();
      boolean isObject =
          !event.type().equals(WatchEvent.BOOKMARK) && !event.type().equals(WatchEvent.ERROR);
      if (printer != null && isObject) {
        ObjectNode table = printer.print(type, object, includeObject);
        // Like the API server: the column definitions come with the first event only.
        if (!first) {
          table.putNull("columnDefinitions");
        }
        first = false;
        object = table;
      }
      ObjectNode line = JSON.createObjectNode();
      line.put("type", event.type());
      line.set("object", object);
      try {
        return JSON.writeValueAsString(line) + "\n";
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** One open watch; every method but {@link #offer} runs on the request's context. */
  private final class Stream {
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Context context;
    private final List<WatchEvent> pending = new ArrayList<>();
    private Opened opened;
    private boolean started;
    private boolean ended;
    private long timeoutTimer = -1;
    private long bookmarkTimer = -1;
    private long slowTimer = -1;

    Stream(HttpServerRequest request, Context context) {
      this.request = request;
      this.response = request.response();
      this.context = context;
    }

    /** From the hub, under the store's write lock: queued, in order, onto the context. */
    void offer(WatchEvent event) {
      context.runOnContext(v -> deliver(event));
    }

    void refuse(MockResponse status) {
      if (ended) {
        return;
      }
      ended = true;
      response
          .setStatusCode(status.code())
          .putHeader(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE)
          .end(new String(status.getBody().getBytes(), StandardCharsets.UTF_8));
    }

    void start(Opened opened) {
      if (opened.refused() != null) {
        refuse(opened.refused());
        return;
      }
      this.opened = opened;
      if (ended) {
        // The client left while the watch was being opened.
        closeSubscription();
        return;
      }
      // As the API server: a Table watch is sent as application/json too.
      response
          .setStatusCode(200)
          .putHeader(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE)
          .setChunked(true);
      if (opened.subscription() == null) {
        response.end(opened.firstLines());
        ended = true;
        return;
      }
      // The head goes now, events or not: clients wait for it before they read any event.
      response.writeHead();
      write(opened.firstLines().isEmpty() ? null : opened.firstLines());
      started = true;
      for (WatchEvent event : pending) {
        deliver(event);
      }
      pending.clear();
      long seconds =
          opened.timeoutSeconds() > 0
              ? opened.timeoutSeconds()
              : (long) (DEFAULT_TIMEOUT_SECONDS * (1 + ThreadLocalRandom.current().nextDouble()));
      timeoutTimer = vertx.setTimer(seconds * 1000, id -> timedOut());
      if (opened.bookmarks()) {
        bookmarkTimer =
            vertx.setPeriodic(
                bookmarkInterval.toMillis(), id -> context.runOnContext(v -> bookmark()));
      }
    }

    private void deliver(WatchEvent event) {
      if (ended) {
        return;
      }
      if (!started) {
        pending.add(event);
        return;
      }
      write(opened.encoder().encode(event));
    }

    private void bookmark() {
      if (ended) {
        return;
      }
      // Read now and written after whatever the hub queued before it: no change at or below this
      // version can come after the bookmark.
      long version = Math.max(hub.newestResourceVersion(), opened.startVersion());
      ResourceType type = opened.encoder().type;
      write(
          opened
              .encoder()
              .encode(new WatchEvent(WatchEvent.BOOKMARK, bookmarkObject(type, version))));
    }

    private void timedOut() {
      timeoutTimer = -1;
      if (opened.bookmarks()) {
        // A last bookmark, queued after the pending events, then the end.
        context.runOnContext(
            v -> {
              bookmark();
              end();
            });
      } else {
        context.runOnContext(v -> end());
      }
    }

    private void write(String lines) {
      if (lines == null) {
        return;
      }
      response.write(lines);
      if (response.writeQueueFull() && slowTimer < 0) {
        slowTimer = vertx.setTimer(slowClientGrace.toMillis(), id -> tooSlow());
        response.drainHandler(
            v -> {
              if (slowTimer >= 0) {
                vertx.cancelTimer(slowTimer);
                slowTimer = -1;
              }
            });
      }
    }

    private void tooSlow() {
      slowTimer = -1;
      if (ended) {
        return;
      }
      LOG.info(
          "Ending the watch {}: its client has not taken what was sent for {}",
          request.uri(),
          slowClientGrace);
      // Ending normally would wait behind what it does not read; the client re-watches from its
      // last resourceVersion, as after any ended watch.
      closed();
      request.connection().close();
    }

    private void end() {
      if (ended) {
        return;
      }
      closed();
      response.end();
    }

    /** The client left, or the watch is ending: stop delivery and timers. */
    void closed() {
      ended = true;
      for (long timer : new long[] {timeoutTimer, bookmarkTimer, slowTimer}) {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
      }
      timeoutTimer = bookmarkTimer = slowTimer = -1;
      closeSubscription();
    }

    private void closeSubscription() {
      if (opened != null && opened.subscription() != null) {
        opened.subscription().close();
      }
    }
  }
}
