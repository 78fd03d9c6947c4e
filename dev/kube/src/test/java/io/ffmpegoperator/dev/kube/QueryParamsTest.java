package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryParamsTest {

  @Test
  void trueIsWhatGoParseBoolTakesForTrue() {
    for (String value : new String[] {"1", "t", "T", "TRUE", "true", "True"}) {
      assertThat(QueryParams.isTrue(value)).as(value).isTrue();
    }
  }

  @Test
  void anythingElseIsFalse() {
    for (String value : new String[] {null, "", "0", "false", "False", "yes", "tRUE", " true"}) {
      assertThat(QueryParams.isTrue(value)).as(value).isFalse();
    }
  }

  @Test
  void pythonsWatchParameterIsTrue() {
    // urllib3 encodes Python's True as "True".
    assertThat(
            QueryParams.isTrue(
                QueryParams.of("/api/v1/namespaces/default/pods?watch=True&timeoutSeconds=5")
                    .get("watch")))
        .isTrue();
  }
}
