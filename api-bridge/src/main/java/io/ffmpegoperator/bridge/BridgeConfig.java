package io.ffmpegoperator.bridge;

import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.bridge.http.JsonBodies;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.policy.ParallelPolicy;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.settings.EnvSettings;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the bridge listens, which namespace its tasks live in, and what it lets clients do.
 *
 * <p>The probes and the scrape endpoint need no setting of their own: {@code GET /health}
 * (liveness), {@code GET /ready} (readiness) and {@code GET /metrics} (Prometheus) are served on
 * {@code BRIDGE_PORT} beside the API, without an API key.
 *
 * <p>The {@code withX} methods ({@link BridgeConfigBuilder.With}, generated) copy a config with one
 * value changed; every copy passes the checks of the canonical constructor.
 *
 * @param host address to bind, e.g. 0.0.0.0 for all interfaces
 * @param port TCP port; 0 picks a free one
 * @param namespace namespace the FfmpegTasks, Videos and VideoJobs are created in and read from
 * @param executeTimeout how long {@code POST /video/process/execute} waits for its jobs
 * @param apiKeys the bearer keys every endpoint but the health checks and the docs requires; none
 *     leaves the API open
 * @param maxJsonBodyBytes the largest request body of any endpoint but the upload
 * @param maxUploadBytes the largest body of {@code PUT /video/upload}, all files together
 * @param addressPolicy which addresses the http(s) inputs of a registered task may resolve to, e.g.
 *     {@code AddressPolicy.allowing("127.0.0.0/8,::1/128")} where inputs are served locally
 * @param mediaPolicy the caps an uploaded video must stay within
 * @param resourcePolicy the most CPU and memory a registered task may ask for; the operator holds
 *     tasks to the same maximum, read from the same variables
 * @param parallelPolicy the most segments a registered parallel task may ask for; the operator
 *     holds tasks to the same maximum, read from the same variable
 */
