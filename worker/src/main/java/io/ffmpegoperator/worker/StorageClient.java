package io.ffmpegoperator.worker;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * PUTs to the operator's pre-signed storage links (reports and outputs), and a warm worker's GETs
 * of its order from the operator: never redirected, never retried, each request bounded by a
 * deadline, one kept-alive connection reused between them.
 *
 * <p>Apache HttpClient's classic client rather than {@code java.net.http}: the JDK client keeps a
 * selector thread in native code that cannot be shut down before Java 21, and the JVM's exit waits
 * for such threads: a cost every task would pay at the end of its pod.
 */
final class StorageClient implements Closeable {
  private final CloseableHttpClient http;

  StorageClient(Duration connectTimeout) {
    Timeout connect = Timeout.of(connectTimeout);
    this.http =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(LazyTls.INSTANCE)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom().setConnectTimeout(connect).build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectionRequestTimeout(connect)
                    .setRedirectsEnabled(false)
                    .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableCookieManagement()
            .build();
  }

  /**
   * Sends {@code body} and returns the answer's status; the answer's body is read and dropped.
   *
   * @param deadline longest the whole exchange may take: S3 answers after the last byte, so this
   *     bounds an upload however slowly it goes
   * @throws DeadlineException when the deadline passed
   * @throws IOException when the exchange failed otherwise
   */
  int put(URI uri, HttpEntity body, Duration deadline) throws IOException {
    HttpPut request = new HttpPut(uri);
    request.setEntity(body);
    return status(request, deadline);
  }

  /** An answer's status and body (empty when it had none). */
  record Answer(int status, byte[] body) {}

  /**
   * GETs {@code uri} with an {@code Authorization} header.
   *
   * @param maxBodyBytes most bytes of the body kept; a longer body is cut short
   * @param deadline longest the whole exchange may take, the answer's body included
   * @throws DeadlineException when the deadline passed
   * @throws IOException when the exchange failed otherwise
   */
  Answer get(URI uri, String authorization, int maxBodyBytes, Duration deadline)
      throws IOException {
    HttpGet request = new HttpGet(uri);
    request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    return execute(
        request,
        deadline,
        response -> {
          HttpEntity entity = response.getEntity();
          byte[] body =
              entity == null ? new byte[0] : EntityUtils.toByteArray(entity, maxBodyBytes);
          return new Answer(response.getCode(), body);
        });
  }

  /**
   * POSTs {@code body} to {@code uri} with an {@code Authorization} header and returns the answer's
   * status; its body is read and dropped.
   */
  int post(URI uri, String authorization, HttpEntity body, Duration deadline) throws IOException {
    HttpPost request = new HttpPost(uri);
    request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    request.setEntity(body);
    return status(request, deadline);
  }

  /** Sends {@code request} and returns its status; the answer's body is read and dropped. */
  private int status(HttpUriRequestBase request, Duration deadline) throws IOException {
    return execute(
        request,
        deadline,
        response -> {
          // Read to the end so the connection can carry the next request.
          EntityUtils.consume(response.getEntity());
          return response.getCode();
        });
  }

  private <T> T execute(
      HttpUriRequestBase request, Duration deadline, HttpClientResponseHandler<T> handler)
      throws IOException {
    try (CancelAtDeadline deadlineWatch = new CancelAtDeadline(request, deadline.toNanos())) {
      try {
        return http.execute(request, handler);
      } catch (IOException e) {
        throw deadlineWatch.fired() ? new DeadlineException() : e;
      }
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
  }

  /** The exchange did not finish within its deadline. */
  static final class DeadlineException extends IOException {
    DeadlineException() {
      super("timed out");
    }
  }
}
