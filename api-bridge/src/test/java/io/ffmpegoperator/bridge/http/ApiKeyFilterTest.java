package io.ffmpegoperator.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyFilterTest {

  @Test
  void takesTheTokenOfABearerAuthorizationOnly() {
    assertThat(ApiKeyFilter.bearerToken("Bearer abc")).isEqualTo("abc");
    assertThat(ApiKeyFilter.bearerToken("bearer   abc ")).isEqualTo("abc");
    assertThat(ApiKeyFilter.bearerToken("BEARER abc")).isEqualTo("abc");
    assertThat(ApiKeyFilter.bearerToken(null)).isNull();
    assertThat(ApiKeyFilter.bearerToken("")).isNull();
    assertThat(ApiKeyFilter.bearerToken("Bearer")).isNull();
    assertThat(ApiKeyFilter.bearerToken("Bearer ")).isNull();
    assertThat(ApiKeyFilter.bearerToken("Bearer    ")).isNull();
    assertThat(ApiKeyFilter.bearerToken("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).isNull();
    assertThat(ApiKeyFilter.bearerToken("Bearerabc")).isNull();
    assertThat(ApiKeyFilter.bearerToken("abc")).isNull();
  }
}
