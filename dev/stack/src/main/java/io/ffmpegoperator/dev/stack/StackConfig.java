package io.ffmpegoperator.dev.stack;

import io.ffmpegoperator.policy.AddressPolicy;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the embedded stack keeps its state and which ports it listens on. {@code make run} uses the
 * seeds' port 8000 for the API; tests pass 0 everywhere to get free ports.
 *
 * @param home the one git-ignored folder holding everything the stack keeps
 * @param inputAllowedNetworks networks input URLs may reach besides public addresses: loopback by
 *     default, so local files served on this machine work as inputs; clusters allow none
 * @param warmWorkers worker pods kept started ahead of tasks (the operator's {@code WORKER_WARM}):
 *     {@value #DEFAULT_WARM_WORKERS} for {@code make run}, 0 for tests unless they are about warm
 *     workers
 * @param warmPort port the warm pods ask the operator for orders on; 0 picks a free one at start
 */
public record StackConfig(
    Path home,
    int apiPort,
    int kubePort,
    int s3Port,
    String bucket,
    String namespace,
    String inputAllowedNetworks,
    String apiKeys,
    String apiHost,
    int warmWorkers,
    int warmPort) {

  /** Loopback, IPv4 and IPv6: what a demo on one machine needs and nothing more. */
  public static final String LOOPBACK = "127.0.0.0/8,::1/128";

  /**
   * Warm workers of {@code make run} (and the bench). Three, so that tasks registered close
   * together still find a pod waiting while the claimed ones' replacements start.
   */
  public static final int DEFAULT_WARM_WORKERS = 3;

  public static final String ACCESS_KEY = "ffmpeg-operator";
  public static final String SECRET_KEY = "ffmpeg-operator-local-secret";

  /** {@code FFMPEG_OPERATOR_HOME} (default {@code .stack}), ports 8000, 6443 and 9000. */
  public static StackConfig fromEnv(Map<String, String> env) {
    return new StackConfig(
        Path.of(env.getOrDefault("FFMPEG_OPERATOR_HOME", ".stack")).toAbsolutePath(),
        Integer.parseInt(env.getOrDefault("API_PORT", "8000")),
        Integer.parseInt(env.getOrDefault("KUBE_API_PORT", "6443")),
        Integer.parseInt(env.getOrDefault("S3_PORT", "9000")),
        env.getOrDefault("S3_BUCKET", "ffmpeg-operator"),
        "default",
        env.getOrDefault(AddressPolicy.ALLOWED_NETWORKS_ENV, LOOPBACK),
        env.getOrDefault("API_KEYS", ""),
        env.getOrDefault("API_HOST", "127.0.0.1"),
        Integer.parseInt(env.getOrDefault("WORKER_WARM", String.valueOf(DEFAULT_WARM_WORKERS))),
        Integer.parseInt(env.getOrDefault("WORKER_WARM_PORT", "8081")));
  }

  /** Free ports and the given folder: for tests. */
  public static StackConfig forTest(Path home) {
    return new StackConfig(
        home, 0, 0, 0, "ffmpeg-operator", "default", LOOPBACK, "", "127.0.0.1", 0, 0);
  }

  /** The same stack with input URLs limited to public addresses and these networks. */
  public StackConfig withInputAllowedNetworks(String cidrs) {
    return new StackConfig(
        home,
        apiPort,
        kubePort,
        s3Port,
        bucket,
        namespace,
        cidrs,
        apiKeys,
        apiHost,
        warmWorkers,
        warmPort);
  }

  /** The same stack with an API that asks for one of these keys. */
  public StackConfig withApiKeys(String keys) {
    return new StackConfig(
        home,
        apiPort,
        kubePort,
        s3Port,
        bucket,
        namespace,
        inputAllowedNetworks,
        keys,
        apiHost,
        warmWorkers,
        warmPort);
  }

  /** The same stack keeping {@code count} worker pods started ahead of tasks. */
  public StackConfig withWarmWorkers(int count) {
    return new StackConfig(
        home,
        apiPort,
        kubePort,
        s3Port,
        bucket,
        namespace,
        inputAllowedNetworks,
        apiKeys,
        apiHost,
        count,
        warmPort);
  }
}
