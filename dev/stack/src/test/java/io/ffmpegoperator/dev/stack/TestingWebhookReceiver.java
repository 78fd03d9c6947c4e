package io.ffmpegoperator.dev.stack;

import com.sun.net.httpserver.HttpServer;
import io.ffmpegoperator.operator.JdkHttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A webhook receiver on loopback, as a service would run one: it records each call and checks its
 * signature as the README shows, and answers 500 to the first calls it is told to fail. Register it
 * on a static field: {@code @RegisterExtension static final TestingWebhookReceiver receiver = new
 * TestingWebhookReceiver(SECRET);} it listens from the class's first test to its last.
 */
final class TestingWebhookReceiver implements BeforeAllCallback, AfterAllCallback {
  /** One call the receiver got, and what it answered; {@code secret} signed it. */
  record Call(String deliveryId, String signature, String body, int answered, String secret) {
    /**
     * The receiver's check, as the README shows it: HMAC of "t.body", compared in constant time.
     */
    boolean validSignature() throws Exception {
      String t = null;
      String v1 = null;
      for (String part : signature.split(",")) {
        if (part.startsWith("t=")) {
          t = part.substring(2);
        } else if (part.startsWith("v1=")) {
          v1 = part.substring(3);
        }
      }
      if (t == null || v1 == null) {
        return false;
      }
      if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > 300) {
        return false;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(
          HexFormat.of().formatHex(expected).getBytes(StandardCharsets.UTF_8),
          v1.getBytes(StandardCharsets.UTF_8));
    }
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger failFirst = new AtomicInteger();
  private final String secret;
  private HttpServer server;

  TestingWebhookReceiver(String secret) {
    this.secret = secret;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = JdkHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          int answer = failFirst.getAndDecrement() > 0 ? 500 : 204;
          calls.add(
              new Call(
                  exchange.getRequestHeaders().getFirst("X-FFmpeg-Operator-Delivery"),
                  exchange.getRequestHeaders().getFirst("X-FFmpeg-Operator-Signature"),
                  body,
                  answer,
                  secret));
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.stop(0);
  }
}
