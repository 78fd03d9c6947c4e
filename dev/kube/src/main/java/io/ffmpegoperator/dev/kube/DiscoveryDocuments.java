package io.ffmpegoperator.dev.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery answers kubectl needs before it does anything ({@code /version}, {@code /api},
 * {@code /apis}, {@code /api/v1}, {@code /apis/group[/version]}), built from the built-in kinds and
 * the CRDs currently stored.
 */
final class DiscoveryDocuments {

  /** The Kubernetes version this server claims to be; kubectl 1.32 is what is installed here. */
  static final String MAJOR = "1";

  static final String MINOR = "32";

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private final List<ResourceType> types;

  DiscoveryDocuments(List<ResourceType> types) {
    this.types = types;
  }

  /** Whether the path (query ignored) is one of discovery's, answered here or with 404. */
  static boolean isDiscoveryPath(String rawPath) {
    String path = trim(rawPath);
    String[] s = path.split("/");
    return path.equals("/version")
        || (s.length >= 2 && s.length <= 3 && s[1].equals("api"))
        || (s.length >= 2 && s.length <= 4 && s[1].equals("apis"));
  }

  /** The JSON answer for a discovery path, or empty if nothing is served there (404). */
  Optional<String> answer(String rawPath) {
    String path = trim(rawPath);
    String[] s = path.split("/");
    if (path.equals("/version")) {
      return Optional.of(version());
    }
    if (path.equals("/api")) {
      return Optional.of(Serialization.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    }
    if (path.equals("/apis")) {
      return Optional.of(
          Serialization.asJson(new APIGroupListBuilder().withGroups(groups()).build()));
    }
    if (s.length == 3 && s[1].equals("api")) {
      return resources("", s[2]);
    }
    if (s.length == 3) {
      return groups().stream()
          .filter(g -> g.getName().equals(s[2]))
          .findFirst()
          .map(Serialization::asJson);
    }
    return resources(s[2], s[3]);
  }

  /** What {@code GET /} lists. */
  static String rootPaths() {
    return Serialization.asJson(
        Map.of(
            "paths",
            List.of(
                "/api",
                "/api/v1",
                "/apis",
                "/apis/apiextensions.k8s.io/v1",
                "/apis/batch/v1",
                "/apis/coordination.k8s.io/v1",
                "/healthz",
                "/livez",
                "/readyz",
                "/version")));
  }

  private static String version() {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("major", MAJOR);
    info.put("minor", MINOR);
    info.put("gitVersion", "v" + MAJOR + "." + MINOR + ".0-ffmpeg-operator-embedded");
    info.put("gitCommit", "");
    info.put("gitTreeState", "clean");
    info.put("buildDate", "1970-01-01T00:00:00Z");
    info.put("goVersion", "");
    info.put("compiler", "");
    info.put("platform", "linux/amd64");
    return Serialization.asJson(info);
  }

  /** The non-core groups, each with its versions in the order first seen. */
  private List<APIGroup> groups() {
    Map<String, List<String>> versions = new LinkedHashMap<>();
    for (ResourceType type : types) {
      if (!type.group().isEmpty()) {
        List<String> list = versions.computeIfAbsent(type.group(), g -> new ArrayList<>());
        if (!list.contains(type.version())) {
          list.add(type.version());
        }
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versions.forEach(
        (group, list) -> {
          List<GroupVersionForDiscovery> gvs =
              list.stream()
                  .map(
                      v ->
                          new GroupVersionForDiscoveryBuilder()
                              .withGroupVersion(group + "/" + v)
                              .withVersion(v)
                              .build())
                  .toList();
          groups.add(
              new APIGroupBuilder()
                  .withName(group)
                  .withVersions(gvs)
                  .withPreferredVersion(gvs.get(0))
                  .build());
        });
    return groups;
  }

  private Optional<String> resources(String group, String version) {
    APIResourceListBuilder list =
        new APIResourceListBuilder()
            .withGroupVersion(group.isEmpty() ? version : group + "/" + version);
    boolean any = false;
    for (ResourceType type : types) {
      if (!type.group().equals(group) || !type.version().equals(version)) {
        continue;
      }
      any = true;
      list.addToResources(
          new APIResourceBuilder()
              .withName(type.plural())
              .withSingularName(type.singular())
              .withNamespaced(type.namespaced())
              .withKind(type.kind())
              .withVerbs(VERBS)
              .withShortNames(type.shortNames().isEmpty() ? null : type.shortNames())
              .build());
      if (type.statusSubresource()) {
        list.addToResources(
            new APIResourceBuilder()
                .withName(type.plural() + "/status")
                .withSingularName("")
                .withNamespaced(type.namespaced())
                .withKind(type.kind())
                .withVerbs(STATUS_VERBS)
                .build());
      }
    }
    return any ? Optional.of(Serialization.asJson(list.build())) : Optional.empty();
  }

  private static String trim(String path) {
    int query = path.indexOf('?');
    String p = query < 0 ? path : path.substring(0, query);
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
