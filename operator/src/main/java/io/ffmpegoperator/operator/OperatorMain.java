package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the operator's container: configuration from the environment (see {@link
 * OperatorConfig#fromEnv} and {@link S3Settings#fromEnv}), the in-cluster API, an HTTP endpoint for
 * probes and Prometheus, and a clean stop on SIGTERM.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    OperatorConfig config = OperatorConfig.fromEnv(env);
    S3Settings s3 = S3Settings.fromEnv(env);
    logConfiguration(config, s3);
    KubernetesClient client = new KubernetesClientBuilder().build();
    S3Storage storage = new S3Storage(s3);
    OperatorMetrics metrics = new OperatorMetrics().withJvmMetrics();
    Leadership leadership = Leadership.exitingOnLoss();
    Operator operator = FfmpegOperator.create(client, storage, config, metrics, leadership);
    // Up before the operator starts, so probes see "starting" rather than a refused connection.
    OperatorHttpServer http =
        OperatorHttpServer.start(config.httpPort(), operator, metrics, leadership);
    // JOSDK installs no hook of its own under leader election; this one covers both cases.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping: finishing reconciliations in progress");
                  try {
                    operator.stop();
                  } catch (RuntimeException e) {
                    LOG.warn("Unclean stop: {}", e.toString());
                  }
                  http.close();
                  metrics.close();
                  storage.close();
                  client.close();
                },
                "operator-shutdown"));
    try {
      operator.start();
    } catch (RuntimeException e) {
      LOG.error("The operator could not start", e);
      System.exit(1);
    }
    LOG.info(
        "ffmpeg-operator started; watching {}{}",
        config.namespaces().isEmpty() ? "all namespaces" : config.namespaces(),
        config.leaderElection() ? "; reconciles while it holds the leader Lease" : "");
  }

  /** What this process runs with; names and sizes only, never a credential. */
  private static void logConfiguration(OperatorConfig config, S3Settings s3) {
    LOG.info(
        "Configuration: namespaces={}, workerImage={}, defaultTimeout={}, jobTtl={},"
            + " backoffLimit={}, progressInterval={}, inputs may also reach [{}]",
        config.namespaces().isEmpty() ? "all" : config.namespaces(),
        config.workerImage(),
        config.defaultTimeout(),
        config.jobTtl(),
        config.backoffLimit(),
        config.progressInterval(),
        config.inputAddresses().allowedNetworks());
    LOG.info("Worker limits: {}; resources: {}", config.limits(), config.worker());
    LOG.info(
        "Warm workers: {}",
        config.warm().enabled()
            ? config.warm().count()
                + " per namespace, orders on port "
                + config.warm().port()
                + " reached at "
                + config.warm().url()
                + ", idle at most "
                + config.warm().idle()
            : "off");
    LOG.info("S3: {}", s3.describe());
    LOG.info(
        "HTTP port {}; leader election {}",
        config.httpPort(),
        config.leaderElection()
            ? "on (Lease "
                + OperatorConfig.LEASE_NAME
                + " in "
                + (config.leaseNamespace() == null
                    ? "the client's namespace"
                    : config.leaseNamespace())
                + ", identity "
                + (config.leaseIdentity() == null ? "random" : config.leaseIdentity())
                + ")"
            : "off");
  }
}
