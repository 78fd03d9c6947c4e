package io.ffmpegoperator.worker;

import io.ffmpegoperator.crds.WorkReport.Step;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * Fetches one input over http(s) into a file: a few redirects at most, a byte cap, a deadline for
 * the whole transfer. Failure messages name the input, never its link (it may be pre-signed).
 */
final class InputFetcher {
  static final int MAX_REDIRECTS = 5;

  private final HttpClient http;
  private final Duration transferTimeout;

  InputFetcher(HttpClient http, Duration transferTimeout) {
    this.http = http;
    this.transferTimeout = transferTimeout;
  }

  /** Writes the body at {@code url} to {@code target}; returns the bytes written. */
  long fetch(String name, String url, Path target, long maxBytes) throws StepFailedException {
    long deadline = System.nanoTime() + transferTimeout.toNanos();
    URI uri = httpUri(name, url);
    for (int redirects = 0; ; redirects++) {
      HttpResponse<Long> response = send(name, uri, target, maxBytes, deadline);
      int status = response.statusCode();
      if (isRedirect(status)) {
        if (redirects == MAX_REDIRECTS) {
          throw failed(name, "more than " + MAX_REDIRECTS + " redirects");
        }
        String location =
            response
                .headers()
                .firstValue("location")
                .orElseThrow(() -> failed(name, "HTTP " + status + " without a location"));
        uri = redirectTarget(name, uri, location);
        continue;
      }
      if (status / 100 != 2) {
        throw failed(name, "HTTP " + status);
      }
      return response.body();
    }
  }

  private HttpResponse<Long> send(String name, URI uri, Path target, long maxBytes, long deadline)
      throws StepFailedException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw failed(name, "timed out");
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(remaining)).build();
    AtomicReference<CappedFileSubscriber> body = new AtomicReference<>();
    HttpResponse.BodyHandler<Long> handler =
        info -> {
          if (info.statusCode() / 100 != 2) {
            return HttpResponse.BodySubscribers.replacing(-1L);
          }
          long length = info.headers().firstValueAsLong("content-length").orElse(-1);
          body.set(new CappedFileSubscriber(target, maxBytes, length));
          return body.get();
        };
    CompletableFuture<HttpResponse<Long>> future = http.sendAsync(request, handler);
    try {
      return future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      CappedFileSubscriber subscriber = body.get();
      if (subscriber != null) {
        subscriber.abort(new HttpTimeoutException("transfer timed out"));
      }
      future.cancel(true);
      throw failed(name, "timed out");
    } catch (ExecutionException e) {
      throw failed(name, describe(e.getCause(), maxBytes));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw failed(name, "interrupted");
    }
  }

  private static String describe(Throwable error, long maxBytes) {
    // The JDK client wraps causes in IOExceptions of its own; the innermost known one is the
    // reason.
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CappedFileSubscriber.TooLargeException) {
        return "larger than " + maxBytes + " bytes";
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "connection timed out";
      }
      if (t instanceof HttpTimeoutException) {
        return "timed out";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof SSLException) {
        return "TLS failed";
      }
      if (t instanceof java.nio.file.FileSystemException) {
        return "could not write it to disk";
      }
    }
    return "transfer failed (" + error.getClass().getSimpleName() + ")";
  }

  private static URI httpUri(String name, String url) throws StepFailedException {
    try {
      URI uri = new URI(url);
      if (!isHttp(uri)) {
        throw failed(name, "only http and https links are supported");
      }
      return uri;
    } catch (URISyntaxException | NullPointerException e) {
      throw failed(name, "not a valid link");
    }
  }

  private static URI redirectTarget(String name, URI from, String location)
      throws StepFailedException {
    try {
      URI next = from.resolve(new URI(location));
      if (!isHttp(next)) {
        throw failed(name, "redirected to a link that is not http or https");
      }
      return next;
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw failed(name, "redirected to an invalid link");
    }
  }

  private static boolean isHttp(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static StepFailedException failed(String name, String reason) {
    return new StepFailedException(
        Step.Input, "input '" + name + "' could not be fetched: " + reason);
  }
}
