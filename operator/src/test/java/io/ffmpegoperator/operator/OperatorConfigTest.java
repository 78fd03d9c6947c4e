package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void identityFallsBackToTheHostName() {
    OperatorConfig config =
        OperatorConfig.fromEnv(Map.of("POD_NAME", " ", "HOSTNAME", "ffmpeg-operator-0"));
    assertThat(config.leaseIdentity()).isEqualTo("ffmpeg-operator-0");
  }

  @Test
  void refusesMalformedValues() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LEADER_ELECTION");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("OPERATOR_HTTP_PORT", "70000")))
        .hasMessageContaining("OPERATOR_HTTP_PORT");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("OPERATOR_HTTP_PORT", "http")))
        .isInstanceOf(NumberFormatException.class);
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
