package io.ffmpegoperator.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.worker.FfmpegBinaries;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the bridge as its own process (the container's entry point). Reads {@code S3_*}/{@code
 * AWS_*}, {@code BRIDGE_HOST}, {@code BRIDGE_PORT}, {@code WATCH_NAMESPACE}/{@code POD_NAMESPACE},
 * {@code BRIDGE_EXECUTE_TIMEOUT_SECONDS}, {@code API_KEYS}/{@code API_KEYS_FILE}, {@code
 * MAX_JSON_BODY_BYTES}, {@code MAX_UPLOAD_BYTES}, {@code INPUT_ALLOWED_NETWORKS}, {@code
 * FFMPEG_PATH} and {@code FFPROBE_PATH}; the Kubernetes client is configured in-cluster or from
 * kubeconfig.
 */
public final class BridgeMain {
  private BridgeMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    BridgeConfig config = BridgeConfig.fromEnv(env);
    FfmpegBinaries ffmpeg = FfmpegBinaries.fromEnv(env);
    CountDownLatch stopped = new CountDownLatch(1);
    KubernetesClient client = new KubernetesClientBuilder().build();
    S3Storage storage = new S3Storage(S3Settings.fromEnv(env));
    ApiBridge bridge = ApiBridge.start(config, client, storage, ffmpeg);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  bridge.close();
                  client.close();
                  storage.close();
                  stopped.countDown();
                },
                "api-bridge-shutdown"));
    stopped.await();
  }
}
