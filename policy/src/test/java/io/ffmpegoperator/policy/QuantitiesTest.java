package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
  @ParameterizedTest
  @CsvSource({
    "2, 2",
    "500m, 0.5",
    "1.5, 1.5",
    ".5, 0.5",
    "1., 1",
    "+3, 3",
    "100n, 0.0000001",
    "250u, 0.00025",
    "1k, 1000",
    "1M, 1000000",
    "1G, 1000000000",
    "1E, 1000000000000000000",
    "1Ki, 1024",
    "256Mi, 268435456",
    "1.5Gi, 1610612736",
    "2Ti, 2199023255552",
    "1e3, 1000",
    "1E3, 1000",
    "5e-1, 0.5",
  })
  void readsKubernetesQuantities(String text, BigDecimal amount) {
    assertThat(Quantities.parse(text)).isEqualByComparingTo(amount);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "abc", "1K", "1gi", "1 Gi", " 1", "1Gi ", "1.2.3", "Gi", "1e", "1e9999", "0x10"
      })
  void refusesWhatTheApiServerRefuses(String text) {
    assertThatThrownBy(() -> Quantities.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Kubernetes quantity");
  }
}
