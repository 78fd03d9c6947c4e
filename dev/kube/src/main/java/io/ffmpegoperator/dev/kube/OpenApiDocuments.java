package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Serves the OpenAPI documents of {@link OpenApiSpec} the way the API server does: {@code
 * /openapi/v3} lists one URL per group-version, carrying the hash of that document so that clients
 * may cache it for good; {@code /openapi/v3/<group-version>} answers the document, or redirects to
 * the current hash when asked for an old one; {@code /openapi/v2} answers JSON.
 *
 * <p>The documents are built again after a CRD changes, so a CRD applied later is explained and
 * validated as well. Only JSON is served: kubectl 1.27 and later ask for JSON and fall back to the
 * protobuf v2 document only when v3 fails.
 */
final class OpenApiDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final String V3 = "/openapi/v3";
  private static final String V2 = "/openapi/v2";

  private final PersistentCrudDispatcher crud;
  private final Supplier<BuiltInSchemas> builtIns;
  private Built built;

  OpenApiDocuments(PersistentCrudDispatcher crud) {
    this(crud, BuiltInSchemas::get);
  }

  OpenApiDocuments(PersistentCrudDispatcher crud, Supplier<BuiltInSchemas> builtIns) {
    this.crud = crud;
    this.builtIns = builtIns;
  }

  /** One serialized document and its hash (SHA-512, upper-case hex, as the API server's). */
  private record Document(byte[] json, String hash) {
    static Document of(JsonNode node) {
      try {
        byte[] json = JSON.writeValueAsBytes(node);
        return new Document(json, OpenApiDocuments.hash(json));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The documents as they were for these served types and this count of CRD changes. */
  private static final class Built {
    final long crdChanges;
    final List<ResourceType> types;
    final OpenApiSpec spec;
    final Map<String, Document> v3 = new LinkedHashMap<>();
    final Document index;
    Document v2;

    Built(long crdChanges, List<ResourceType> types, OpenApiSpec spec) {
      this.crdChanges = crdChanges;
      this.types = types;
      this.spec = spec;
      ObjectNode paths = JSON.createObjectNode();
      for (String gv : spec.groupVersionPaths()) {
        Document doc = Document.of(spec.v3(gv).orElseThrow());
        v3.put(gv, doc);
        paths.putObject(gv).put("serverRelativeURL", url(gv, doc.hash()));
      }
      ObjectNode root = JSON.createObjectNode();
      root.set("paths", paths);
      this.index = Document.of(root);
    }
  }

  /**
   * The answer to a GET under {@code /openapi/}, or empty when nothing is served there (404).
   *
   * @param types the kinds served now (discovery's list)
   */
  Optional<MockResponse> answer(
      String path, Map<String, String> query, String accept, List<ResourceType> types)
      throws IOException {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (!p.equals(V3) && !p.startsWith(V3 + "/") && !p.equals(V2)) {
      return Optional.empty();
    }
    if (!acceptsJson(accept)) {
      // Only JSON is served. kubectl's request for the protobuf v2 document is its fallback; a 404
      // there makes it go on without (it never asks v2 for JSON).
      return p.equals(V2)
          ? Optional.empty()
          : Optional.of(
              ApiStatus.failure(406, "NotAcceptable", "only application/json is served at " + p));
    }
    Built current = current(types);
    if (p.equals(V3)) {
      return Optional.of(json(current.index, false));
    }
    if (p.equals(V2)) {
      return Optional.of(json(v2(current), false));
    }
    String gv = p.substring(V3.length() + 1);
    Document doc = current.v3.get(gv);
    if (doc == null) {
      return Optional.empty();
    }
    String hash = query.get("hash");
    if (hash != null && !hash.isEmpty() && !hash.equals(doc.hash())) {
      // A URL from an older index: the API server redirects to the current document.
      return Optional.of(
          new MockResponse().setResponseCode(301).setHeader("Location", url(gv, doc.hash())));
    }
    return Optional.of(json(doc, hash != null && !hash.isEmpty()));
  }

  private synchronized Built current(List<ResourceType> types) throws IOException {
    long changes = crud.crdChanges();
    if (built != null && built.crdChanges == changes && built.types.equals(types)) {
      return built;
    }
    List<JsonNode> crds = new ArrayList<>();
    MockResponse stored = crud.handleGet(CRDS);
    if (stored.code() == 200 && stored.getBody() != null) {
      JSON.readTree(stored.getBody().getBytes()).path("items").forEach(crds::add);
    }
    built = new Built(changes, List.copyOf(types), OpenApiSpec.build(types, crds, builtIns.get()));
    return built;
  }

  /** The v2 document is large and rarely asked for: made on the first request. */
  private static synchronized Document v2(Built current) {
    if (current.v2 == null) {
      current.v2 = Document.of(current.spec.v2());
    }
    return current.v2;
  }

  private static MockResponse json(Document doc, boolean immutable) {
    MockResponse response =
        new MockResponse()
            .setResponseCode(200)
            .setHeader(ApiStatus.CONTENT_TYPE, ApiStatus.JSON_TYPE)
            .setHeader("Etag", "\"" + doc.hash() + "\"")
            .setHeader("Vary", "Accept")
            .setBody(new Buffer(doc.json()));
    if (immutable) {
      // The URL names this very content: clients may keep it for good.
      response
          .setHeader("Cache-Control", "public, immutable")
          .setHeader(
              "Expires",
              DateTimeFormatter.RFC_1123_DATE_TIME.format(
                  ZonedDateTime.now(ZoneOffset.UTC).plusYears(1)));
    }
    return response;
  }

  static String url(String groupVersionPath, String hash) {
    return V3 + "/" + groupVersionPath + "?hash=" + hash;
  }

  /** Whether the Accept header admits JSON (no header admits anything). */
  static boolean acceptsJson(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String range : accept.split(",")) {
      String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
        return true;
      }
    }
    return false;
  }

  static String hash(byte[] bytes) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }
}