@RecordBuilder
public record BridgeConfig(
    String host,
    int port,
    String namespace,
    Duration executeTimeout,
    ApiKeys apiKeys,
    long maxJsonBodyBytes,
    long maxUploadBytes,
    AddressPolicy addressPolicy,
    MediaPolicy mediaPolicy,
    ResourcePolicy resourcePolicy,
    ParallelPolicy parallelPolicy)
    implements BridgeConfigBuilder.With {
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The seed API's port. */
  public static final int DEFAULT_PORT = 8000;

  public static final String DEFAULT_NAMESPACE = "default";

  public static final Duration DEFAULT_EXECUTE_TIMEOUT = Duration.ofMinutes(10);

  /** Far above any valid body of the JSON endpoints; guards memory, not semantics. */
  public static final long DEFAULT_MAX_JSON_BODY_BYTES = 1L << 20;

  /** JSON bodies are read whole into memory, so their limit may not be set above this. */
  public static final long MAX_JSON_BODY_LIMIT = JsonBodies.MAX_BODY_BYTES;

  /** Uploads are streamed to disk; this bounds the disk one request can fill. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 8L << 30;

  public static final String MAX_JSON_BODY_BYTES_ENV = "MAX_JSON_BODY_BYTES";
  public static final String MAX_UPLOAD_BYTES_ENV = "MAX_UPLOAD_BYTES";

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
    apiKeys = apiKeys == null ? ApiKeys.none() : apiKeys;
    if (maxJsonBodyBytes <= 0 || maxJsonBodyBytes > MAX_JSON_BODY_LIMIT) {
      throw new IllegalArgumentException(
          "maxJsonBodyBytes must be 1-" + MAX_JSON_BODY_LIMIT + ", got " + maxJsonBodyBytes);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("maxUploadBytes must be positive, got " + maxUploadBytes);
    }
    addressPolicy = addressPolicy == null ? AddressPolicy.fromEnv() : addressPolicy;
    mediaPolicy = mediaPolicy == null ? MediaPolicy.defaults() : mediaPolicy;
    resourcePolicy =
        resourcePolicy == null
            ? ResourcePolicy.fromEnv(EnvSettings.of(System.getenv()))
            : resourcePolicy;
    parallelPolicy =
        parallelPolicy == null
            ? ParallelPolicy.fromEnv(EnvSettings.of(System.getenv()))
            : parallelPolicy;
  }

  /**
   * Open (no API keys), with the default limits and policies and the given execute timeout; the
   * address policy is read from {@value AddressPolicy#ALLOWED_NETWORKS_ENV}, the resource maximum
   * from {@value ResourcePolicy#MAX_CPU_ENV} and {@value ResourcePolicy#MAX_MEMORY_ENV}.
   */
  public BridgeConfig(String host, int port, String namespace, Duration executeTimeout) {
    this(
        host,
        port,
        namespace,
        executeTimeout,
        ApiKeys.none(),
        DEFAULT_MAX_JSON_BODY_BYTES,
        DEFAULT_MAX_UPLOAD_BYTES,
        null,
        null,
        null,
        null);
  }

  /** Open, with the default execute timeout, limits and policies. */
  public BridgeConfig(String host, int port, String namespace) {
    this(host, port, namespace, DEFAULT_EXECUTE_TIMEOUT);
  }

  /**
   * Reads {@code BRIDGE_HOST}, {@code BRIDGE_PORT} and the namespace from {@code WATCH_NAMESPACE}
   * (the first one if it lists several, as the operator's may), else {@code POD_NAMESPACE}, {@code
   * BRIDGE_EXECUTE_TIMEOUT_SECONDS}, the API keys from {@code API_KEYS} and {@code API_KEYS_FILE}
   * (see {@link ApiKeys#fromEnv}), {@code MAX_JSON_BODY_BYTES}, {@code MAX_UPLOAD_BYTES}, the extra
   * networks inputs may reach from {@value AddressPolicy#ALLOWED_NETWORKS_ENV}, and the most a task
   * may ask for from {@value ResourcePolicy#MAX_CPU_ENV} and {@value
   * ResourcePolicy#MAX_MEMORY_ENV}, and the most segments of a parallel task from {@value
   * ParallelPolicy#MAX_SEGMENTS_ENV}.
   *
   * @throws IllegalArgumentException for a malformed value, or a key file that cannot be read
   */
  public static BridgeConfig fromEnv(Map<String, String> variables) {
    EnvSettings env = EnvSettings.of(variables);
    String namespace =
        Arrays.stream(env.string("WATCH_NAMESPACE", "").split(","))
            .map(String::trim)
            .filter(name -> !name.isEmpty())
            .findFirst()
            .orElse(env.string("POD_NAMESPACE"));
    return new BridgeConfig(
        env.string("BRIDGE_HOST"),
        env.integer("BRIDGE_PORT", DEFAULT_PORT),
        namespace,
        env.seconds("BRIDGE_EXECUTE_TIMEOUT_SECONDS", DEFAULT_EXECUTE_TIMEOUT),
        ApiKeys.fromEnv(variables),
        bytes(env, MAX_JSON_BODY_BYTES_ENV, DEFAULT_MAX_JSON_BODY_BYTES),
        bytes(env, MAX_UPLOAD_BYTES_ENV, DEFAULT_MAX_UPLOAD_BYTES),
        AddressPolicy.allowing(env.string(AddressPolicy.ALLOWED_NETWORKS_ENV)),
        MediaPolicy.defaults(),
        ResourcePolicy.fromEnv(env),
        ParallelPolicy.fromEnv(env));
  }

  private static long bytes(EnvSettings env, String name, long defaultValue) {
    long bytes = env.number(name, defaultValue);
    if (bytes <= 0) {
      throw new IllegalArgumentException(
          name + " must be a positive number of bytes, got '" + bytes + "'");
    }
    return bytes;
  }
}
