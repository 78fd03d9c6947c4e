package io.ffmpegoperator.worker;

import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.PinningDnsResolver;
import io.ffmpegoperator.protocol.WorkReport.Step;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches one input over http(s) into a file: a few redirects at most, each hop's scheme and
 * addresses checked, a byte cap and a deadline for the whole transfer. Failure messages name the
 * input and at most a host, never the link (it may be pre-signed).
 */
final class InputFetcher {
  static final int MAX_REDIRECTS = 5;

  private static final int BUFFER_BYTES = 64 * 1024;

  private final AddressPolicy addresses;
  private final Duration connectTimeout;

  /**
   * @param addresses where links other than the platform's own storage may connect
   * @param connectTimeout to open one connection
   */
  InputFetcher(AddressPolicy addresses, Duration connectTimeout) {
    this.addresses = addresses;
    this.connectTimeout = connectTimeout;
  }

  /**
   * Writes the body at {@code url} to {@code target}; returns the bytes written. Nothing is left at
   * {@code target} when it fails.
   *
   * @param maxBytes most bytes the body may have
   * @param maxTime longest the whole fetch, redirects included, may take
   * @param storage true for a link the operator pre-signed to the platform's own storage: its host
   *     is trusted (often a private address) and skips the address policy; a redirect to any other
   *     host does not
   */
  long fetch(String name, String url, Path target, long maxBytes, Duration maxTime, boolean storage)
      throws StepFailedException {
    long deadline = System.nanoTime() + maxTime.toNanos();
    try {
      URI uri = httpUri(name, url);
      // A client per input: a pooled connection opened for a trusted storage host must never
      // carry a request of another input.
      try (CloseableHttpClient client =
          client(new PinningDnsResolver(addresses, storage ? uri.getHost() : null))) {
        return follow(client, name, uri, target, maxBytes, deadline);
      }
    } catch (StepFailedException e) {
      deleteQuietly(target);
      throw e;
    } catch (IOException e) {
      // Only closing the client gets here, after the transfer's own outcome.
      deleteQuietly(target);
      throw failed(name, describe(e, maxBytes));
    }
  }

  private long follow(
      CloseableHttpClient client, String name, URI uri, Path target, long maxBytes, long deadline)
      throws StepFailedException {
    for (int redirects = 0; ; redirects++) {
      Hop hop = get(client, name, uri, target, maxBytes, deadline);
      if (hop.location() == null) {
        return hop.bytes();
      }
      if (redirects == MAX_REDIRECTS) {
        throw failed(name, "more than " + MAX_REDIRECTS + " redirects");
      }
      uri = redirectTarget(name, uri, hop.location());
    }
  }

  /** One request's outcome: the bytes written, or where it redirects to. */
  private record Hop(long bytes, String location) {}

  private Hop get(
      CloseableHttpClient client, String name, URI uri, Path target, long maxBytes, long deadline)
      throws StepFailedException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw failed(name, "timed out");
    }
    HttpGet request = new HttpGet(uri);
    // The time limit is for the whole transfer, redirects included.
    CancelAtDeadline deadlineWatch = new CancelAtDeadline(request, remaining);
    ClassicHttpResponse response = null;
    try {
      response = client.executeOpen(null, request, null);
      int status = response.getCode();
      if (isRedirect(status)) {
        Header location = response.getFirstHeader("Location");
        if (location == null) {
          throw failed(name, "HTTP " + status + " without a location");
        }
        return new Hop(0, location.getValue());
      }
      if (status / 100 != 2) {
        throw failed(name, "HTTP " + status);
      }
      return new Hop(copy(response.getEntity(), target, maxBytes), null);
    } catch (IOException e) {
      throw failed(name, deadlineWatch.fired() ? "timed out" : describe(e, maxBytes));
    } finally {
      deadlineWatch.close();
      // Drop the connection: closing the response normally would first read whatever is left of
      // a body we do not want (too large, an error page, a redirect's).
      request.cancel();
      closeQuietly(response);
    }
  }

  /** Streams {@code entity} to {@code target}, failing as soon as it passes {@code maxBytes}. */
  private static long copy(HttpEntity entity, Path target, long maxBytes) throws IOException {
    if (entity != null && entity.getContentLength() > maxBytes) {
      throw new TooLargeException();
    }
    long written = 0;
    try (OutputStream out =
        Files.newOutputStream(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      if (entity == null) {
        return 0;
      }
      // Not closed here: the caller drops the connection instead of draining it.
      InputStream in = entity.getContent();
      byte[] buffer = new byte[BUFFER_BYTES];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        written += n;
        if (written > maxBytes) {
          throw new TooLargeException();
        }
        out.write(buffer, 0, n);
      }
    }
    return written;
  }

  private CloseableHttpClient client(DnsResolver resolver) {
    Timeout connect = Timeout.of(connectTimeout);
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(LazyTls.INSTANCE)
                .setDnsResolver(resolver)
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom().setConnectTimeout(connect).build())
                .build())
        // Never a proxy: the address the policy checked must be the one connected to.
        .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setConnectionRequestTimeout(connect)
                .setRedirectsEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .build())
        // Redirects are followed by hand, each hop checked; the cap counts the bytes as served.
        .disableRedirectHandling()
        .disableContentCompression()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .build();
  }

  /** The body passed the cap. */
  private static final class TooLargeException extends IOException {
    TooLargeException() {
      super("too large", null);
    }
  }

  private static String describe(Throwable error, long maxBytes) {
    // HttpClient may wrap the cause; the innermost known one is the reason.
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TooLargeException) {
        return "larger than " + maxBytes + " bytes";
      }
      if (t instanceof AddressPolicy.ForbiddenAddressException) {
        return t.getMessage(); // names the host and why, e.g. "... resolves to a loopback ..."
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof ConnectTimeoutException) {
        return "connection timed out";
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
      if (t instanceof FileSystemException) {
        return "could not write it to disk";
      }
    }
    return "transfer failed (" + error.getClass().getSimpleName() + ")";
  }

  private static URI httpUri(String name, String url) throws StepFailedException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw failed(name, "not a valid link");
    }
    if (!isHttpScheme(uri)) {
      throw failed(name, "only http and https links are supported");
    }
    if (uri.getHost() == null) {
      throw failed(name, "not a valid link");
    }
    return uri;
  }

  private static URI redirectTarget(String name, URI from, String location)
      throws StepFailedException {
    URI next;
    try {
      next = from.resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw failed(name, "redirected to an invalid link");
    }
    if (!isHttpScheme(next)) {
      throw failed(name, "redirected to a link that is not http or https");
    }
    if (next.getHost() == null) {
      throw failed(name, "redirected to an invalid link");
    }
    return next;
  }

  /** A host without the brackets of an IPv6 literal. */
  private static boolean isHttpScheme(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("http") || scheme.equals("https");
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static void closeQuietly(ClassicHttpResponse response) {
    if (response == null) {
      return;
    }
    try {
      response.close();
    } catch (IOException e) {
      // the connection was dropped on purpose; the transfer's outcome is already decided
    }
  }

  private static void deleteQuietly(Path target) {
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      // the step fails anyway, and the pod's work directory goes with it
    }
  }

  private static StepFailedException failed(String name, String reason) {
    return new StepFailedException(
        Step.Input, "input '" + name + "' could not be fetched: " + reason);
  }
}
