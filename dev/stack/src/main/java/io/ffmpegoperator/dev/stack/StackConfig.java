package io.ffmpegoperator.dev.stack;

import io.ffmpegoperator.operator.WebhookSettings;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.settings.ApiClients;
import io.ffmpegoperator.settings.EnvSettings;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the embedded stack keeps its state and which ports it listens on. {@code make run} uses the
 * seeds' port 8000 for the API; tests pass 0 everywhere to get free ports. A copy with one part
 * changed comes from the generated {@link StackConfigBuilder.With} methods, e.g. {@code
 * forTest(dir).withWarmWorkers(3)}.
 *
 * @param home the one git-ignored folder holding everything the stack keeps
 * @param inputAllowedNetworks networks input URLs may reach besides public addresses: loopback by
 *     default, so local files served on this machine work as inputs; clusters allow none
 * @param warmWorkers worker pods kept started ahead of tasks (the operator's {@code WORKER_WARM}):
 *     {@value #DEFAULT_WARM_WORKERS} for {@code make run}, 0 for tests unless they are about warm
 *     workers
 * @param warmPort port the warm pods ask the operator for orders on; 0 picks a free one at start
 * @param nodeRuntime how the local node runs pods: local processes (needs nothing installed) or
 *     podman containers of the images {@code make images} built ({@code NODE_RUNTIME=podman})
 * @param taskResources the most CPU and memory a task may ask for, given to both the bridge and the
 *     operator ({@code TASK_MAX_CPU}, {@code TASK_MAX_MEMORY})
 * @param webhooks the operator's webhook secret ({@code WEBHOOK_SECRET}) and retry schedule; with
 *     no secret the stack makes one and keeps it in {@value #WEBHOOK_SECRET_FILE} under {@code
 *     home}
 */
@RecordBuilder
public record StackConfig(
    Path home,
    int apiPort,
    int kubePort,
    int s3Port,
    String bucket,
    String namespace,
    String inputAllowedNetworks,
    ApiClients apiClients,
    String apiHost,
    int warmWorkers,
    int warmPort,
    NodeRuntime nodeRuntime,
    ResourcePolicy taskResources,
    WebhookSettings webhooks)
    implements StackConfigBuilder.With {

  /** Loopback, IPv4 and IPv6: what a demo on one machine needs and nothing more. */
  public static final String LOOPBACK = "127.0.0.0/8,::1/128";

  /**
   * Warm workers of {@code make run} (and the bench). Three, so that tasks registered close
   * together still find a pod waiting while the claimed ones' replacements start.
   */
  public static final int DEFAULT_WARM_WORKERS = 3;

  public static final String ACCESS_KEY = "ffmpeg-operator";
  public static final String SECRET_KEY = "ffmpeg-operator-local-secret";

  /** Where the stack keeps the webhook secret it made, under {@link #home()}. */
  public static final String WEBHOOK_SECRET_FILE = "webhook-secret";

  /** {@code FFMPEG_OPERATOR_HOME} (default {@code .stack}), ports 8000, 6443 and 9000. */
  public static StackConfig fromEnv(Map<String, String> variables) {
    EnvSettings env = EnvSettings.of(variables);
    return new StackConfig(
        Path.of(env.string("FFMPEG_OPERATOR_HOME", ".stack")).toAbsolutePath(),
        env.integer("API_PORT", 8000),
        env.integer("KUBE_API_PORT", 6443),
        env.integer("S3_PORT", 9000),
        env.string("S3_BUCKET", "ffmpeg-operator"),
        "default",
        env.string(AddressPolicy.ALLOWED_NETWORKS_ENV, LOOPBACK),
        ApiClients.fromEnv(variables),
        env.string("API_HOST", "127.0.0.1"),
        env.integer("WORKER_WARM", DEFAULT_WARM_WORKERS),
        env.integer("WORKER_WARM_PORT", 8081),
        env.parsed(
            "NODE_RUNTIME",
            NodeRuntime.PROCESSES,
            v -> NodeRuntime.valueOf(v.toUpperCase(Locale.ROOT)),
            "processes or podman"),
        ResourcePolicy.fromEnv(env),
        WebhookSettings.of(env.string("WEBHOOK_SECRET")));
  }

  /** Free ports and the given folder: for tests. */
  public static StackConfig forTest(Path home) {
    return new StackConfig(
        home,
        0,
        0,
        0,
        "ffmpeg-operator",
        "default",
        LOOPBACK,
        ApiClients.none(),
        "127.0.0.1",
        0,
        0,
        NodeRuntime.PROCESSES,
        ResourcePolicy.defaults(),
        WebhookSettings.of(null));
  }

  /** How the local node runs pods. */
  public enum NodeRuntime {
    /** Each pod's container is a local process; the worker image is the worker's classpath. */
    PROCESSES,
    /** Each pod's container is a podman container of its image. */
    PODMAN
  }
}
