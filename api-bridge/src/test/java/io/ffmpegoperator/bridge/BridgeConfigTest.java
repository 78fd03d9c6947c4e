package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.policy.ResourcePolicy;
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

  @Test
  void limitsDefaultToOneMebibyteOfJsonAndEightGibibytesOfUpload() {
    BridgeConfig config = BridgeConfig.fromEnv(Map.of());
    assertThat(config.maxJsonBodyBytes()).isEqualTo(1L << 20);
    assertThat(config.maxUploadBytes()).isEqualTo(8L << 30);
    assertThat(config.apiKeys().isEmpty()).isTrue();
    assertThat(config.addressPolicy().allowedNetworks()).isEmpty();
    assertThat(config.mediaPolicy()).isEqualTo(MediaPolicy.defaults());
    assertThat(config.resourcePolicy()).isEqualTo(ResourcePolicy.defaults());
  }

  @Test
  void readsTheTaskResourceMaximumTheOperatorReadsToo() {
    assertThat(
            BridgeConfig.fromEnv(Map.of("TASK_MAX_CPU", "8", "TASK_MAX_MEMORY", "16Gi"))
                .resourcePolicy())
        .isEqualTo(new ResourcePolicy("8", "16Gi"));
    assertThatThrownBy(() -> BridgeConfig.fromEnv(Map.of("TASK_MAX_MEMORY", "lots")))
        .hasMessageContaining("TASK_MAX_MEMORY");
  }

  @Test
  void readsKeysLimitsAndAllowedNetworksFromTheEnvironment() {
    BridgeConfig config =
        BridgeConfig.fromEnv(
            Map.of(
                "API_KEYS", "k1,k2",
                "MAX_JSON_BODY_BYTES", "2048",
                "MAX_UPLOAD_BYTES", "1048576",
                "INPUT_ALLOWED_NETWORKS", "127.0.0.0/8"));
    assertThat(config.apiKeys()).isEqualTo(ApiKeys.of("k1", "k2"));
    assertThat(config.maxJsonBodyBytes()).isEqualTo(2048);
    assertThat(config.maxUploadBytes()).isEqualTo(1 << 20);
    assertThat(config.addressPolicy().allowedNetworks()).isEqualTo("127.0.0.0/8");

    assertThatThrownBy(() -> BridgeConfig.fromEnv(Map.of("MAX_UPLOAD_BYTES", "8G")))
        .hasMessageContaining("MAX_UPLOAD_BYTES");
    assertThatThrownBy(() -> BridgeConfig.fromEnv(Map.of("MAX_JSON_BODY_BYTES", "0")))
        .hasMessageContaining("MAX_JSON_BODY_BYTES");
    assertThatThrownBy(() -> BridgeConfig.fromEnv(Map.of("MAX_JSON_BODY_BYTES", "1073741824")))
        .hasMessageContaining("maxJsonBodyBytes");
  }

  @Test
  void withersChangeOneFieldAndKeepTheRest() {
    BridgeConfig base = new BridgeConfig("h", 1, "n");
    BridgeConfig changed =
        base.withApiKeys(ApiKeys.of("k"))
            .withMaxJsonBodyBytes(10)
            .withMaxUploadBytes(20)
            .withAddressPolicy(AddressPolicy.allowing("192.168.0.0/16"))
            .withMediaPolicy(new MediaPolicy(1, 2, 3, 4));
    assertThat(changed.host()).isEqualTo("h");
    assertThat(changed.apiKeys().accepts("k")).isTrue();
    assertThat(changed.maxJsonBodyBytes()).isEqualTo(10);
    assertThat(changed.maxUploadBytes()).isEqualTo(20);
    assertThat(changed.addressPolicy().allowedNetworks()).isEqualTo("192.168.0.0/16");
    assertThat(changed.mediaPolicy()).isEqualTo(new MediaPolicy(1, 2, 3, 4));
    // A copy is checked like any config.
    assertThatThrownBy(() -> base.withMaxJsonBodyBytes(0)).hasMessageContaining("maxJsonBodyBytes");
    assertThatThrownBy(() -> base.withMaxUploadBytes(-1)).hasMessageContaining("maxUploadBytes");
  }
}
