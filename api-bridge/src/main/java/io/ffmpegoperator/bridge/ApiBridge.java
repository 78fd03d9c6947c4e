package io.ffmpegoperator.bridge;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.bridge.docs.DocsResource;
import io.ffmpegoperator.bridge.docs.OpenApiDocument;
import io.ffmpegoperator.bridge.health.HealthResource;
import io.ffmpegoperator.bridge.health.Readiness;
import io.ffmpegoperator.bridge.health.ReadinessResource;
import io.ffmpegoperator.bridge.http.ApiExceptionMapper;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.bridge.http.BodyLimitFilter;
import io.ffmpegoperator.bridge.http.JsonMapperProvider;
import io.ffmpegoperator.bridge.http.RequestPolicyFeature;
import io.ffmpegoperator.bridge.library.MediaTools;
import io.ffmpegoperator.bridge.library.VideoLibrary;
import io.ffmpegoperator.bridge.metrics.BridgeMetrics;
import io.ffmpegoperator.bridge.metrics.MetricsResource;
import io.ffmpegoperator.bridge.store.Stores;
import io.ffmpegoperator.bridge.store.TaskStore;
import io.ffmpegoperator.bridge.store.UserLinks;
import io.ffmpegoperator.bridge.store.VideoJobStore;
import io.ffmpegoperator.bridge.store.VideoStore;
import io.ffmpegoperator.bridge.task.FfmpegTaskResource;
import io.ffmpegoperator.bridge.task.TaskListResource;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.ParallelPolicy;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.storage.S3Storage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.media.multipart.MultiPartFeature;
import org.glassfish.jersey.media.multipart.MultiPartProperties;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The REST server: the seed APIs on top of the custom resources, on the JDK's HTTP server. */
public final class ApiBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiBridge.class);
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  /** Request threads; requests mostly read the cache, but a register waits on the API server. */
  static final int HTTP_THREADS = 32;

  /** Executes that may wait for their jobs at once: each holds a request thread meanwhile. */
  static final int MAX_WAITING_EXECUTES = HTTP_THREADS / 2;

  /** How often a graceful stop looks whether requests are still in flight. */
  private static final Duration DRAIN_POLL = Duration.ofMillis(50);

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final Stores stores;
  private final BridgeMetrics metrics;
  private final URI uri;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private ApiBridge(
      HttpServer server,
      ThreadPoolExecutor executor,
      Stores stores,
      BridgeMetrics metrics,
      URI uri) {
    this.server = server;
    this.executor = executor;
    this.stores = stores;
    this.metrics = metrics;
    this.uri = uri;
  }

  /**
   * Starts serving; returns once the port is bound. Lists ffmpeg's encoders first; if ffmpeg does
   * not run, it starts anyway and encodes get 503 until it does.
   *
   * @param client used for the resources in {@code config.namespace()}; the caller closes it
   * @param storage where outputs and library videos are; the caller closes it
   * @param ffmpeg probes uploads, lists encoders, answers {@code GET /ffmpeg/health}
   */
  public static ApiBridge start(
      BridgeConfig config, KubernetesClient client, S3Storage storage, FfmpegBinaries ffmpeg) {
    MediaTools tools = new MediaTools(ffmpeg);
    Stores stores = Stores.start(client, config.namespace());
    BridgeMetrics metrics = new BridgeMetrics();
    Readiness readiness = new Readiness(stores::health);
    metrics.countUnreadable(stores.unreadable());
    ThreadPoolExecutor executor = newExecutor();
    try {
      ResourceConfig resources =
          resourceConfig(config, client, stores, storage, tools, metrics, readiness);
      // Jersey makes the JDK server itself, so it cannot be told to answer without Nagle's delay;
      // the JDK reads this switch once, when the process makes its first server (an explicit
      // setting wins). With Nagle on, every answer with a body waits for the client's delayed ACK.
      if (System.getProperty(NODELAY) == null) {
        System.setProperty(NODELAY, "true");
      }
      HttpServer server =
          JdkHttpServerFactory.createHttpServer(
              URI.create("http://" + hostForUri(config.host()) + ":" + config.port() + "/"),
              resources,
              false);
      // Jersey's default pool is unbounded and never shut down; ours is bounded and closed with us.
      server.setExecutor(executor);
      server.start();
      URI uri =
          URI.create(
              "http://"
                  + hostForUri(reachableHost(config.host()))
                  + ":"
                  + server.getAddress().getPort()
                  + "/");
      LOG.info("API bridge serving {} (resources in namespace {})", uri, config.namespace());
      if (config.apiKeys().isEmpty()) {
        LOG.warn(
            "NO API KEYS ARE SET: the API is OPEN to anyone who can reach {}. Set {} or {} to"
                + " require a bearer key.",
            uri,
            ApiKeys.API_KEYS_ENV,
            ApiKeys.API_KEYS_FILE_ENV);
      } else {
        LOG.info("The API requires a bearer key ({} accepted)", config.apiKeys().size());
      }
      String networks = config.addressPolicy().allowedNetworks();
      LOG.info(
          "JSON bodies up to {}, uploads up to {}; task inputs may reach public addresses{}",
          BodyLimitFilter.describe(config.maxJsonBodyBytes()),
          BodyLimitFilter.describe(config.maxUploadBytes()),
          networks.isEmpty() ? "" : " and " + networks);
      LOG.info("Open to all: /health, /ready (readiness), /metrics (Prometheus) and the docs");
      return new ApiBridge(server, executor, stores, metrics, uri);
    } catch (RuntimeException e) {
      executor.shutdownNow();
      stores.close();
      metrics.close();
      throw e;
    }
  }

  /** Where the API answers, e.g. {@code http://localhost:8000/}. */
  public URI uri() {
    return uri;
  }

  /** Where uploads wait while they are checked; empty between requests. */
  Path uploadDir() {
    return stores.uploadDir();
  }

  /** Stops serving at once (in-flight requests are cut) and stops watching resources. */
  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  /**
   * Stops taking connections, lets requests in flight finish for up to {@code grace}, then cuts the
   * rest and stops watching resources.
   */
  public void stop(Duration grace) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (grace.toSeconds() <= 0) {
      server.stop(0);
    } else {
      drain(grace);
    }
    executor.shutdownNow();
    stores.close();
    metrics.close();
    LOG.info("API bridge at {} stopped", uri);
  }

  /**
   * Closes the listener and waits until no request is in flight or {@code grace} is over. The JDK
   * 17 server's own stop waits out its whole delay even when idle, so it runs on a thread of its
   * own and is waited for only while requests are still being served.
   */
  private void drain(Duration grace) {
    Thread stopper =
        new Thread(
            () -> server.stop((int) Math.min(Integer.MAX_VALUE, grace.toSeconds())),
            "api-bridge-stop");
    stopper.setDaemon(true);
    stopper.start();
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      // Let the stopper close the listener first, so nothing new arrives while we look.
      Thread.sleep(DRAIN_POLL.toMillis());
      while (stopper.isAlive()
          && System.nanoTime() < deadline
          && (executor.getActiveCount() > 0 || !executor.getQueue().isEmpty())) {
        Thread.sleep(DRAIN_POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ResourceConfig resourceConfig(
      BridgeConfig config,
      KubernetesClient client,
      Stores stores,
      S3Storage storage,
      MediaTools tools,
      BridgeMetrics metrics,
      Readiness readiness) {
    Clock clock = Clock.systemUTC();
    BooleanSupplier ffmpegInstalled = tools::ffmpegInstalled;
    AbstractBinder dependencies =
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(stores.tasks()).to(TaskStore.class);
            bind(stores.videos()).to(VideoStore.class);
            bind(stores.videoJobs()).to(VideoJobStore.class);
            bind(storage).to(S3Storage.class);
            bind(new UserLinks(storage, clock)).to(UserLinks.class);
            bind(ffmpegInstalled).to(BooleanSupplier.class);
            bind(clock).to(Clock.class);
            bind(config.addressPolicy()).to(AddressPolicy.class);
            bind(config.resourcePolicy()).to(ResourcePolicy.class);
            bind(config.parallelPolicy()).to(ParallelPolicy.class);
            bind(config.apiKeys()).to(ApiKeys.class);
            bind(metrics.registry()).to(PrometheusMeterRegistry.class);
            bind(readiness).to(Readiness.class);
            bind(new OpenApiDocument(documentedResources())).to(OpenApiDocument.class);
          }
        };
    return new ResourceConfig()
        .register(dependencies)
        .register(
            VideoLibrary.binder(
                client,
                config.namespace(),
                stores,
                storage,
                tools,
                config.mediaPolicy(),
                config.executeTimeout(),
                MAX_WAITING_EXECUTES,
                clock))
        .register(
            new RequestPolicyFeature(
                config.apiKeys(), config.maxJsonBodyBytes(), config.maxUploadBytes()))
        .registerClasses(documentedResources().toArray(Class<?>[]::new))
        .register(ReadinessResource.class)
        .register(MetricsResource.class)
        .register(DocsResource.class)
        .register(metrics.requestListener())
        .register(MultiPartFeature.class)
        // Parts above 8 KiB go to files here (never whole into memory); moving one out for
        // probing is then a rename within the same folder. Jersey reads this from a resolver only.
        .register(new MultiPartProperties().tempDir(stores.uploadDir().toString()).resolver())
        .register(JacksonFeature.class)
        .register(JsonMapperProvider.class)
        .register(ApiExceptionMapper.class)
        // No WADL: FastAPI has none, and it would answer OPTIONS with XML.
        .property(ServerProperties.WADL_FEATURE_DISABLE, true)
        // Errors are answered by ApiExceptionMapper as JSON, never by the container's HTML page.
        .property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
  }

  /** The resources /openapi.json describes; the docs endpoints themselves are left out. */
  static List<Class<?>> documentedResources() {
    return Stream.concat(
            Stream.of(FfmpegTaskResource.class, TaskListResource.class, HealthResource.class),
            VideoLibrary.RESOURCES.stream())
        .toList();
  }

  private static ThreadPoolExecutor newExecutor() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        runnable -> {
          Thread thread = new Thread(runnable, "api-bridge-http-" + count.incrementAndGet());
          // Daemon: an embedding process (tests, make run) must be able to exit without close().
          thread.setDaemon(true);
          return thread;
        };
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            HTTP_THREADS, HTTP_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  private static String reachableHost(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
