package io.ffmpegoperator.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiClientsTest {
  @TempDir Path dir;

  @Test
  void anEntryNamesItsClientAndLimit() {
    ApiClients clients =
        ApiClients.of("alpha-key name=alice max-running=2", "beta-key  name=bob", "  ", "# note");

    assertThat(clients.keys())
        .containsExactly(
            new ApiClients.Key("alpha-key", "alice", 2),
            new ApiClients.Key("beta-key", "bob", null));
    assertThat(clients.maxRunning("alice")).isEqualTo(OptionalInt.of(2));
    assertThat(clients.maxRunning("bob")).isEmpty();
    assertThat(clients.maxRunning("carol")).isEmpty();
    assertThat(clients.limits()).isEqualTo(Map.of("alice", 2));
  }

  @Test
  void aKeyWithoutANameIsAClientOfItsOwnNamedAfterItsDigest() {
    ApiClients clients = ApiClients.of("first-key", "second-key");

    String first = clients.keys().get(0).client();
    String second = clients.keys().get(1).client();
    assertThat(first).matches("key-[0-9a-f]{8}").isNotEqualTo(second);
    assertThat(ApiClients.of("first-key").keys().get(0).client()).isEqualTo(first);
    assertThat(first).doesNotContain("first");
  }

  @Test
  void aSecretFolderHasOneFilePerClientNamedAfterIt() throws Exception {
    // The layout the kubelet makes: data in a timestamped folder, reached through ..data links.
    Path data = Files.createDirectories(dir.resolve("..2024_05_01_10_00_00.123"));
    Files.writeString(data.resolve("alice"), "alice-key max-running=3\nalice-new-key\n");
    Files.writeString(data.resolve("bob"), "bob-key");
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(dir.resolve("alice"), Path.of("..data", "alice"));
    Files.createSymbolicLink(dir.resolve("bob"), Path.of("..data", "bob"));

    ApiClients clients = ApiClients.fromEnv(Map.of("API_KEYS_FILE", dir.toString()));

    assertThat(clients.keys())
        .containsExactly(
            new ApiClients.Key("alice-key", "alice", 3),
            new ApiClients.Key("alice-new-key", "alice", null),
            new ApiClients.Key("bob-key", "bob", null));
    assertThat(clients.maxRunning("alice")).isEqualTo(OptionalInt.of(3));
  }

  @Test
  void badEntriesStopTheStartNamingWhereButNeverTheKey() {
    assertThatThrownBy(() -> ApiClients.of("good", "secret-key max-running=0"))
        .hasMessageContaining("#2")
        .hasMessageContaining("max-running must be a whole number of at least 1, not '0'")
        .hasMessageNotContaining("secret-key");
    assertThatThrownBy(() -> ApiClients.of("secret-key colour=blue"))
        .hasMessageContaining("only name=<client> and max-running=<n>")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> ApiClients.of("secret-key name=-alice"))
        .hasMessageContaining("client name '-alice'")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> ApiClients.of("k1 name=a max-running=1", "k2 name=a max-running=2"))
        .hasMessageContaining("client a has two limits");
    assertThat(ApiClients.of("k1 name=a max-running=2", "k2 name=a").maxRunning("a"))
        .isEqualTo(OptionalInt.of(2));
  }

  @Test
  void neverShowsAKey() {
    ApiClients clients = ApiClients.of("super-secret-key name=alice max-running=1");

    assertThat(clients.toString()).doesNotContain("super");
    assertThat(clients.keys().get(0).toString()).doesNotContain("super");
  }

  @Test
  void blankVariablesAreNoKeysButANamedFileThatIsMissingOrEmptyIsAnError() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n  \n# only a comment\n");

    assertThat(ApiClients.fromEnv(Map.of("API_KEYS", " ", "API_KEYS_FILE", "")).isEmpty()).isTrue();
    assertThatThrownBy(
            () -> ApiClients.fromEnv(Map.of("API_KEYS_FILE", dir.resolve("missing").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> ApiClients.fromEnv(Map.of("API_KEYS_FILE", empty.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no API key");
  }
}
