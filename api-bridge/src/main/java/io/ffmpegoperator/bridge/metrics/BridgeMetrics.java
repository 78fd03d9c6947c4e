package io.ffmpegoperator.bridge.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.glassfish.jersey.micrometer.server.DefaultJerseyTagsProvider;
import org.glassfish.jersey.micrometer.server.MetricsApplicationEventListener;

/**
 * The bridge's meters: Jersey's own request timer ({@value #HTTP_REQUESTS}, tagged with method, the
 * matched route template as {@code uri}, status, outcome and exception), the stored resources it
 * cannot read ({@value #UNREADABLE}) and the JVM's basics.
 */
public final class BridgeMetrics implements AutoCloseable {
  static final String HTTP_REQUESTS = "http.server.requests";

  /**
   * Gauge of stored resources this version cannot read, by {@code kind}: requests that name one get
   * a 500 and listings leave it out, until someone fixes or deletes it.
   */
  static final String UNREADABLE = "ffmpeg.bridge.resources.unreadable";

  // Reads take milliseconds, uploads and executes minutes: buckets that tell both apart.
  private static final double[] LATENCY_BUCKETS =
      Stream.of(
              Duration.ofMillis(5),
              Duration.ofMillis(10),
              Duration.ofMillis(25),
              Duration.ofMillis(50),
              Duration.ofMillis(100),
              Duration.ofMillis(250),
              Duration.ofMillis(500),
              Duration.ofSeconds(1),
              Duration.ofMillis(2500),
              Duration.ofSeconds(5),
              Duration.ofSeconds(10),
              Duration.ofSeconds(30),
              Duration.ofMinutes(1),
              Duration.ofMinutes(5))
          .mapToDouble(Duration::toNanos)
          .toArray();

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  public BridgeMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_REQUESTS)) {
                  return config;
                }
                return DistributionStatisticConfig.builder()
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .build()
                    .merge(config);
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Counts, for each kind (e.g. FfmpegTask), the stored resources this version cannot read. */
  public void countUnreadable(Map<String, LongSupplier> byKind) {
    byKind.forEach(
        (kind, count) ->
            Gauge.builder(UNREADABLE, count::getAsLong)
                .description("Stored resources this version cannot read; the bridge skips them")
                .tag("kind", kind)
                .register(registry));
  }

  /** Times every request Jersey handles, 404s included, as one series per route. */
  public MetricsApplicationEventListener requestListener() {
    return new MetricsApplicationEventListener(
        registry, new DefaultJerseyTagsProvider(), HTTP_REQUESTS, true);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
