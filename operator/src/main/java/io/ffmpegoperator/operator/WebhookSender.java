package io.ffmpegoperator.operator;

import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.PinningDnsResolver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * POSTs one webhook call. The host is resolved once through the address policy and the connection
 * made to exactly those addresses, so a name cannot pass the check with one address and connect to
 * another. No redirects are followed (a redirect could lead anywhere; it counts as a failed
 * attempt), no proxy is used, and the whole call has one deadline.
 */
final class WebhookSender {
  static final String DELIVERY_HEADER = "X-FFmpeg-Operator-Delivery";

  private final AddressPolicy addresses;
  private final Duration timeout;

  WebhookSender(AddressPolicy addresses, Duration timeout) {
    this.addresses = addresses;
    this.timeout = timeout;
  }

  /** What one attempt got: the receiver's status code, or why there was none. */
  record Outcome(Integer statusCode, String error) {
    boolean delivered() {
      return statusCode != null && statusCode / 100 == 2;
    }
  }

  Outcome post(String url, byte[] body, String deliveryId, String signature) {
    HttpPost request = new HttpPost(url);
    request.setHeader(DELIVERY_HEADER, deliveryId);
    request.setHeader(WebhookSignature.HEADER, signature);
    request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    // One deadline for the whole call: a receiver that trickles its answer still ends in time.
    CompletableFuture<Void> deadline =
        CompletableFuture.runAsync(
            request::cancel,
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
    try (CloseableHttpClient client = client();
        ClassicHttpResponse response = client.executeOpen(null, request, null)) {
      return new Outcome(response.getCode(), null);
    } catch (IOException e) {
      return new Outcome(null, request.isCancelled() ? timedOut() : describe(e));
    } finally {
      deadline.cancel(false);
    }
  }

  private String timedOut() {
    return "no answer in " + timeout.toSeconds() + " s";
  }

  private static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AddressPolicy.ForbiddenAddressException) {
        return t.getMessage();
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof InterruptedIOException) {
        return "timed out";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SSLException) {
        return "TLS failed";
      }
    }
    return "call failed (" + error.getClass().getSimpleName() + ")";
  }

  private CloseableHttpClient client() {
    Timeout limit = Timeout.of(timeout);
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new PinningDnsResolver(addresses, null))
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(limit)
                        .setSocketTimeout(limit)
                        .build())
                .build())
        .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setConnectionRequestTimeout(limit)
                .setResponseTimeout(limit)
                .setRedirectsEnabled(false)
                .build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .build();
  }
}
