package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a resource's REST path: {@code /api/v1/namespaces/ns/pods/name/status} or {@code
 * /apis/group/version/...}. {@code group} is empty for the core API; {@code namespace}, {@code
 * name} and {@code subresource} may be null.
 */
record ResourcePath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource) {

  /** Parses a request path (a query string is ignored); empty for anything but a resource path. */
  static Optional<ResourcePath> parse(String path) {
    int query = path.indexOf('?');
    String[] segments =
        Arrays.stream((query < 0 ? path : path.substring(0, query)).split("/"))
            .filter(s -> !s.isEmpty())
            .toArray(String[]::new);
    String group;
    int rest;
    if (segments.length >= 3 && segments[0].equals("api")) {
      group = "";
      rest = 2;
    } else if (segments.length >= 4 && segments[0].equals("apis")) {
      group = segments[1];
      rest = 3;
    } else {
      return Optional.empty();
    }
    String version = segments[rest - 1];
    String[] r = Arrays.copyOfRange(segments, rest, segments.length);
    // "/api/v1/namespaces/x/status" is the namespace's own subresource, not a resource in x.
    boolean namespaced =
        r.length >= 3
            && r[0].equals("namespaces")
            && !(r.length == 3 && (r[2].equals("status") || r[2].equals("finalize")));
    int start = namespaced ? 2 : 0;
    if (r.length - start > 3) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourcePath(
            group,
            version,
            namespaced ? r[1] : null,
            r[start],
            r.length > start + 1 ? r[start + 1] : null,
            r.length > start + 2 ? r[start + 2] : null));
  }

  /** The path of one object, from its apiVersion, namespace and name and the type's plural. */
  static ResourcePath ofObject(String apiVersion, String namespace, String plural, String name) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    return new ResourcePath(group, version, namespace, plural, name, null);
  }

  /** The path of a stored object, from its JSON and the type's plural. */
  static ResourcePath ofObject(JsonNode object, String plural) {
    JsonNode metadata = object.path("metadata");
    return ofObject(
        object.path("apiVersion").asText(),
        metadata.path("namespace").asText(null),
        Objects.requireNonNull(plural, "plural"),
        metadata.path("name").asText());
  }

  /** The path of the object the mock keeps under {@code key}; empty for a key of no object. */
  static Optional<ResourcePath> ofKey(AttributeSet key) {
    String api = value(key, KubernetesAttributesExtractor.API);
    String version = value(key, KubernetesAttributesExtractor.VERSION);
    String plural = value(key, KubernetesAttributesExtractor.PLURAL);
    String name = value(key, KubernetesAttributesExtractor.NAME);
    if (version == null || plural == null || name == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourcePath(
            api == null ? "" : api,
            version,
            value(key, KubernetesAttributesExtractor.NAMESPACE),
            plural,
            name,
            null));
  }

  static String value(AttributeSet key, String name) {
    Attribute attribute = key.getAttribute(name);
    return attribute == null || attribute.getValues().isEmpty()
        ? null
        : attribute.getValues().get(0).toString();
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  boolean isCollection() {
    return name == null;
  }

  String collectionPath() {
    String root = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return root + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural;
  }

  /** The object's own path, without subresource. */
  String itemPath() {
    return collectionPath() + "/" + name;
  }
}
