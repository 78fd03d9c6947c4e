package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.policy.ResourcePolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsServeOn8080WithoutLeaderElection() {
    OperatorConfig config = OperatorConfig.fromEnv(Map.of());
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.leaseNamespace()).isNull();
    assertThat(config.leaseIdentity()).isNull();
  }

  @Test
  void readsLeaderElectionFromThePodsEnvironment() {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "LEADER_ELECTION", "TRUE",
                "POD_NAMESPACE", "ffmpeg-system",
                "POD_NAME", "ffmpeg-operator-7d9f-abcde",
                "HOSTNAME", "something-else",
                "OPERATOR_HTTP_PORT", "9090"));
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).isEqualTo("ffmpeg-system");
    assertThat(config.leaseIdentity()).isEqualTo("ffmpeg-operator-7d9f-abcde");
    assertThat(config.httpPort()).isEqualTo(9090);
  }

  @Test
  void readsTheTaskResourceMaximumTheBridgeReadsToo() {
    assertThat(OperatorConfig.fromEnv(Map.of()).taskResources())
        .isEqualTo(ResourcePolicy.defaults());
    assertThat(
            OperatorConfig.fromEnv(Map.of("TASK_MAX_CPU", "16", "TASK_MAX_MEMORY", "32Gi"))
                .taskResources())
        .isEqualTo(new ResourcePolicy("16", "32Gi"));
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("TASK_MAX_CPU", "many")))
        .hasMessageContaining("TASK_MAX_CPU");
  }

  @Test
  void identityFallsBackToTheHostName() {
    OperatorConfig config =
        OperatorConfig.fromEnv(Map.of("POD_NAME", " ", "HOSTNAME", "ffmpeg-operator-0"));
    assertThat(config.leaseIdentity()).isEqualTo("ffmpeg-operator-0");
  }

  @Test
  void warmWorkersAreOffUnlessAskedForAndThenNeedAReachableUrl() {
    assertThat(OperatorConfig.fromEnv(Map.of()).warm().enabled()).isFalse();
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "WORKER_WARM", "2",
                "WORKER_WARM_NAMESPACES", "media, video",
                "WORKER_WARM_PORT", "9091",
                "WORKER_WARM_URL", "http://ffop-operator-orders.ffmpeg-system.svc:9091/",
                "WORKER_WARM_IDLE_SECONDS", "600"));
    assertThat(config.warm().count()).isEqualTo(2);
    assertThat(config.warm().namespaces()).containsExactlyInAnyOrder("media", "video");
    assertThat(config.warm().port()).isEqualTo(9091);
    assertThat(config.warm().url()).isEqualTo("http://ffop-operator-orders.ffmpeg-system.svc:9091");
    assertThat(config.warm().idle()).hasSeconds(600);
    // In a pod, loopback is the pod itself: without a URL no warm pod could ever reach us.
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("WORKER_WARM", "1")))
        .hasMessageContaining("WORKER_WARM_URL");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnv(
                    Map.of("WORKER_WARM", "-1", "WORKER_WARM_URL", "http://operator:8081")))
        .hasMessageContaining("WORKER_WARM");
  }

  @Test
  void refusesMalformedValues() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LEADER_ELECTION");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("OPERATOR_HTTP_PORT", "70000")))
        .hasMessageContaining("OPERATOR_HTTP_PORT");
    // The line the operator dies with says which variable to fix.
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("OPERATOR_HTTP_PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OPERATOR_HTTP_PORT must be a whole number, got 'http'");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("MAX_CPU_SECONDS", "1h")))
        .hasMessage("MAX_CPU_SECONDS must be a whole number, got '1h'");
  }

  @Test
  void withersKeepTheNewSettings() {
    OperatorConfig config =
        OperatorConfig.defaults()
            .withHttpPort(0)
            .withLeaderElection("media", "a")
            .withProgressInterval(java.time.Duration.ofSeconds(5));
    assertThat(config.httpPort()).isZero();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).isEqualTo("media");
    assertThat(config.leaseIdentity()).isEqualTo("a");
  }
}
