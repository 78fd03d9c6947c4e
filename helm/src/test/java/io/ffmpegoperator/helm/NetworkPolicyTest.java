package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Worker pods may resolve names, reach S3, public inputs and (warm ones) the operator's order
 * endpoint, and nothing may reach them.
 */
class NetworkPolicyTest {

  @Test
  void defaultPolicyAllowsDnsTheOperatorsOrdersAndPublicAddressesOnly() {
    List<NetworkPolicy> policies = Chart.ofType(Chart.render(null), NetworkPolicy.class);

    assertThat(policies).singleElement();
    NetworkPolicy policy = policies.get(0);
    assertThat(policy.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertWorkerPolicy(policy);
    List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(3);
    assertDns(egress.get(0));
    assertOrders(egress.get(1), 8081);
    assertPublicInputs(egress.get(2));
  }

  @Test
  void withoutWarmWorkersNoRuleReachesTheOperator() {
    List<NetworkPolicy> policies =
        Chart.ofType(
            Chart.parse(Chart.templateWith(null, Map.of("worker.warm.count", 0))),
            NetworkPolicy.class);

    assertThat(policies).singleElement();
    List<NetworkPolicyEgressRule> egress = policies.get(0).getSpec().getEgress();
    assertThat(egress).hasSize(2);
    assertDns(egress.get(0));
    assertPublicInputs(egress.get(1));
  }

  @Test
  void namespacedPolicyInEachWatchedNamespaceWithTheS3Endpoint() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);
    List<NetworkPolicy> policies = Chart.ofType(resources, NetworkPolicy.class);

    assertThat(policies)
        .extracting(p -> p.getMetadata().getNamespace())
        .containsExactly("team-a", "team-b");
    for (NetworkPolicy policy : policies) {
      assertWorkerPolicy(policy);
      List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
      assertThat(egress).hasSize(4);
      assertDns(egress.get(0));
      // The operator runs in the release namespace, not in the policy's.
      assertOrders(egress.get(1), 8081);
      NetworkPolicyEgressRule s3 = egress.get(2);
      assertThat(s3.getTo())
          .extracting(p -> p.getIpBlock().getCidr())
          .containsExactly("10.96.0.0/12");
      assertThat(s3.getPorts())
          .singleElement()
          .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9000))
          .satisfies(p -> assertThat(p.getProtocol()).isEqualTo("TCP"));
    }
  }

  @Test
  void policyCanBeTurnedOff() {
    List<HasMetadata> resources =
        Chart.parse(Chart.templateWith(null, Map.of("worker.networkPolicy.enabled", false)));

    assertThat(Chart.ofType(resources, NetworkPolicy.class)).isEmpty();
  }

  /** Public addresses on any port: private, loopback, link-local and metadata ranges excepted. */
  private static void assertPublicInputs(NetworkPolicyEgressRule inputs) {
    assertThat(inputs.getPorts()).isEmpty();
    assertThat(inputs.getTo())
        .extracting(NetworkPolicyPeer::getIpBlock)
        .satisfiesExactly(
            v4 -> {
              assertThat(v4.getCidr()).isEqualTo("0.0.0.0/0");
              assertThat(v4.getExcept())
                  .containsExactly(
                      "10.0.0.0/8",
                      "172.16.0.0/12",
                      "192.168.0.0/16",
                      "169.254.0.0/16",
                      "127.0.0.0/8");
            },
            v6 -> {
              assertThat(v6.getCidr()).isEqualTo("::/0");
              assertThat(v6.getExcept()).containsExactly("fc00::/7", "fe80::/10", "::1/128");
            });
  }

  /** It selects the pods the operator labels as workers, and lets nothing in. */
  private static void assertWorkerPolicy(NetworkPolicy policy) {
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/name", "ffmpeg-operator",
                "app.kubernetes.io/component", "worker"));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isEmpty();
  }

  /**
   * The rule lets worker pods reach the operator's pods (by the Deployment's selector, in the
   * release namespace) on the order port, and nothing else.
   */
  static void assertOrders(NetworkPolicyEgressRule rule, int port) {
    assertThat(rule.getTo())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getIpBlock()).isNull();
              assertThat(peer.getNamespaceSelector().getMatchLabels())
                  .isEqualTo(Map.of("kubernetes.io/metadata.name", Chart.NAMESPACE));
              assertThat(peer.getPodSelector().getMatchLabels())
                  .isEqualTo(
                      Map.of(
                          "app.kubernetes.io/name", "ffmpeg-operator",
                          "app.kubernetes.io/instance", Chart.RELEASE,
                          "app.kubernetes.io/component", "operator"));
            });
    assertThat(rule.getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("TCP/" + port);
  }

  private static void assertDns(NetworkPolicyEgressRule rule) {
    assertThat(rule.getTo()).isEmpty();
    assertThat(rule.getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
  }
}
