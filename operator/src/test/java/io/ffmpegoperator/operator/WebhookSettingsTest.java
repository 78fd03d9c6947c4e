package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
  @Test
  void theDefaultScheduleRetriesSoonThenBacksOffForAtLeastFifteenMinutes() {
    WebhookSettings settings = WebhookSettings.of("secret");
    List<Duration> waits = new ArrayList<>();
    for (int made = 1; settings.waitAfter(made) != null; made++) {
      waits.add(settings.waitAfter(made));
    }
    assertThat(waits.size() + 1).as("attempts").isGreaterThanOrEqualTo(6);
    assertThat(waits.get(0)).isLessThanOrEqualTo(Duration.ofSeconds(10));
    for (int i = 1; i < waits.size(); i++) {
      assertThat(waits.get(i)).isEqualTo(waits.get(i - 1).multipliedBy(settings.factor()));
    }
    assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(15));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void noWaitAfterTheLastAttempt() {
    WebhookSettings settings = new WebhookSettings("s", Duration.ofMillis(100), 2, 3, null);
    assertThat(settings.waitAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(settings.waitAfter(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(settings.waitAfter(3)).isNull();
  }

  @Test
  void aBlankSecretIsNoneAndASchedulerThatNeverRetriesIsRefused() {
    assertThat(WebhookSettings.of("  ").secret()).isNull();
    assertThatThrownBy(() -> new WebhookSettings("s", Duration.ZERO, 2, 3, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookSettings("s", Duration.ofSeconds(1), 2, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theOperatorReadsItsSecretFromTheEnvironment() {
    assertThat(OperatorConfig.fromEnv(java.util.Map.of("WEBHOOK_SECRET", "abc")).webhooks())
        .isEqualTo(WebhookSettings.of("abc"));
    assertThat(OperatorConfig.defaults().webhooks().secret()).isNull();
  }
}
