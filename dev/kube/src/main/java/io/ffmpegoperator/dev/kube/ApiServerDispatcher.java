package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of the embedded API: answers discovery, server-side printing (Tables) and field
 * selectors the way kubectl expects, and passes every read and write of objects to the CRUD store.
 */
final class ApiServerDispatcher extends Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServerDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final String CONTENT_TYPE = ApiStatus.CONTENT_TYPE;
  private static final String JSON_TYPE = ApiStatus.JSON_TYPE;
  private static final String PROTOBUF_TYPE = "application/vnd.kubernetes.protobuf";

  private final PersistentCrudDispatcher crud;
  private final TablePrinter printer;
  private final ServerSideApply apply;
  private final OpenApiDocuments openApi;
  private volatile KnownTypes knownTypes;

  ApiServerDispatcher(PersistentCrudDispatcher crud, Clock clock) {
    this.crud = crud;
    this.printer = new TablePrinter(clock);
    this.apply = new ServerSideApply(crud, clock);
    crud.trackManagedFields(new ManagedFieldsTracker(clock));
    this.openApi = new OpenApiDocuments(crud);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      return switch (request.getMethod()) {
        case "GET" -> get(request);
        case "POST", "PUT", "PATCH" -> write(request);
        default -> withJsonType(crud.dispatch(request));
      };
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} {} failed", request.getMethod(), request.getPath(), e);
      return status(500, "InternalError", e.toString());
    }
  }

  private MockResponse get(RecordedRequest request) throws IOException {
    String rawPath = request.getPath();
    String path = pathOnly(rawPath);
    Map<String, String> query = query(rawPath);
    if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
      return new MockResponse().setResponseCode(200).setBody("ok");
    }
    if (path.startsWith("/openapi/")) {
      return openApi
          .answer(path, query, request.getHeader("Accept"), types())
          .orElseGet(
              () -> status(404, "NotFound", "the server could not find the requested resource"));
    }
    if (DiscoveryDocuments.isDiscoveryPath(path)) {
      return new DiscoveryDocuments(types())
          .answer(path)
          .map(json -> json(200, json))
          .orElseGet(
              () -> status(404, "NotFound", "the server could not find the requested resource"));
    }
    if (path.equals("/")) {
      return json(200, DiscoveryDocuments.rootPaths());
    }
    Optional<ResourcePath> resource = ResourcePath.parse(path);
    if (resource.isEmpty() || !readable(resource.get())) {
      // The mock would answer any other path with a list of every object it holds.
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    if (QueryParams.isTrue(query.get("watch"))) {
      return withJsonType(crud.dispatch(request));
    }
    // The mock matches field selectors on metadata.name/namespace only and drops objects for any
    // other field (kubectl describe asks for events by involvedObject.*): select here instead.
    FieldSelector selector = FieldSelector.parse(query.get("fieldSelector"));
    MockResponse response = crud.dispatch(withPath(request, without(rawPath, "fieldSelector")));
    if (response.code() == 404) {
      return notFound(resource.get());
    }
    if (response.code() != 200) {
      return withJsonType(response);
    }
    JsonNode body = JSON.readTree(response.getBody().getBytes());
    Optional<ResourceType> type =
        types().stream().filter(t -> t.servedAt(resource.get())).findFirst();
    if (resource.get().isCollection() && body.has("items")) {
      ArrayNode items = JSON.createArrayNode();
      for (JsonNode item : body.path("items")) {
        if (selector.matches(item)) {
          items.add(item);
        }
      }
      ObjectNode list = (ObjectNode) body;
      list.set("items", items);
      // The mock calls every list "List"; clients that decode by kind want e.g. EventList.
      type.ifPresent(t -> list.put("kind", t.kind() + "List").put("apiVersion", t.groupVersion()));
    }
    if (TablePrinter.wantsTable(request.getHeader("Accept")) && type.isPresent()) {
      body = printer.print(type.get(), body, query.get("includeObject"));
    }
    return json(200, JSON.writeValueAsString(body));
  }

  /**
   * Whether a GET of the path reads stored objects: an object, a collection or an object's status.
   * Other subresources (log, exec, scale, ...) are served by the routes in front, or not at all.
   */
  private static boolean readable(ResourcePath path) {
    return path.subresource() == null || path.subresource().equals("status");
  }

  private MockResponse write(RecordedRequest request) throws IOException {
    if (ServerSideApply.isApply(request.getMethod(), request.getHeader(CONTENT_TYPE))) {
      return apply.apply(request, types());
    }
    // The query goes along: the store reads fieldValidation from it, and drops it before the mock
    // sees the path.
    String path = pathOnly(request.getPath());
    Headers headers = request.getHeaders();
    String contentType = request.getHeader(CONTENT_TYPE);
    if (contentType != null && contentType.startsWith(PROTOBUF_TYPE)) {
      // kubectl's typed commands (create configmap, create secret) send protobuf, which the mock
      // cannot read; the API server's own answer to a body it cannot decode.
      return status(
          415,
          "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include:"
              + " application/json, application/yaml");
    }
    if ("PATCH".equals(request.getMethod())
        && contentType != null
        && contentType.contains("strategic-merge-patch")) {
      // kubectl label/annotate/apply patch built-in kinds this way; a JSON merge patch does the
      // same except that lists are replaced instead of merged by key.
      headers = headers.newBuilder().set(CONTENT_TYPE, "application/merge-patch+json").build();
    }
    headers = ManagedFieldsTracker.withFieldManager(headers, request.getPath());
    RecordedRequest normalized =
        new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            request.getPath(),
            headers,
            new Buffer(request.getBody().getBytes()));
    MockResponse response = crud.dispatch(normalized);
    if (response.code() == 404 && (response.getBody() == null || response.getBody().size() == 0)) {
      return ResourcePath.parse(path)
          .filter(p -> !p.isCollection())
          .map(this::notFound)
          .orElse(withJsonType(response));
    }
    return withJsonType(response);
  }

  /**
   * The built-in kinds and every served version of the CRDs stored right now. Every GET needs them,
   * and listing the CRDs looks at everything stored: they are read again only after a CRD changed.
   */
  List<ResourceType> types() throws IOException {
    long crdChanges = crud.crdChanges();
    KnownTypes known = knownTypes;
    if (known != null && known.crdChanges() == crdChanges) {
      return known.types();
    }
    List<ResourceType> types = new ArrayList<>(ResourceType.BUILT_IN);
    MockResponse crds = crud.handleGet(CRDS);
    if (crds.code() == 200 && crds.getBody() != null) {
      for (JsonNode crd : JSON.readTree(crds.getBody().getBytes()).path("items")) {
        types.addAll(ResourceType.fromCrd(crd));
      }
    }
    knownTypes = new KnownTypes(crdChanges, List.copyOf(types));
    return types;
  }

  /** The served types as they were when {@link PersistentCrudDispatcher#crdChanges()} was this. */
  private record KnownTypes(long crdChanges, List<ResourceType> types) {}

  private MockResponse notFound(ResourcePath path) {
    return ApiStatus.notFound(path);
  }

  private static MockResponse status(int code, String reason, String message) {
    return ApiStatus.failure(code, reason, message);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader(CONTENT_TYPE, JSON_TYPE)
        .setBody(body);
  }

  /** The mock sends no Content-Type; kubectl copes, but other clients decode better with one. */
  private static MockResponse withJsonType(MockResponse response) {
    if (response.getWebSocketListener() == null
        && response.getBody() != null
        && response.getBody().size() > 0
        && response.header(CONTENT_TYPE) == null) {
      response.setHeader(CONTENT_TYPE, JSON_TYPE);
    }
    return response;
  }

  private static RecordedRequest withPath(RecordedRequest request, String path) {
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        path,
        request.getHeaders(),
        new Buffer(request.getBody().getBytes()));
  }

  static String pathOnly(String rawPath) {
    int query = rawPath.indexOf('?');
    return query < 0 ? rawPath : rawPath.substring(0, query);
  }

  /** The decoded query parameters (the last one wins when repeated). */
  static Map<String, String> query(String rawPath) {
    Map<String, String> parameters = new LinkedHashMap<>();
    int start = rawPath.indexOf('?');
    if (start < 0) {
      return parameters;
    }
    for (String pair : rawPath.substring(start + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      parameters.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  /** The raw path with one query parameter removed, the others left encoded as they came. */
  static String without(String rawPath, String parameter) {
    int start = rawPath.indexOf('?');
    if (start < 0) {
      return rawPath;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : rawPath.substring(start + 1).split("&")) {
      String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (!pair.isEmpty() && !URLDecoder.decode(key, StandardCharsets.UTF_8).equals(parameter)) {
        kept.add(pair);
      }
    }
    return rawPath.substring(0, start) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }
}
