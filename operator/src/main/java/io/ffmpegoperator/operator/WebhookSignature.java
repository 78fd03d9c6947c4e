package io.ffmpegoperator.operator;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@value #HEADER} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">} under
 * the webhook secret. The timestamp is signed with the body so a receiver can refuse a replayed old
 * call; {@code v1} leaves room for another scheme beside it later.
 */
final class WebhookSignature {
  static final String HEADER = "X-FFmpeg-Operator-Signature";

  private static final String HMAC = "HmacSHA256";

  private WebhookSignature() {}

  /** The header's value for {@code body} sent at {@code unixSeconds}. */
  static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
  }

  private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e); // every JDK has it
    }
  }
}
