package io.ffmpegoperator.dev.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API on one machine: fabric8's mock CRUD dispatcher behind our own HTTP server (which
 * can also stream), with the platform's CRDs, enough discovery and printing for kubectl, garbage
 * collection by owner, Events that expire as the API server's do, and every object kept in a state
 * folder so that a restart finds it again.
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  /** The kubeconfig's context, cluster and user name. */
  public static final String CONTEXT = "ffmpeg-operator-local";

  public static final String NAMESPACE = "default";

  /**
   * System property: {@code off} starts a server that stores custom resources without checking them
   * against their CRD's schema, as a cluster whose CRD had no schema yet would have; anything else
   * (or nothing) checks them. Read when a server starts.
   */
  public static final String VALIDATION_PROPERTY = "ffmpeg.embedded.kube.validation";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKubernetes.class);

  // How many changes HTTP watches can resume after; a client further behind lists again (410).
  private static final int WATCH_CACHE = 1024;

  // The mock checks no credentials; clients still want one to send.
  private static final String TOKEN = "embedded-kubernetes-token";

  private final FileLock lock;
  private final ApiHttpServer server;
  private final PodLogRoute podLogs;
  private final GarbageCollector garbageCollector;
  private final EventExpiry eventExpiry;
  private final KubernetesClient client;
  private final String url;
  private final Path kubeconfig;

  private EmbeddedKubernetes(
      FileLock lock,
      ApiHttpServer server,
      PodLogRoute podLogs,
      GarbageCollector garbageCollector,
      EventExpiry eventExpiry,
      KubernetesClient client,
      String url,
      Path kubeconfig) {
    this.lock = lock;
    this.server = server;
    this.podLogs = podLogs;
    this.garbageCollector = garbageCollector;
    this.eventExpiry = eventExpiry;
    this.client = client;
    this.url = url;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Starts the API on 127.0.0.1 with what {@code stateDir} holds, installs (or updates) every CRD
   * found on the classpath and makes sure namespace {@code default} exists.
   *
   * @param port the port to listen on, 0 for any free one
   * @throws IllegalStateException if another server already uses {@code stateDir}
   */
  public static EmbeddedKubernetes start(Path stateDir, int port) {
    return start(stateDir, port, EventExpiry.DEFAULT_TTL);
  }

  /** Like {@link #start(Path, int)}, with Events deleted {@code eventTtl} after they were seen. */
  static EmbeddedKubernetes start(Path stateDir, int port, Duration eventTtl) {
    FileLock lock = lock(stateDir);
    ApiHttpServer server = null;
    GarbageCollector garbageCollector = null;
    EventExpiry eventExpiry = null;
    KubernetesClient client = null;
    try {
      PersistentCrudDispatcher crud = new PersistentCrudDispatcher(new FileBackedStore(stateDir));
      crud.restore();
      if (!"off".equals(System.getProperty(VALIDATION_PROPERTY))) {
        crud.validateCustomResources(new SchemaValidation(crud));
      }
      garbageCollector = new GarbageCollector(crud);
      crud.onRemoval(garbageCollector::ownerRemoved);
      eventExpiry = new EventExpiry(crud, Clock.systemUTC(), eventTtl);
      // Before the server takes requests: a watch must see every change from the first one.
      WatchHub watches =
          new WatchHub(
              crud.lastResourceVersion(),
              Integer.getInteger("ffmpeg.embedded.kube.watchCache", WATCH_CACHE));
      crud.addChangeListener(watches);
      ApiServerDispatcher dispatcher = new ApiServerDispatcher(crud, Clock.systemUTC());
      server =
          ApiHttpServer.start(
              InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port, dispatcher);
      PodLogRoute podLogs = new PodLogRoute(crud, server.vertx(), Clock.systemUTC());
      server.addRoute(podLogs);
      server.addRoute(
          new WatchRoute(
              watches,
              crud,
              dispatcher::types,
              new TablePrinter(Clock.systemUTC()),
              server.vertx(),
              WatchRoute.BOOKMARK_INTERVAL,
              WatchRoute.SLOW_CLIENT_GRACE));
      String url = "http://127.0.0.1:" + server.port();
      client = new KubernetesClientBuilder().withConfig(clientConfig(url)).build();
      installCrds(client);
      if (client.namespaces().withName(NAMESPACE).get() == null) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
            .create();
      }
      // Owners deleted while the server was down (or just before a crash) leave dependents.
      garbageCollector.sweep();
      eventExpiry.start();
      Path kubeconfig = writeKubeconfig(stateDir, url);
      LOG.info("Kubernetes API on {} (kubectl --kubeconfig {})", url, kubeconfig);
      return new EmbeddedKubernetes(
          lock, server, podLogs, garbageCollector, eventExpiry, client, url, kubeconfig);
    } catch (IOException | RuntimeException e) {
      closeQuietly(client, garbageCollector, eventExpiry, server, lock);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /**
   * Answers {@code GET .../pods/<name>/log} from the files {@code files} names: the node running
   * the pods says where it keeps their output. Until then every pod's log is empty.
   */
  public void servePodLogs(PodLogFiles files) {
    podLogs.serve(files);
  }

  /** A client for namespace {@code default}; closed with this server. */
  public KubernetesClient client() {
    return client;
  }

  /** The API's base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /** {@code stateDir/kubeconfig}: context {@value #CONTEXT}, namespace default, plain HTTP. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Stops serving; everything stored stays in the state folder. */
  @Override
  public void close() {
    closeQuietly(client, garbageCollector, eventExpiry, server, lock);
  }

  private static void closeQuietly(
      KubernetesClient client,
      GarbageCollector garbageCollector,
      EventExpiry eventExpiry,
      ApiHttpServer server,
      FileLock lock) {
    if (client != null) {
      client.close();
    }
    // Server first: no request may remove an object (and queue a collection) after the collector
    // has stopped; collections already queued still run against the store.
    if (server != null) {
      server.close();
    }
    // Before the collector: an expired Event's removal may queue a collection.
    if (eventExpiry != null) {
      eventExpiry.close();
    }
    if (garbageCollector != null) {
      garbageCollector.close();
    }
    try {
      lock.release();
      lock.channel().close();
    } catch (IOException e) {
      LOG.warn("Cannot release the state folder lock: {}", e.toString());
    }
  }

  /** Two servers writing one folder would overwrite each other's objects. */
  private static FileLock lock(Path stateDir) {
    try {
      Files.createDirectories(stateDir);
      FileChannel channel =
          FileChannel.open(
              stateDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(stateDir + " is used by another running API server");
      }
      return lock;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Config clientConfig(String url) {
    // Config.empty(): nothing from ~/.kube/config or the environment leaks in.
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace(NAMESPACE)
        .withOauthToken(TOKEN)
        .withHttp2Disable(true)
        .build();
  }

  private static void installCrds(KubernetesClient client) {
    for (CustomResourceDefinition crd :
        ClasspathCrds.load(EmbeddedKubernetes.class.getClassLoader())) {
      // Update as well as create: the CRD may have changed since the state folder was written.
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .createOr(NonDeletingOperation::update);
      LOG.debug("Installed CRD {}", crd.getMetadata().getName());
    }
  }

  private static Path writeKubeconfig(Path stateDir, String url) throws IOException {
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: " + CONTEXT,
            "  cluster:",
            "    server: " + url,
            "users:",
            "- name: " + CONTEXT,
            "  user:",
            "    token: " + TOKEN,
            "contexts:",
            "- name: " + CONTEXT,
            "  context:",
            "    cluster: " + CONTEXT,
            "    user: " + CONTEXT,
            "    namespace: " + NAMESPACE,
            "current-context: " + CONTEXT,
            "");
    Path file = stateDir.resolve("kubeconfig");
    Path temp = stateDir.resolve(".kubeconfig.tmp");
    Files.writeString(temp, yaml, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** Runs the API alone until killed: {@code [stateDir] [port]}. */
  public static void main(String[] args) throws InterruptedException {
    Path stateDir = Path.of(args.length > 0 ? args[0] : "target/embedded-kube");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    EmbeddedKubernetes kube = start(stateDir, port);
    Runtime.getRuntime().addShutdownHook(new Thread(kube::close));
    System.out.println("kubectl --kubeconfig " + kube.kubeconfig().toAbsolutePath());
    Thread.currentThread().join();
  }
}
