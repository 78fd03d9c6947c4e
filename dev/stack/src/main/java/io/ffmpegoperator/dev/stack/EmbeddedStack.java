package io.ffmpegoperator.dev.stack;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.bridge.ApiBridge;
import io.ffmpegoperator.bridge.BridgeConfig;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import io.ffmpegoperator.dev.node.LocalImage;
import io.ffmpegoperator.dev.node.LocalNode;
import io.ffmpegoperator.dev.node.LocalNodeConfig;
import io.ffmpegoperator.dev.node.PodmanSettings;
import io.ffmpegoperator.dev.s3.EmbeddedS3;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.operator.FfmpegOperator;
import io.ffmpegoperator.operator.OperatorConfig;
import io.ffmpegoperator.operator.WebhookSettings;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.ParallelPolicy;
import io.ffmpegoperator.settings.EnvSettings;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.worker.WorkerMain;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on localhost: a Kubernetes API with the CRDs, S3, a local node that runs Job
 * pods as processes, the operator and the API bridge. Everything it keeps lives under {@link
 * StackConfig#home()}, so a restart picks up every task and file from before.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  /** Where worker class archives are kept between runs, beside the bundled ffmpeg's cache. */
  private static final Path WORKER_CDS_CACHE =
      Path.of(System.getProperty("user.home"), ".cache", "ffmpeg-operator", "worker-cds");

  private final StackConfig config;
  private final FfmpegBinaries ffmpeg;
  private final EmbeddedS3 s3;
  private final S3Storage storage;
  private final EmbeddedKubernetes kube;
  private final LocalNode node;
  private final OperatorConfig operatorConfig;
  private Operator operator;
  private final ApiBridge bridge;

  private EmbeddedStack(StackConfig config) throws Exception {
    this.config = config;
    Path home = config.home();
    ffmpeg = LocalFfmpeg.find(System.getenv());
    s3 =
        EmbeddedS3.start(
            home.resolve("s3"), config.s3Port(), StackConfig.ACCESS_KEY, StackConfig.SECRET_KEY);
    storage =
        new S3Storage(
            new S3Settings(
                config.bucket(),
                S3Settings.DEFAULT_REGION,
                s3.endpoint(),
                StackConfig.ACCESS_KEY,
                StackConfig.SECRET_KEY));
    storage.ensureBucket();
    SampleMedia.ensure(storage, ffmpeg, home.resolve("scratch"));
    kube = EmbeddedKubernetes.start(home.resolve("kube"), config.kubePort());
    // Read from the variable as a cluster's bridge and operator both read it.
    ParallelPolicy parallel = ParallelPolicy.fromEnv(EnvSettings.of(System.getenv()));
    operatorConfig =
        OperatorConfig.defaults()
            .withNamespaces(Set.of(config.namespace()))
            .withProgressInterval(Duration.ofSeconds(1))
            .withInputAddresses(AddressPolicy.allowing(config.inputAllowedNetworks()))
            .withTaskResources(config.taskResources())
            .withParallel(parallel)
            .withWebhooks(webhooks(config))
            .withClientLimits(config.apiClients().limits())
            // Warm pods are local processes here: they reach the operator on loopback, on a port
            // that stays the same when the operator restarts.
            .withWarm(
                OperatorConfig.WarmWorkers.local(
                    config.warmWorkers(), config.warmPort() == 0 ? freePort() : config.warmPort()));
    node = new LocalNode(kube.client(), config.namespace(), nodeConfig(home));
    // The node runs one namespace's pods, one container each.
    kube.servePodLogs(
        (namespace, pod, container) ->
            namespace.equals(config.namespace()) ? node.logFiles(pod) : List.of());
    node.start();
    operator = startOperator();
    bridge =
        ApiBridge.start(
            new BridgeConfig(config.apiHost(), config.apiPort(), config.namespace())
                .withApiKeys(ApiKeys.of(config.apiClients()))
                .withAddressPolicy(AddressPolicy.allowing(config.inputAllowedNetworks()))
                .withResourcePolicy(config.taskResources())
                .withParallelPolicy(parallel),
            kube.client(),
            storage,
            ffmpeg);
  }

  /** Starts everything; returns once the API answers. */
  public static EmbeddedStack start(StackConfig config) throws Exception {
    return new EmbeddedStack(config);
  }

  /**
   * The configured webhook settings, with the secret the stack keeps in its home when none is set:
   * made once, so receivers set up against one run keep working after a restart.
   */
  private static WebhookSettings webhooks(StackConfig config) throws IOException {
    WebhookSettings settings = config.webhooks();
    if (settings.secret() != null) {
      return settings;
    }
    Path file = config.home().resolve(StackConfig.WEBHOOK_SECRET_FILE);
    if (!Files.exists(file)) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      Files.createDirectories(file.getParent());
      Files.writeString(
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
          HexFormat.of().formatHex(random));
    }
    return new WebhookSettings(
        Files.readString(file).trim(),
        settings.firstRetry(),
        settings.factor(),
        settings.attempts(),
        settings.timeout());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Pods run as podman containers of the built images, or as local processes: the worker image as a
   * local JVM (see {@link LocalWorkerJvm}) with the found ffmpeg.
   */
  private LocalNodeConfig nodeConfig(Path home) {
    LocalNodeConfig.Builder node = LocalNodeConfig.builder(home.resolve("node"));
    if (config.nodeRuntime() == StackConfig.NodeRuntime.PODMAN) {
      node.podman(PodmanSettings.of(ProjectFiles.containersConf()));
    } else {
      node.image(
          operatorConfig.workerImage(),
          LocalWorkerJvm.trainedImage(ffmpeg, storage, SampleMedia.KEY, WORKER_CDS_CACHE));
    }
    return node
        // A retried pod starts after a second here, not Kubernetes' ten: nobody else is waiting.
        .retryBackoff(Duration.ofSeconds(1))
        // One working pod per CPU, plus room for the idle warm workers, which use none: in a
        // cluster their resource requests are reserved the same way.
        .maxConcurrentPods(Runtime.getRuntime().availableProcessors() + config.warmWorkers())
        .build();
  }

  /**
   * What the worker image's container runs on a local node: {@link WorkerMain} in a JVM with this
   * process's classpath, and the given ffmpeg instead of the image's. The stack itself runs it on
   * the worker's own jars with a class archive ({@link LocalWorkerJvm}).
   */
  public static LocalImage localWorkerImage(FfmpegBinaries ffmpeg) {
    return LocalWorkerJvm.image(ffmpeg);
  }

  private Operator startOperator() {
    Operator started = FfmpegOperator.create(kube.client(), storage, operatorConfig);
    started.start();
    return started;
  }

  /** Stops the operator and starts a new one, as a pod restart would; for tests. */
  public void restartOperator() {
    operator.stop();
    operator = startOperator();
  }

  public URI apiUri() {
    return bridge.uri();
  }

  public KubernetesClient kubernetesClient() {
    return kube.client();
  }

  public Path kubeconfig() {
    return kube.kubeconfig();
  }

  public S3Storage storage() {
    return storage;
  }

  public FfmpegBinaries ffmpeg() {
    return ffmpeg;
  }

  public StackConfig config() {
    return config;
  }

  @Override
  public void close() throws Exception {
    bridge.close();
    operator.stop();
    node.close();
    kube.close();
    storage.close();
    s3.close();
  }

  /** {@code make run}: start, print where everything is, stop cleanly on Ctrl-C. */
  public static void main(String[] args) throws Exception {
    StackConfig config = StackConfig.fromEnv(System.getenv());
    EmbeddedStack stack = start(config);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping the embedded stack");
                  try {
                    stack.close();
                  } catch (Exception e) {
                    LOG.warn("Unclean stop: {}", e.toString());
                  }
                },
                "stack-shutdown"));
    String api = "http://localhost:" + stack.apiUri().getPort();
    System.out.printf(
        """

        ffmpeg-operator is running (Ctrl-C stops it; state is kept in %s)
          API:         %s   (docs: %s/docs)
          kubectl:     kubectl --kubeconfig %s get fft
          S3 endpoint: %s   bucket: %s   (access key %s, secret %s)
          sample clip: s3://%s/%s
          ffmpeg:      %s
          pods:        %s
          security:    %s
                       input URLs may reach %s besides public addresses (INPUT_ALLOWED_NETWORKS)
          webhooks:    %s

        """,
        config.home(),
        api,
        api,
        stack.kubeconfig(),
        stack.storage().settings().endpoint(),
        config.bucket(),
        StackConfig.ACCESS_KEY,
        StackConfig.SECRET_KEY,
        config.bucket(),
        SampleMedia.KEY,
        stack.ffmpeg().ffmpeg(),
        config.nodeRuntime() == StackConfig.NodeRuntime.PODMAN
            ? "podman containers of "
                + stack.operatorConfig.workerImage()
                + " (`make images` builds it; `podman ps` shows them)"
            : "local processes (NODE_RUNTIME=podman runs them as containers of the images)",
        config.apiClients().isEmpty()
            ? "the API is OPEN to anyone who can reach "
                + config.apiHost()
                + ":"
                + stack.apiUri().getPort()
                + " (set API_KEYS or API_KEYS_FILE to require keys)"
            : "the API asks for a bearer key (" + config.apiClients() + ")",
        config.inputAllowedNetworks().isBlank() ? "nothing" : config.inputAllowedNetworks(),
        config.webhooks().secret() != null
            ? "signed with WEBHOOK_SECRET"
            : "signed with the secret in "
                + config.home().resolve(StackConfig.WEBHOOK_SECRET_FILE)
                + " (WEBHOOK_SECRET sets another)");
    Thread.currentThread().join();
  }
}
