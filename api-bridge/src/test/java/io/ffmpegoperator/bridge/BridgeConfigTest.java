package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {

  @Test
  void defaultsAreTheSeedsPortOnAllInterfacesInDefault() {
    assertThat(BridgeConfig.fromEnv(Map.of()))
        .isEqualTo(new BridgeConfig("0.0.0.0", 8000, "default"));
  }

  @Test
  void readsPortAndNamespaceFromTheEnvironment() {
    assertThat(
            BridgeConfig.fromEnv(
                Map.of(
                    "BRIDGE_HOST", "127.0.0.1",
                    "BRIDGE_PORT", "9000",
                    "WATCH_NAMESPACE", " media, other",
                    "POD_NAMESPACE", "ops")))
        .isEqualTo(new BridgeConfig("127.0.0.1", 9000, "media"));
    assertThat(BridgeConfig.fromEnv(Map.of("POD_NAMESPACE", "ops")).namespace()).isEqualTo("ops");
  }

  @Test
  void executeTimeoutDefaultsToTenMinutesAndIsReadInSeconds() {
    assertThat(BridgeConfig.fromEnv(Map.of()).executeTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(
            BridgeConfig.fromEnv(Map.of("BRIDGE_EXECUTE_TIMEOUT_SECONDS", "90")).executeTimeout())
        .isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> BridgeConfig.fromEnv(Map.of("BRIDGE_EXECUTE_TIMEOUT_SECONDS", "soon")))
        .hasMessageContaining("BRIDGE_EXECUTE_TIMEOUT_SECONDS");
    assertThatThrownBy(() -> new BridgeConfig("h", 1, "n", Duration.ZERO))
        .hasMessageContaining("executeTimeout");
  }

  @Test
  void refusesABadPort() {
    assertThatThrownBy(() -> BridgeConfig.fromEnv(Map.of("BRIDGE_PORT", "http")))
        .hasMessageContaining("BRIDGE_PORT");
    assertThatThrownBy(() -> new BridgeConfig("h", 70000, "n")).hasMessageContaining("70000");
  }
}
