package io.ffmpegoperator.bridge;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the bridge listens and which namespace its tasks live in.
 *
 * @param host address to bind, e.g. 0.0.0.0 for all interfaces
 * @param port TCP port; 0 picks a free one
 * @param namespace namespace the FfmpegTasks, Videos and VideoJobs are created in and read from
 * @param executeTimeout how long {@code POST /video/process/execute} waits for its jobs
 */
public record BridgeConfig(String host, int port, String namespace, Duration executeTimeout) {
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The seed API's port. */
  public static final int DEFAULT_PORT = 8000;

  public static final String DEFAULT_NAMESPACE = "default";

  public static final Duration DEFAULT_EXECUTE_TIMEOUT = Duration.ofMinutes(10);

  public BridgeConfig {
    executeTimeout = executeTimeout == null ? DEFAULT_EXECUTE_TIMEOUT : executeTimeout;
    if (executeTimeout.isNegative() || executeTimeout.isZero()) {
      throw new IllegalArgumentException("executeTimeout must be positive, got " + executeTimeout);
    }
    host = host == null || host.isBlank() ? DEFAULT_HOST : host;
    namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
  }

  /** With the default execute timeout. */
  public BridgeConfig(String host, int port, String namespace) {
    this(host, port, namespace, DEFAULT_EXECUTE_TIMEOUT);
  }

  /**
   * Reads {@code BRIDGE_HOST}, {@code BRIDGE_PORT} and the namespace from {@code WATCH_NAMESPACE}
   * (the first one if it lists several, as the operator's may), else {@code POD_NAMESPACE}, and
   * {@code BRIDGE_EXECUTE_TIMEOUT_SECONDS}.
   */
  public static BridgeConfig fromEnv(Map<String, String> env) {
    String port = env.get("BRIDGE_PORT");
    int parsedPort;
    try {
      parsedPort = port == null || port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BRIDGE_PORT is not a number: " + port, e);
    }
    String namespace =
        Arrays.stream(env.getOrDefault("WATCH_NAMESPACE", "").split(","))
            .map(String::trim)
            .filter(name -> !name.isEmpty())
            .findFirst()
            .orElse(env.get("POD_NAMESPACE"));
    String timeout = env.get("BRIDGE_EXECUTE_TIMEOUT_SECONDS");
    Duration executeTimeout;
    try {
      executeTimeout =
          timeout == null || timeout.isBlank()
              ? DEFAULT_EXECUTE_TIMEOUT
              : Duration.ofSeconds(Long.parseLong(timeout.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "BRIDGE_EXECUTE_TIMEOUT_SECONDS is not a number: " + timeout, e);
    }
    return new BridgeConfig(env.get("BRIDGE_HOST"), parsedPort, namespace, executeTimeout);
  }
}
