package io.ffmpegoperator.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  /** A request with two fields in the order other than alphabetical, and a map. */
  record Request(String zeta, Map<String, String> alpha) {}

  @Test
  void aKeyIsEachCredentialsOwn() {
    String key = "0f8c6a3e-5c1b-4a44-9d0e-0a4b2b7f1c11";
    assertThat(IdempotencyKeys.keyHash(key, "Bearer a"))
        .isEqualTo(IdempotencyKeys.keyHash(key, "Bearer a"))
        .isNotEqualTo(IdempotencyKeys.keyHash(key, "Bearer b"))
        .isNotEqualTo(IdempotencyKeys.keyHash(key, null))
        .isNotEqualTo(IdempotencyKeys.keyHash("other", "Bearer a"))
        .hasSize(64)
        .doesNotContain(key);
  }

  @Test
  void aKeyIsOneToMaxPrintableCharacters() {
    IdempotencyKeys.keyHash("x".repeat(IdempotencyKeys.MAX_LENGTH), null);
    for (String bad : List.of("", "x".repeat(256), "has space", "tab\there", "é")) {
      ApiException refused =
          catchThrowableOfType(ApiException.class, () -> IdempotencyKeys.keyHash(bad, null));
      assertThat(refused.status()).as(bad).isEqualTo(422);
      assertThat(((ErrorResponse) refused.body()).detail()).startsWith("Idempotency-Key must be");
    }
  }

  @Test
  void aRequestIsHashedAsReadNotAsSpelled() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");

    assertThat(IdempotencyKeys.requestHash(new Request("z", ab)))
        .isEqualTo(IdempotencyKeys.requestHash(new Request("z", ba)))
        .isNotEqualTo(IdempotencyKeys.requestHash(new Request("y", ab)));
  }

  @Test
  void theSameBodyToAnotherEndpointIsAnotherRequest() {
    Request request = new Request("z", Map.of());
    assertThat(IdempotencyKeys.requestHash("trim", request))
        .isEqualTo(IdempotencyKeys.requestHash("trim", new Request("z", Map.of())))
        .isNotEqualTo(IdempotencyKeys.requestHash("encoding", request))
        .isNotEqualTo(IdempotencyKeys.requestHash(request));
  }

  @Test
  void aKeyHoldsForTheWindowFromItsFirstUse() {
    assertThat(IdempotencyKeys.holds(NOW, NOW)).isTrue();
    assertThat(IdempotencyKeys.holds(NOW.minus(Duration.ofHours(23)), NOW)).isTrue();
    assertThat(IdempotencyKeys.holds(NOW.minus(IdempotencyKeys.WINDOW), NOW)).isFalse();
    assertThat(IdempotencyKeys.holds(NOW.minus(Duration.ofDays(3)), NOW)).isFalse();
  }

  @Test
  void aReusedKeyIs422NamingWhatItMade() {
    ApiException reused = IdempotencyKeys.reused("job 12");
    assertThat(reused.status()).isEqualTo(422);
    assertThat(((ErrorResponse) reused.body()).detail())
        .isEqualTo(
            "Idempotency-Key was used for a different request within the last 24 h (job 12);"
                + " use a new key for a new request");
  }
}
