package io.ffmpegoperator.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

  @Test
  void readsIntegersWithDefaults() {
    assertThat(QueryParams.nonNegativeInt("skip", null, 0)).isZero();
    assertThat(QueryParams.nonNegativeInt("limit", " 25 ", 100)).isEqualTo(25);
    assertThat(QueryParams.requiredInt("query", "video_id", "13")).isEqualTo(13);
  }

  @Test
  void negativeIsAFastApiError() {
    ValidationErrorResponse body = errors(() -> QueryParams.nonNegativeInt("skip", "-1", 0));
    ValidationError error = body.detail().get(0);
    assertThat(error.type()).isEqualTo("greater_than_equal");
    assertThat(error.loc()).isEqualTo(List.of("query", "skip"));
    assertThat(error.input()).isEqualTo("-1");
  }

  @Test
  void notANumberAndMissingAreFastApiErrors() {
    ValidationError parsing =
        errors(() -> QueryParams.requiredInt("path", "job_id", "x")).detail().get(0);
    assertThat(parsing.type()).isEqualTo("int_parsing");
    assertThat(parsing.loc()).isEqualTo(List.of("path", "job_id"));

    ValidationError missing =
        errors(() -> QueryParams.requiredInt("query", "video_id", null)).detail().get(0);
    assertThat(missing.type()).isEqualTo("missing");
    assertThat(missing.loc()).isEqualTo(List.of("query", "video_id"));
  }

  @Test
  void readsBooleansLikePydantic() {
    assertThat(QueryParams.bool("wait", null, true)).isTrue();
    assertThat(QueryParams.bool("wait", "false", true)).isFalse();
    assertThat(QueryParams.bool("wait", "0", true)).isFalse();
    assertThat(QueryParams.bool("wait", "YES", false)).isTrue();
    assertThatThrownBy(() -> QueryParams.bool("wait", "maybe", true))
        .isInstanceOf(ApiException.class);
  }

  private static ValidationErrorResponse errors(Runnable call) {
    ApiException e = catchThrowableOfType(ApiException.class, call::run);
    assertThat(e.status()).isEqualTo(422);
    return (ValidationErrorResponse) e.body();
  }
}
