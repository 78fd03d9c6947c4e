package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  @Test
  void headerIsTheTimestampAndTheHexHmacOfTimestampDotBody() {
    byte[] body = "{\"task_id\":\"t\"}".getBytes(StandardCharsets.UTF_8);
    // Computed independently: printf '1700000000.{"task_id":"t"}' | openssl dgst -sha256 -hmac
    // s3cret
    assertThat(WebhookSignature.header("s3cret", 1700000000L, body))
        .isEqualTo(
            "t=1700000000,v1="
                + "93e81ae0bbb70ea778d50c7cc0ea1021c7fc29069b843936e25c17b4fcb4d7fe");
  }

  @Test
  void anotherTimestampSecretOrBodySignsDifferently() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String signed = WebhookSignature.header("a", 1, body);
    assertThat(signed).matches("t=1,v1=[0-9a-f]{64}");
    assertThat(WebhookSignature.header("a", 2, body)).isNotEqualTo(signed.replace("t=1", "t=2"));
    assertThat(WebhookSignature.header("b", 1, body)).isNotEqualTo(signed);
    assertThat(WebhookSignature.header("a", 1, "{ }".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(signed);
  }
}
