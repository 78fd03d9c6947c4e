package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worker pods may resolve names, reach S3 and public inputs, and nothing may reach them. */
class NetworkPolicyTest {

  @Test
  void defaultPolicyAllowsDnsAndPublicAddressesOnly() {
    List<NetworkPolicy> policies = Chart.ofType(Chart.render(null), NetworkPolicy.class);

    assertThat(policies).singleElement();
    NetworkPolicy policy = policies.get(0);
    assertThat(policy.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertWorkerPolicy(policy);
    List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(2);
    assertDns(egress.get(0));
    NetworkPolicyEgressRule inputs = egress.get(1);
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
      assertThat(egress).hasSize(3);
      assertDns(egress.get(0));
      NetworkPolicyEgressRule s3 = egress.get(1);
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

  private static void assertDns(NetworkPolicyEgressRule rule) {
    assertThat(rule.getTo()).isEmpty();
    assertThat(rule.getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
  }
}
