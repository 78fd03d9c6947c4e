package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} renders, every document parses into its typed fabric8 class (only the
 * Prometheus Operator's ServiceMonitor stays generic) and carries the standard labels.
 */
class ChartRenderTest {

  @Test
  void defaultsRenderTheseKinds() {
    List<HasMetadata> resources = Chart.render(null);

    assertThat(kinds(resources))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "ClusterRole", 1L,
                    "ClusterRoleBinding", 1L,
                    "Deployment", 2L,
                    "NetworkPolicy", 1L,
                    "PodDisruptionBudget", 1L,
                    "Role", 1L,
                    "RoleBinding", 1L,
                    "Secret", 2L,
                    // operator metrics and orders, bridge
                    "Service", 3L,
                    "ServiceAccount", 2L)));
    assertTyped(resources);
  }

  @Test
  void namespacedValuesRenderTheseKinds() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);

    assertThat(kinds(resources))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "Deployment", 2L,
                    "Ingress", 1L,
                    "NetworkPolicy", 2L,
                    "PodDisruptionBudget", 1L,
                    // operator in team-a and team-b, leader election, bridge
                    "Role", 4L,
                    "RoleBinding", 4L,
                    "Service", 3L,
                    "ServiceAccount", 2L,
                    "ServiceMonitor", 2L)));
    assertTyped(resources);
    assertThat(Chart.ofType(resources, GenericKubernetesResource.class))
        .allSatisfy(
            monitor -> {
              assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
              assertThat(monitor.getMetadata().getLabels())
                  .containsEntry("release", "kube-prometheus-stack");
              Map<String, Object> endpoint =
                  monitor.<List<Map<String, Object>>>get("spec", "endpoints").get(0);
              assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
            });
  }

  @Test
  void everyResourceHasTheStandardLabels() {
    for (var values : new Path[] {null, Chart.NAMESPACED_VALUES}) {
      for (HasMetadata resource : Chart.render(values)) {
        String what = resource.getKind() + " " + resource.getMetadata().getName();
        assertThat(resource.getMetadata().getLabels())
            .as(what)
            .containsEntry("app.kubernetes.io/name", "ffmpeg-operator")
            .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
            .containsEntry("app.kubernetes.io/version", "0.1.0")
            .containsEntry("app.kubernetes.io/managed-by", "Helm")
            .containsEntry("helm.sh/chart", "ffmpeg-operator-0.1.0")
            .containsKey("app.kubernetes.io/component");
        if (resource instanceof Namespaced || resource instanceof GenericKubernetesResource) {
          assertThat(resource.getMetadata().getNamespace()).as(what).isNotBlank();
        }
      }
    }
  }

  @Test
  void selectorsMatchThePodsOfTheirComponentOnly() {
    List<HasMetadata> resources = Chart.render(null);
    for (Deployment deployment : Chart.ofType(resources, Deployment.class)) {
      Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(selector);
      // The operator's worker pods carry component=worker and never match a Deployment.
      assertThat(selector).containsKey("app.kubernetes.io/component");
      assertThat(selector.get("app.kubernetes.io/component")).isIn("operator", "bridge");
    }
    for (Service service : Chart.ofType(resources, Service.class)) {
      assertThat(Chart.ofType(resources, Deployment.class))
          .as(service.getMetadata().getName())
          .filteredOn(
              d ->
                  d.getSpec()
                      .getTemplate()
                      .getMetadata()
                      .getLabels()
                      .entrySet()
                      .containsAll(service.getSpec().getSelector().entrySet()))
          .hasSize(1);
    }
    PodDisruptionBudget budget = Chart.named(resources, PodDisruptionBudget.class, "-bridge");
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Workloads.bridge(resources).getSpec().getSelector().getMatchLabels());
  }

  private static void assertTyped(List<HasMetadata> resources) {
    assertThat(resources)
        .filteredOn(r -> r instanceof GenericKubernetesResource)
        .allSatisfy(r -> assertThat(r.getKind()).isEqualTo("ServiceMonitor"));
    assertThat(resources)
        .filteredOn(r -> !(r instanceof GenericKubernetesResource))
        .allSatisfy(
            r ->
                assertThat(r.getClass().getSimpleName())
                    .as("typed class of %s", r.getKind())
                    .isEqualTo(r.getKind()));
  }

  private static Map<String, Long> kinds(List<HasMetadata> resources) {
    return resources.stream()
        .collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new, Collectors.counting()));
  }
}
