package io.ffmpegoperator.bridge.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrimTimesTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "5000, 5000",
    "' 5000 ', 5000",
    "1500.4, 1500",
    "1500.5, 1501",
    "250ms, 250",
    "250 ms, 250",
    "1.5s, 1500",
    "2S, 2000",
    ".5s, 500",
    "0.0015s, 2",
    "00:00:05, 5000",
    "01:02:03.250, 3723250",
    "1:02:03, 3723000",
    "02:03, 123000",
    "02:03.5, 123500",
    "0:59.999, 59999",
    "100:00:00, 360000000",
  })
  void readsMillisecondsFromEveryForm(String text, long millis) {
    assertThat(TrimTimes.parseMillis("trim_start", text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "abc",
        "5 seconds",
        "1.5m",
        "5000ms5",
        "1:2:3:4",
        "00:60",
        "00:61:00",
        "00:00:60",
        "1e3",
        "0x10",
        "5.",
        "1,5s",
        "∞"
      })
  void refusesWhatIsNoTime(String text) {
    assertThatThrownBy(() -> TrimTimes.parseMillis("trim_end", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid time format for trim_end");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "-5000", " -1.5s", "-00:00:01"})
  void refusesNegativeTimes(String text) {
    assertThatThrownBy(() -> TrimTimes.parseMillis("trim_start", text))
        .hasMessageContaining("trim_start must not be negative");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1000000000001", "99999999999999999999999999", "999999999999999s"})
  void refusesAbsurdlyLargeTimes(String text) {
    assertThatThrownBy(() -> TrimTimes.parseMillis("trim_end", text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void refusesNull() {
    assertThatThrownBy(() -> TrimTimes.parseMillis("trim_end", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
