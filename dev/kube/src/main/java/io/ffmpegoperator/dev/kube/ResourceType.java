package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One kind the API serves at one group/version: what discovery lists and what the table printer
 * needs. {@code printerColumns} is null for built-in kinds (they have hand-written columns).
 */
record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    List<String> shortNames,
    boolean namespaced,
    boolean statusSubresource,
    List<PrinterColumn> printerColumns) {

  /** One additionalPrinterColumn of a CRD version. */
  record PrinterColumn(String name, String type, String format, int priority, String jsonPath) {}

  /** The kinds of the Kubernetes API this embedded server is meant to hold (no apps, no rbac). */
  static final List<ResourceType> BUILT_IN =
      List.of(
          builtIn("", "v1", "Namespace", "namespaces", List.of("ns"), false, true),
          builtIn("", "v1", "Pod", "pods", List.of("po"), true, true),
          builtIn("", "v1", "Event", "events", List.of("ev"), true, false),
          builtIn("", "v1", "ConfigMap", "configmaps", List.of("cm"), true, false),
          builtIn("", "v1", "Secret", "secrets", List.of(), true, false),
          builtIn("", "v1", "Service", "services", List.of("svc"), true, true),
          builtIn("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), true, false),
          builtIn("", "v1", "Endpoints", "endpoints", List.of("ep"), true, false),
          builtIn(
              "",
              "v1",
              "PersistentVolumeClaim",
              "persistentvolumeclaims",
              List.of("pvc"),
              true,
              true),
          builtIn("", "v1", "Node", "nodes", List.of("no"), false, true),
          builtIn("batch", "v1", "Job", "jobs", List.of(), true, true),
          builtIn("batch", "v1", "CronJob", "cronjobs", List.of("cj"), true, true),
          builtIn("coordination.k8s.io", "v1", "Lease", "leases", List.of(), true, false),
          builtIn(
              "apiextensions.k8s.io",
              "v1",
              "CustomResourceDefinition",
              "customresourcedefinitions",
              List.of("crd", "crds"),
              false,
              true));

  private static ResourceType builtIn(
      String group,
      String version,
      String kind,
      String plural,
      List<String> shortNames,
      boolean namespaced,
      boolean status) {
    return new ResourceType(
        group,
        version,
        kind,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        shortNames,
        namespaced,
        status,
        null);
  }

  /** The served versions of an apiextensions.k8s.io/v1 CustomResourceDefinition. */
  static List<ResourceType> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    String plural = names.path("plural").asText();
    String kind = names.path("kind").asText();
    String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
    List<ResourceType> types = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode c : version.path("additionalPrinterColumns")) {
        columns.add(
            new PrinterColumn(
                c.path("name").asText(),
                c.path("type").asText("string"),
                c.path("format").asText(""),
                c.path("priority").asInt(0),
                c.path("jsonPath").asText()));
      }
      types.add(
          new ResourceType(
              spec.path("group").asText(),
              version.path("name").asText(),
              kind,
              plural,
              singular.isEmpty() ? kind.toLowerCase(java.util.Locale.ROOT) : singular,
              List.copyOf(shortNames),
              !"Cluster".equals(spec.path("scope").asText()),
              version.path("subresources").has("status"),
              columns));
    }
    return types;
  }

  boolean isCustom() {
    return printerColumns != null;
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  boolean servedAt(ResourcePath path) {
    return group.equals(path.group())
        && version.equals(path.version())
        && plural.equals(path.plural());
  }
}
