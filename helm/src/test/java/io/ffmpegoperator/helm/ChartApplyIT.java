package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code helm install} would send, sent with the fabric8 client to a Kubernetes API in CRUD
 * mode: the chart's CRDs first, then every rendered manifest; each is read back as it was sent, and
 * the CRDs serve their custom resources.
 */
class ChartApplyIT {
  private TestingApiServer api;
  private KubernetesClient client;

  static Stream<Arguments> installs() {
    return Stream.of(
        Arguments.of("defaults", null, List.of(Chart.NAMESPACE)),
        Arguments.of(
            "namespaced", Chart.NAMESPACED_VALUES, List.of(Chart.NAMESPACE, "team-a", "team-b")));
  }

  @BeforeEach
  void startApi() {
    api = TestingApiServer.start();
    client = api.client;
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installs")
  void installAndReadBack(String install, Path values, List<String> namespaces) throws IOException {
    for (String namespace : namespaces) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    List<CustomResourceDefinition> crds = chartCrds();
    crds.forEach(crd -> client.resource(crd).create());
    List<HasMetadata> manifests = Chart.render(values);
    if (manifests.stream().anyMatch(r -> r.getKind().equals("ServiceMonitor"))) {
      // Stands in for the Prometheus Operator's CRD, which a cluster with ServiceMonitors has.
      client.resource(serviceMonitorCrd()).create();
    }

    for (HasMetadata manifest : manifests) {
      client.resource(manifest).create();
    }

    for (CustomResourceDefinition crd : crds) {
      CustomResourceDefinition stored = client.resource(crd).get();
      assertThat(stored).as(crd.getMetadata().getName()).isNotNull();
      assertThat(stored.getSpec()).isEqualTo(crd.getSpec());
    }
    for (HasMetadata manifest : manifests) {
      String what = manifest.getKind() + " " + manifest.getMetadata().getName();
      HasMetadata stored = client.resource(manifest).get();
      assertThat(stored).as(what).isNotNull();
      assertThat(stored.getClass()).as(what).isEqualTo(manifest.getClass());
      assertThat(stored.getMetadata().getNamespace())
          .as(what)
          .isEqualTo(manifest.getMetadata().getNamespace());
      assertThat(stored.getMetadata().getLabels())
          .as(what)
          .isEqualTo(manifest.getMetadata().getLabels());
      assertThat(Chart.SERIALIZATION.asJson(withoutMetadata(stored)))
          .as(what)
          .isEqualTo(Chart.SERIALIZATION.asJson(withoutMetadata(manifest)));
    }
    assertThat(client.rbac().roles().inAnyNamespace().list().getItems())
        .hasSameSizeAs(Chart.ofType(manifests, Role.class));
    assertThat(client.rbac().clusterRoles().list().getItems())
        .hasSameSizeAs(Chart.ofType(manifests, ClusterRole.class));

    // The installed CRDs serve FfmpegTasks where the bridge puts them.
    String taskNamespace = namespaces.size() > 1 ? "team-a" : Chart.NAMESPACE;
    FfmpegTask task = new FfmpegTask();
    task.getMetadata().setName("first-task");
    task.getMetadata().setNamespace(taskNamespace);
    FfmpegTaskSpec spec = new FfmpegTaskSpec();
    spec.setCommand("-i in_1 -c:v libx264 out_1");
    spec.setInputs(Map.of("in_1", "https://example.com/clip.mp4"));
    spec.setOutputs(Map.of("out_1", "small.mp4"));
    task.setSpec(spec);
    client.resource(task).create();
    assertThat(client.resources(FfmpegTask.class).inNamespace(taskNamespace).list().getItems())
        .extracting(t -> t.getSpec().getCommand())
        .containsExactly("-i in_1 -c:v libx264 out_1");
  }

  private static List<CustomResourceDefinition> chartCrds() throws IOException {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(Chart.CRDS).sorted()) {
      for (Path file : files.toList()) {
        crds.add(
            Chart.SERIALIZATION.unmarshal(Files.readString(file), CustomResourceDefinition.class));
      }
    }
    return crds;
  }

  /** The object with only what the chart sets in metadata: the server adds uid, version, ... */
  private static Object withoutMetadata(HasMetadata resource) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = Chart.SERIALIZATION.convertValue(resource, Map.class);
    map.remove("metadata");
    // The mock may fill in status; the chart sets none.
    map.remove("status");
    return map;
  }

  private static CustomResourceDefinition serviceMonitorCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("servicemonitors.monitoring.coreos.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("monitoring.coreos.com")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("ServiceMonitor")
        .withPlural("servicemonitors")
        .withSingular("servicemonitor")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
