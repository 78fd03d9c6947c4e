package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helm lint --strict} accepts the chart with its defaults and with the non-default file. */
class ChartLintTest {

  @Test
  void defaultsPassStrictLint() {
    LintResult result = Chart.lint(null, null);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void namespacedValuesPassStrictLint(@TempDir Path scratch) {
    LintResult result = Chart.lint(Chart.NAMESPACED_VALUES, scratch);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }
}
