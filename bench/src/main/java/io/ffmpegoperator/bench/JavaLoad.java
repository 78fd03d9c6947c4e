package io.ffmpegoperator.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item 4's load when wrk cannot be had: threads of the bench's JVM sharing one HTTP client, each
 * sending requests back to back.
 */
final class JavaLoad {
  private JavaLoad() {}

  /**
   * {@code connections} threads sending {@code GET uri} back to back for {@code seconds}; the
   * result as wrk would give it, with nearest-rank percentiles.
   */
  static Wrk.Result run(HttpClient http, URI uri, int connections, int seconds) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
    AtomicLong errors = new AtomicLong();
    ConcurrentLinkedQueue<double[]> all = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    long t0 = System.nanoTime();
    long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        futures.add(
            pool.submit(
                () -> {
                  double[] latencies = new double[1 << 16];
                  int n = 0;
                  while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    try {
                      HttpResponse<byte[]> r =
                          http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                      if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                        continue;
                      }
                    } catch (IOException e) {
                      errors.incrementAndGet();
                      continue;
                    }
                    if (n == latencies.length) {
                      latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = (System.nanoTime() - s) / 1e6;
                  }
                  all.add(Arrays.copyOf(latencies, n));
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    List<Double> latencies = new ArrayList<>();
    for (double[] a : all) {
      for (double d : a) {
        latencies.add(d);
      }
    }
    Stats stats = Stats.of(latencies);
    return new Wrk.Result(
        latencies.size() / elapsed,
        stats.percentile(50),
        stats.percentile(99),
        latencies.size(),
        errors.get());
  }
}
