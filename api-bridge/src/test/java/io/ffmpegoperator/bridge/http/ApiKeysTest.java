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
  void aKeyTellsItsClientAndNoKeyIsEveryone() {
    ApiKeys keys = ApiKeys.of("alpha-key name=alice", "beta-key name=bob", "gamma-key name=alice");

    assertThat(keys.clientOf("Bearer alpha-key")).isEqualTo("alice");
    assertThat(keys.clientOf("bearer gamma-key")).isEqualTo("alice");
    assertThat(keys.clientOf("Bearer beta-key")).isEqualTo("bob");
    assertThat(keys.clientOf("Bearer nobody")).isNull();
    assertThat(ApiKeys.none().clientOf(null)).isNull();
    assertThat(ApiKeys.none().clientOf("Bearer alpha-key")).isNull();
  }

  @Test
  void readsTheKeysOfBothVariables() throws Exception {
    Path file = Files.writeString(dir.resolve("keys"), "file-key-1\n\n  file-key-2  \n\n");

    ApiKeys keys =
        ApiKeys.fromEnv(
            Map.of("API_KEYS", "env-key-1, env-key-2,", "API_KEYS_FILE", file.toString()));

    assertThat(keys.size()).isEqualTo(4);
    for (String key : new String[] {"env-key-1", "env-key-2", "file-key-1", "file-key-2"}) {
      assertThat(keys.accepts(key)).as(key).isTrue();
    }
    assertThat(ApiKeys.fromEnv(Map.of())).isEqualTo(ApiKeys.none());
  }
}
