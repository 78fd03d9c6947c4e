package io.ffmpegoperator.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.bridge.BridgeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  @TempDir Path dir;

  @Test
  void acceptsExactlyTheConfiguredKeys() {
    ApiKeys keys = ApiKeys.of(" alpha-key ", "", "beta-key");

    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.accepts("alpha-key")).isTrue();
    assertThat(keys.accepts("beta-key")).isTrue();
    assertThat(keys.accepts("alpha")).isFalse();
    assertThat(keys.accepts("alpha-key ")).isFalse();
    assertThat(keys.accepts("ALPHA-KEY")).isFalse();
    assertThat(keys.accepts("")).isFalse();
    assertThat(keys.accepts(null)).isFalse();
    assertThat(ApiKeys.none().accepts("alpha-key")).isFalse();
    assertThat(ApiKeys.of("", " ")).isEqualTo(ApiKeys.none());
    assertThat(ApiKeys.of("a", "b")).isEqualTo(ApiKeys.of("b", "a", "b"));
  }

  @Test
  void neverShowsAKey() {
    ApiKeys keys = ApiKeys.of("super-secret-key");

    assertThat(keys.toString()).doesNotContain("super").isEqualTo("ApiKeys[1 key(s)]");
    assertThat(new BridgeConfig("h", 1, "n").withApiKeys(keys).toString())
        .doesNotContain("super-secret-key");
    assertThatThrownBy(() -> ApiKeys.of("good", "bad key with spaces"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#2")
        .hasMessageNotContaining("bad key");
  }

  @Test
  void readsCommaSeparatedKeysAndAFileWithOneKeyPerLine() throws Exception {
    Path file = Files.writeString(dir.resolve("keys"), "file-key-1\n\n  file-key-2  \n\n");

    ApiKeys keys =
        ApiKeys.fromEnv(
            Map.of("API_KEYS", "env-key-1, env-key-2,", "API_KEYS_FILE", file.toString()));

    assertThat(keys.size()).isEqualTo(4);
    for (String key : new String[] {"env-key-1", "env-key-2", "file-key-1", "file-key-2"}) {
      assertThat(keys.accepts(key)).as(key).isTrue();
    }
    assertThat(ApiKeys.fromEnv(Map.of())).isEqualTo(ApiKeys.none());
    assertThat(ApiKeys.fromEnv(Map.of("API_KEYS", " ", "API_KEYS_FILE", "")))
        .isEqualTo(ApiKeys.none());
  }

  @Test
  void readsAMountedSecretFolderWithOneKeyPerFile() throws Exception {
    // The layout the kubelet makes: data in a timestamped folder, reached through ..data links.
    Path data = Files.createDirectories(dir.resolve("..2024_05_01_10_00_00.123"));
    Files.writeString(data.resolve("ci"), "ci-key\n");
    Files.writeString(data.resolve("ops"), "ops-key");
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(dir.resolve("ci"), Path.of("..data", "ci"));
    Files.createSymbolicLink(dir.resolve("ops"), Path.of("..data", "ops"));

    ApiKeys keys = ApiKeys.fromEnv(Map.of("API_KEYS_FILE", dir.toString()));

    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.accepts("ci-key")).isTrue();
    assertThat(keys.accepts("ops-key")).isTrue();
  }

  @Test
  void aNamedFileThatIsMissingOrEmptyIsAnErrorNotAnOpenApi() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n  \n");

    assertThatThrownBy(
            () -> ApiKeys.fromEnv(Map.of("API_KEYS_FILE", dir.resolve("missing").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> ApiKeys.fromEnv(Map.of("API_KEYS_FILE", empty.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no API key");
  }
}
