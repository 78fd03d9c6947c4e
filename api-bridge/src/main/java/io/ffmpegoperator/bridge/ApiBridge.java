package io.ffmpegoperator.bridge;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.storage.S3Storage;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The REST server: the seed APIs on top of the custom resources, on the JDK's HTTP server. */
public final class ApiBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiBridge.class);

  /** Request threads; requests mostly read the cache, but a register waits on the API server. */
  static final int HTTP_THREADS = 32;

  private static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm each response then
    // waits for the client's delayed ACK (~40 ms). Read once, when the first JDK server is made.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final TaskStore store;
  private final URI uri;

  private ApiBridge(HttpServer server, ExecutorService executor, TaskStore store, URI uri) {
    this.server = server;
    this.executor = executor;
    this.store = store;
    this.uri = uri;
  }

  /**
   * Starts serving; returns once the port is bound.
   *
   * @param client used for FfmpegTasks in {@code config.namespace()}; the caller closes it
   * @param storage where outputs are; the caller closes it
   * @param ffmpegInstalled answers {@code GET /ffmpeg/health}; called at most once a minute
   */
  public static ApiBridge start(
      BridgeConfig config,
      KubernetesClient client,
      S3Storage storage,
      BooleanSupplier ffmpegInstalled) {
    TaskStore store = TaskStore.start(client, config.namespace());
    ExecutorService executor = newExecutor();
    try {
      ResourceConfig resources = resourceConfig(store, storage, ffmpegInstalled);
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
      LOG.info("API bridge serving {} (tasks in namespace {})", uri, config.namespace());
      return new ApiBridge(server, executor, store, uri);
    } catch (RuntimeException e) {
      executor.shutdownNow();
      store.close();
      throw e;
    }
  }

  /** Where the API answers, e.g. {@code http://localhost:8000/}. */
  public URI uri() {
    return uri;
  }

  /** Stops serving at once (in-flight requests are cut) and stops watching tasks. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    store.close();
    LOG.info("API bridge at {} stopped", uri);
  }

  static ResourceConfig resourceConfig(
      TaskStore store, S3Storage storage, BooleanSupplier ffmpegInstalled) {
    AbstractBinder dependencies =
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(store).to(TaskStore.class);
            bind(storage).to(S3Storage.class);
            bind(ffmpegInstalled).to(BooleanSupplier.class);
            bind(Clock.systemUTC()).to(Clock.class);
          }
        };
    return new ResourceConfig()
        .register(dependencies)
        .register(FfmpegTaskResource.class)
        .register(HealthResource.class)
        .register(DocsResource.class)
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
    return List.of(FfmpegTaskResource.class, HealthResource.class);
  }

  private static ExecutorService newExecutor() {
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
