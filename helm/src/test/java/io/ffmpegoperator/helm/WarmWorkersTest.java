package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Warm workers fit together: the operator is told to keep them where the worker NetworkPolicy is,
 * and the URL it gives their pods names the orders Service, whose port the policy lets them reach.
 * With {@code worker.warm.count=0} none of it is rendered.
 */
class WarmWorkersTest {

  @Test
  void defaultsKeepOneWarmWorkerInTheWorkerNamespace() {
    List<HasMetadata> resources = Chart.render(null);
    Map<String, String> env = Workloads.env(Workloads.operator(resources));

    assertThat(env)
        .containsEntry("WORKER_WARM", "1")
        .containsEntry("WORKER_WARM_IDLE_SECONDS", "3600")
        .containsEntry("WORKER_WARM_PORT", "8081");
    assertServesOrders(resources, 8081);
    assertThat(env.get("WORKER_WARM_NAMESPACES")).isEqualTo(policyNamespaces(resources));
  }

  @Test
  void namespacedWarmWorkersInEachWatchedNamespace() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);
    Map<String, String> env = Workloads.env(Workloads.operator(resources));

    assertThat(env).containsEntry("WORKER_WARM_NAMESPACES", "team-a,team-b");
    assertThat(env.get("WORKER_WARM_NAMESPACES")).isEqualTo(policyNamespaces(resources));
    // Two replicas: the Service reaches both, and both answer orders.
    assertServesOrders(resources, 8081);
    // In each warm namespace the operator may make the token Secrets and relabel claimed pods.
    for (String namespace : env.get("WORKER_WARM_NAMESPACES").split(",")) {
      Role role =
          Chart.ofType(resources, Role.class).stream()
              .filter(r -> r.getMetadata().getName().endsWith("-operator"))
              .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
              .findFirst()
              .orElseThrow();
      assertThat(RbacTest.rules(role.getRules()))
          .contains(" secrets [] create", " pods [] get,list,watch,patch");
    }
  }

  @Test
  void countPortAndIdleTimeAreSettable() {
    List<HasMetadata> resources =
        Chart.parse(
            Chart.templateWith(
                null,
                Map.of(
                    "worker.warm.count", 3,
                    "worker.warm.port", 9091,
                    "worker.warm.idleSeconds", 600)));

    assertThat(Workloads.env(Workloads.operator(resources)))
        .containsEntry("WORKER_WARM", "3")
        .containsEntry("WORKER_WARM_PORT", "9091")
        .containsEntry("WORKER_WARM_IDLE_SECONDS", "600");
    assertServesOrders(resources, 9091);
  }

  @Test
  void countZeroTurnsWarmWorkersOff() {
    List<HasMetadata> resources =
        Chart.parse(Chart.templateWith(null, Map.of("worker.warm.count", 0)));
    Deployment operator = Workloads.operator(resources);

    assertThat(Workloads.env(operator))
        .containsEntry("WORKER_WARM", "0")
        .doesNotContainKeys(
            "WORKER_WARM_NAMESPACES",
            "WORKER_WARM_PORT",
            "WORKER_WARM_URL",
            "WORKER_WARM_IDLE_SECONDS");
    assertThat(Workloads.container(operator).getPorts())
        .extracting(p -> p.getName())
        .containsExactly("http");
    assertThat(Chart.ofType(resources, Service.class))
        .extracting(s -> s.getMetadata().getName())
        .noneMatch(name -> name.endsWith("-orders"));
    assertThat(Chart.ofType(resources, NetworkPolicy.class))
        .flatExtracting(p -> p.getSpec().getEgress())
        .flatExtracting(NetworkPolicyEgressRule::getTo)
        .allSatisfy(peer -> assertThat(peer.getPodSelector()).isNull());
  }

  @Test
  void warmNamespacesMustBeWatched() {
    assertThatThrownBy(
            () ->
                Chart.templateWith(
                    Chart.NAMESPACED_VALUES,
                    Map.of("worker.networkPolicy.namespaces[0]", "elsewhere")))
        .hasMessageContaining(
            "worker.networkPolicy.namespaces has elsewhere, which is not in watchNamespaces");
    // Without warm workers a policy there is harmless, as before.
    assertThat(
            Chart.templateWith(
                Chart.NAMESPACED_VALUES,
                Map.of("worker.networkPolicy.namespaces[0]", "elsewhere", "worker.warm.count", 0)))
        .contains("namespace: elsewhere");
  }

  @Test
  void valuesTheOperatorWouldRefuseAreRefused() {
    assertThatThrownBy(() -> Chart.templateWith(null, Map.of("worker.warm.count", -1)))
        .hasMessageContaining("worker.warm.count must be 0 or more, got -1");
    assertThatThrownBy(() -> Chart.templateWith(null, Map.of("worker.warm.idleSeconds", 30)))
        .hasMessageContaining("worker.warm.idleSeconds must be at least 60");
  }

  /**
   * The operator listens for orders on {@code port} (container port "orders"), the orders Service
   * sends that port to it, WORKER_WARM_URL is that Service's cluster DNS name and port, and every
   * worker NetworkPolicy lets worker pods reach it.
   */
  private static void assertServesOrders(List<HasMetadata> resources, int port) {
    Deployment operator = Workloads.operator(resources);
    Map<String, String> env = Workloads.env(operator);
    assertThat(Workloads.container(operator).getPorts())
        .filteredOn(p -> "orders".equals(p.getName()))
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(port))
        .satisfies(p -> assertThat(p.getProtocol()).isEqualTo("TCP"));
    assertThat(env).containsEntry("WORKER_WARM_PORT", String.valueOf(port));

    Service orders = Chart.named(resources, Service.class, "-operator-orders");
    assertThat(orders.getMetadata().getName()).isEqualTo("media-ffmpeg-operator-operator-orders");
    assertThat(orders.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(orders.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(orders.getSpec().getSelector())
        .isEqualTo(operator.getSpec().getSelector().getMatchLabels());
    assertThat(orders.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getName()).isEqualTo("orders"))
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(port))
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("orders"));
    assertThat(env)
        .containsEntry(
            "WORKER_WARM_URL",
            "http://"
                + orders.getMetadata().getName()
                + "."
                + orders.getMetadata().getNamespace()
                + ".svc:"
                + port);

    List<NetworkPolicy> policies = Chart.ofType(resources, NetworkPolicy.class);
    assertThat(policies).isNotEmpty();
    for (NetworkPolicy policy : policies) {
      List<NetworkPolicyEgressRule> toOperator =
          policy.getSpec().getEgress().stream()
              .filter(r -> r.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null))
              .toList();
      assertThat(toOperator)
          .as(policy.getMetadata().getNamespace())
          .singleElement()
          .satisfies(rule -> NetworkPolicyTest.assertOrders(rule, port))
          // The selector picks the operator's pods (and the order port is on them).
          .satisfies(
              rule ->
                  assertThat(operator.getSpec().getTemplate().getMetadata().getLabels())
                      .containsAllEntriesOf(rule.getTo().get(0).getPodSelector().getMatchLabels()));
    }
  }

  /** The namespaces of the worker NetworkPolicies, comma-separated. */
  private static String policyNamespaces(List<HasMetadata> resources) {
    return Chart.ofType(resources, NetworkPolicy.class).stream()
        .map(p -> p.getMetadata().getNamespace())
        .collect(Collectors.joining(","));
  }
}
