package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookUrlTest {
  @Test
  void httpAndHttpsUrlsWithAHostAreTaken() {
    assertThat(WebhookUrl.problem("https://hooks.example.com/ffmpeg?x=1")).isNull();
    assertThat(WebhookUrl.problem("http://127.0.0.1:8080/hook")).isNull();
    assertThat(WebhookUrl.problem("http://[::1]:8080/hook")).isNull();
    assertThat(WebhookUrl.host("http://[::1]:8080/hook")).isEqualTo("[::1]");
  }

  @Test
  void userInfoIsRefusedInEverySpelling() {
    for (String url :
        new String[] {
          "http://user:pass@hooks.example.com/",
          "https://user@hooks.example.com/",
          "http://us%40er:p%3Ass@hooks.example.com/",
          "http://user:p@ss@hooks.example.com/",
          "http://@hooks.example.com/"
        }) {
      assertThat(WebhookUrl.problem(url)).as(url).contains("webhook_url").contains("user info");
    }
  }

  @Test
  void otherSchemesAndMalformedUrlsAreRefusedNamingTheField() {
    assertThat(WebhookUrl.problem("ftp://hooks.example.com/")).startsWith("webhook_url must be");
    assertThat(WebhookUrl.problem("/relative")).startsWith("webhook_url must be");
    assertThat(WebhookUrl.problem("http://exa mple.com/")).startsWith("webhook_url is not");
    assertThat(WebhookUrl.problem("http:///path")).startsWith("webhook_url has no host");
  }
}
