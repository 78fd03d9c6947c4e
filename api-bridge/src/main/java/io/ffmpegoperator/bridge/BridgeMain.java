package io.ffmpegoperator.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bridge as its own process (the container's entry point). Reads {@code S3_*}/{@code
 * AWS_*}, {@code BRIDGE_HOST}, {@code BRIDGE_PORT}, {@code WATCH_NAMESPACE}/{@code POD_NAMESPACE},
 * {@code BRIDGE_EXECUTE_TIMEOUT_SECONDS}, {@code API_KEYS}/{@code API_KEYS_FILE}, {@code
 * MAX_JSON_BODY_BYTES}, {@code MAX_UPLOAD_BYTES}, {@code INPUT_ALLOWED_NETWORKS}, {@code
 * FFMPEG_PATH} and {@code FFPROBE_PATH}; the Kubernetes client is configured in-cluster or from
 * kubeconfig. On SIGTERM it stops taking requests and gives those in flight {@link #SHUTDOWN_GRACE}
 * to finish.
 */
public final class BridgeMain {
  /** Within Kubernetes' default 30 s termination grace period, with room for the rest. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(BridgeMain.class);

  private BridgeMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    BridgeConfig config = BridgeConfig.fromEnv(env);
    S3Settings s3 = S3Settings.fromEnv(env);
    FfmpegBinaries ffmpeg = FfmpegBinaries.fromEnv(env);
    // Names and sizes only: the S3 secret and the API keys are never logged.
    LOG.info(
        "Configuration: namespace={}, listen={}:{}, executeTimeout={}, ffmpeg={}, ffprobe={}",
        config.namespace(),
        config.host(),
        config.port(),
        config.executeTimeout(),
        ffmpeg.ffmpeg(),
        ffmpeg.ffprobe());
    LOG.info("S3: {}", s3.describe());
    CountDownLatch stopped = new CountDownLatch(1);
    KubernetesClient client = new KubernetesClientBuilder().build();
    S3Storage storage = new S3Storage(s3);
    ApiBridge bridge = ApiBridge.start(config, client, storage, ffmpeg);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping: letting requests in flight finish");
                  bridge.stop(SHUTDOWN_GRACE);
                  client.close();
                  storage.close();
                  stopped.countDown();
                },
                "api-bridge-shutdown"));
    stopped.await();
  }
}
