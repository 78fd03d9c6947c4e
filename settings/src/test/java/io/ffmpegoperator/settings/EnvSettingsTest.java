package io.ffmpegoperator.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSettingsTest {
  private static final EnvSettings ENV =
      EnvSettings.of(
          Map.of(
              "PORT", " 9090 ",
              "BLANK", "  ",
              "ON", "TRUE",
              "IDLE", "600",
              "NAMESPACES", "media, video,,",
              "BAD_PORT", "eighty",
              "BAD_FLAG", "yes"));

  @Test
  void unsetAndBlankMeanTheDefault() {
    assertThat(ENV.integer("MISSING", 8080)).isEqualTo(8080);
    assertThat(ENV.integer("BLANK", 8080)).isEqualTo(8080);
    assertThat(ENV.string("BLANK")).isNull();
    assertThat(ENV.string("MISSING", "x")).isEqualTo("x");
    assertThat(ENV.list("MISSING")).isEmpty();
  }

  @Test
  void valuesAreTrimmedAndTyped() {
    assertThat(ENV.integer("PORT", 0)).isEqualTo(9090);
    assertThat(ENV.number("PORT", 0)).isEqualTo(9090L);
    assertThat(ENV.bool("ON", false)).isTrue();
    assertThat(ENV.flag("ON")).isTrue();
    assertThat(ENV.flag("MISSING")).isNull();
    assertThat(ENV.seconds("IDLE", Duration.ZERO)).hasMinutes(10);
    assertThat(ENV.list("NAMESPACES")).containsExactlyInAnyOrder("media", "video");
  }

  @Test
  void aMalformedValueNamesItsVariableAndWhatItShouldHold() {
    assertThatThrownBy(() -> ENV.integer("BAD_PORT", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BAD_PORT must be a whole number, got 'eighty'");
    assertThatThrownBy(() -> ENV.bool("BAD_FLAG", false))
        .hasMessage("BAD_FLAG must be true or false, got 'yes'");
    assertThatThrownBy(() -> ENV.seconds("BAD_PORT", Duration.ZERO))
        .hasMessage("BAD_PORT must be seconds, got 'eighty'");
  }
}
