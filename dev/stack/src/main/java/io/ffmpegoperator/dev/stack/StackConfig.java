package io.ffmpegoperator.dev.stack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the embedded stack keeps its state and which ports it listens on. {@code make run} uses the
 * seeds' port 8000 for the API; tests pass 0 everywhere to get free ports.
 *
 * @param home the one git-ignored folder holding everything the stack keeps
 */
public record StackConfig(
    Path home, int apiPort, int kubePort, int s3Port, String bucket, String namespace) {

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
        "default");
  }

  /** Free ports and the given folder: for tests. */
  public static StackConfig forTest(Path home) {
    return new StackConfig(home, 0, 0, 0, "ffmpeg-operator", "default");
  }
}
