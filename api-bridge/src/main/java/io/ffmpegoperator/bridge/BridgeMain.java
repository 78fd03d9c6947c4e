package io.ffmpegoperator.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bridge as its own process (the container's entry point). Reads {@code S3_*}/{@code
 * AWS_*}, {@code BRIDGE_HOST}, {@code BRIDGE_PORT}, {@code WATCH_NAMESPACE}/{@code POD_NAMESPACE}
 * and {@code FFMPEG_PATH}; the Kubernetes client is configured in-cluster or from kubeconfig.
 */
public final class BridgeMain {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeMain.class);

  private BridgeMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    BridgeConfig config = BridgeConfig.fromEnv(env);
    String ffmpeg = env.getOrDefault("FFMPEG_PATH", "ffmpeg");
    CountDownLatch stopped = new CountDownLatch(1);
    KubernetesClient client = new KubernetesClientBuilder().build();
    S3Storage storage = new S3Storage(S3Settings.fromEnv(env));
    ApiBridge bridge = ApiBridge.start(config, client, storage, () -> ffmpegRuns(ffmpeg));
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

  /** Whether {@code <ffmpeg> -version} exits 0 within a few seconds. */
  static boolean ffmpegRuns(String ffmpeg) {
    if (ffmpeg.isBlank()) {
      return false;
    }
    try {
      Process process =
          new ProcessBuilder(ffmpeg, "-version")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      LOG.debug("{} does not run: {}", ffmpeg, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
