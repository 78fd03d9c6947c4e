package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ffmpegoperator.operator.JdkHttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback in the bench's JVM, as an integrating service would run one: it
 * notes when each call arrived (the bench's {@link Clock}), checks its signature the way the
 * README's receiver does, and answers 204 at once.
 */
final class WebhookReceiver implements AutoCloseable {
  static final String SIGNATURE_HEADER = "X-FFmpeg-Operator-Signature";
  static final String DELIVERY_HEADER = "X-FFmpeg-Operator-Delivery";

  /** How old a signed timestamp may be, as in the README. */
  static final long TOLERANCE_SECONDS = 300;

  private static final String HMAC = "HmacSHA256";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One call.
   *
   * @param arrivedMs {@link Clock#nowMs()} when its request line and headers had been read
   * @param signed whether its signature checked out
   */
  record Call(String taskId, String event, String deliveryId, double arrivedMs, boolean signed) {}

  private final byte[] secret;
  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  private WebhookReceiver(String secret) throws IOException {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    server = JdkHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", this::receive);
    server.start();
  }

  /** Listens on a free loopback port; checks signatures against {@code secret}. */
  static WebhookReceiver start(String secret) throws IOException {
    return new WebhookReceiver(secret);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private void receive(HttpExchange exchange) throws IOException {
    double arrived = Clock.nowMs();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String signature = exchange.getRequestHeaders().getFirst(SIGNATURE_HEADER);
    String taskId = null;
    String event = null;
    try {
      JsonNode json = JSON.readTree(body);
      taskId = json.path("task_id").asText(null);
      event = json.path("event").asText(null);
    } catch (IOException e) {
      // Counted all the same: a call whose body is not JSON has no task, which the bench reports.
    }
    calls.add(
        new Call(
            taskId,
            event,
            exchange.getRequestHeaders().getFirst(DELIVERY_HEADER),
            arrived,
            signature != null && verify(secret, signature, body, Instant.now().getEpochSecond())));
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  /**
   * The README's check: {@code t=<unix>,v1=<hex>} where {@code v1} is the HMAC-SHA256 of {@code
   * "<t>.<raw body>"} under the secret, compared in constant time, and {@code t} no more than
   * {@value #TOLERANCE_SECONDS} s from {@code nowSeconds}.
   */
  static boolean verify(byte[] secret, String header, byte[] body, long nowSeconds) {
    Map<String, String> parts = new HashMap<>();
    for (String part : header.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length == 2) {
        parts.put(kv[0].strip(), kv[1].strip());
      }
    }
    String t = parts.getOrDefault("t", "");
    String v1 = parts.getOrDefault("v1", "");
    if (!t.matches("\\d{1,18}") || Math.abs(nowSeconds - Long.parseLong(t)) > TOLERANCE_SECONDS) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret, HMAC));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      byte[] expected =
          HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e); // every JDK has it
    }
  }

  /** Every call so far, in the order they arrived. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Waits up to {@code timeoutMs} until a call has arrived for each task; returns whether. */
  boolean await(Collection<String> taskIds, double timeoutMs) throws InterruptedException {
    double deadline = Clock.nowMs() + timeoutMs;
    while (true) {
      List<String> told = calls.stream().map(Call::taskId).toList();
      if (told.containsAll(taskIds)) {
        return true;
      }
      if (Clock.nowMs() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
