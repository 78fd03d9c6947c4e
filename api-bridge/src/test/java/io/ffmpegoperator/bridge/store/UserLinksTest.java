package io.ffmpegoperator.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserLinksTest {
  private Instant now = Instant.parse("2026-11-23T12:00:00Z");
  private final List<String> signed = new ArrayList<>();
  private final UserLinks links =
      new UserLinks(
          key -> {
            signed.add(key);
            return "https://s3.example/" + key + "?signed-at=" + now;
          },
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });

  @Test
  void aLinkIsReusedForAMinuteThenSignedAgain() {
    String first = links.get("out/a.mp4");
    now = now.plus(UserLinks.REUSE).minusSeconds(1);
    assertThat(links.get("out/a.mp4")).isEqualTo(first);
    assertThat(signed).containsExactly("out/a.mp4");

    now = now.plusSeconds(1);
    String second = links.get("out/a.mp4");

    assertThat(second).isNotEqualTo(first).endsWith("signed-at=" + now);
    assertThat(signed).containsExactly("out/a.mp4", "out/a.mp4");
  }

  @Test
  void eachKeyHasItsOwnLink() {
    assertThat(links.get("out/a.mp4")).contains("/out/a.mp4?");
    assertThat(links.get("out/b.mp4")).contains("/out/b.mp4?");
    now = now.plus(Duration.ofSeconds(10));
    assertThat(links.get("out/a.mp4")).contains("/out/a.mp4?");
    assertThat(signed).containsExactly("out/a.mp4", "out/b.mp4");
  }
}
