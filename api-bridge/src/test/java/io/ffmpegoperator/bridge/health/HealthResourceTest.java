package io.ffmpegoperator.bridge.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthResourceTest {

  @Test
  void checksFfmpegOncePerLifetime() {
    AtomicInteger checks = new AtomicInteger();
    TestingClock clock = new TestingClock();
    HealthResource health = new HealthResource(() -> checks.incrementAndGet() == 1, clock);

    assertThat(health.ffmpegInstalled()).isTrue();
    clock.advance(HealthResource.FFMPEG_CHECK_LIFETIME.minusSeconds(1));
    assertThat(health.ffmpegInstalled()).isTrue();
    assertThat(checks).hasValue(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(health.ffmpegInstalled()).isFalse();
    assertThat(checks).hasValue(2);
  }

  @Test
  void answersTheSeedShape() {
    HealthResource health = new HealthResource(() -> false, Clock.systemUTC());

    assertThat(health.health().getEntity()).isEqualTo(new HealthResponse("ok"));
    assertThat(health.ffmpegHealth().getEntity()).isEqualTo(new FfmpegHealthResponse("ok", "no"));
  }

  /** A clock the test moves by hand. */
  private static final class TestingClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
