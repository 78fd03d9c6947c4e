package io.ffmpegoperator.operator;

import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.policy.ParallelPolicy;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.settings.ApiClients;
import io.ffmpegoperator.settings.EnvSettings;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The operator's settings. Every field has a default that works in the embedded stack; the Helm
 * chart sets them through environment variables (see {@link #fromEnv}). A copy with one part
 * changed comes from the generated {@link OperatorConfigBuilder.With} methods, e.g. {@code
 * defaults().withHttpPort(0)}.
 *
 * <p>Besides the worker settings, {@link #fromEnv} reads:
 *
 * <ul>
 *   <li>{@code OPERATOR_HTTP_PORT} (default 8080): port of {@code /metrics}, {@code /healthz} and
 *       {@code /readyz}; 0 picks a free one
 *   <li>{@code LEADER_ELECTION} ({@code true} or {@code false}, default false): run as one of
 *       several replicas, of which only the holder of the Lease {@value #LEASE_NAME} reconciles
 *   <li>{@code POD_NAMESPACE}: namespace of that Lease; unset, the client's own namespace
 *   <li>{@code POD_NAME}, else {@code HOSTNAME}: this replica's identity in the Lease; unset, a
 *       random one
 * </ul>
 *
 * @param namespaces namespaces to watch; empty means all
 * @param workerImage image of the worker container
 * @param defaultTimeout deadline of a task's Job when the task sets none
 * @param jobTtl how long a finished Job (and its pod, with its logs) is kept
 * @param taskTtl how long a finished task and its outputs are kept when its spec says nothing
 *     ({@code TASK_TTL_SECONDS}); tasks of library jobs are the library's and are kept
 * @param backoffLimit retries of a worker pod that failed for a reason that may be transient
 * @param progressInterval how often a running task's progress is read back
 * @param limits what every worker enforces on its run (input, output, CPU and media caps)
 * @param inputAddresses which addresses input URLs may reach; public ones only in clusters
 * @param worker CPU, memory and scratch-space requests and limits of the worker container
 * @param taskResources the most CPU and memory a task may ask for in its spec, from {@code
 *     TASK_MAX_CPU} and {@code TASK_MAX_MEMORY}, which the bridge reads too
 * @param parallel the most segments a parallel task may be cut into, from {@code
 *     PARALLEL_MAX_SEGMENTS}, which the bridge reads too
 * @param placement where worker pods may run: node selector, tolerations and affinity (e.g. for
 *     media nodes), from {@code WORKER_NODE_SELECTOR}, {@code WORKER_TOLERATIONS} and {@code
 *     WORKER_AFFINITY} as JSON
 * @param httpPort port of the operator's own HTTP endpoint (metrics and probes)
 * @param leaderElection whether replicas elect a leader, which alone reconciles
 * @param leaseNamespace namespace of the leader election Lease; null for the client's namespace
 * @param leaseIdentity this replica's name in the Lease; null for a random one
 * @param warm worker Jobs kept running ahead of tasks, from {@code WORKER_WARM}, {@code
 *     WORKER_WARM_NAMESPACES}, {@code WORKER_WARM_PORT}, {@code WORKER_WARM_URL} and {@code
 *     WORKER_WARM_IDLE_SECONDS}
 * @param webhooks the secret that signs tasks' webhook calls ({@code WEBHOOK_SECRET}) and their
 *     retry schedule; webhook URLs reach the addresses {@code inputAddresses} allows
 * @param clientLimits each API client's most tasks running at once, from the {@code max-running} of
 *     its keys in {@code API_KEYS}/{@code API_KEYS_FILE} (the bridge's keys; the operator keeps the
 *     names and limits only); a client not named runs as many as there is room for
 */
@RecordBuilder
public record OperatorConfig(
    Set<String> namespaces,
    String workerImage,
    Duration defaultTimeout,
    Duration jobTtl,
    Duration taskTtl,
    int backoffLimit,
    Duration progressInterval,
    RunLimits limits,
    AddressPolicy inputAddresses,
    WorkerResources worker,
    ResourcePolicy taskResources,
    ParallelPolicy parallel,
    WorkerPlacement placement,
    int httpPort,
    boolean leaderElection,
    String leaseNamespace,
    String leaseIdentity,
    WarmWorkers warm,
    WebhookSettings webhooks,
    Map<String, Integer> clientLimits)
    implements OperatorConfigBuilder.With {

  public static final String DEFAULT_WORKER_IMAGE = "ghcr.io/ffmpeg-operator/worker:0.1.0";

  /** The port probes and Prometheus reach the operator on. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** The Lease replicas compete for when leader election is on. */
  public static final String LEASE_NAME = "ffmpeg-operator-lock";

  public OperatorConfig {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("OPERATOR_HTTP_PORT must be 0-65535, got " + httpPort);
    }
    leaseNamespace = blankToNull(leaseNamespace);
    leaseIdentity = blankToNull(leaseIdentity);
  }

  /**
   * Worker Jobs started before any task needs them ({@link WarmPool}, {@link WarmClaim}, {@link
   * OrderEndpoint}).
   *
   * @param count unclaimed warm workers kept ready in each warm namespace; 0 turns them off
   * @param namespaces namespaces that get them; empty means the watched namespaces, or the
   *     operator's own namespace when it watches all
   * @param port port of the order endpoint the warm pods ask; 0 picks a free one
   * @param url base URL warm pods reach that endpoint at; null means loopback on the bound port,
   *     which only works where pods are local processes (the embedded stack)
   * @param idle longest an unclaimed warm worker lives before it is replaced
   */
  public record WarmWorkers(
      int count, Set<String> namespaces, int port, String url, Duration idle) {
    public static final int DEFAULT_PORT = 8081;

    /**
     * Unclaimed Jobs that are always kept, claims or not: one for the next task and one for the
     * task after it. While that many wait, a claimed Job's replacement waits until that Job has
     * finished, because a pod starting its JVM takes CPU from the claimed task's ffmpeg wherever
     * the two share a node's cores; make bench shows the difference on a small node
     * (docs/benchmarks.md). Once fewer wait, every replacement starts at once; with fewer warm
     * workers than this (the chart's default is one) every claim is replaced at once.
     */
    public static final int ALWAYS_WAITING = 2;

    public WarmWorkers {
      if (count < 0) {
        throw new IllegalArgumentException("WORKER_WARM must be 0 or more, got " + count);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("WORKER_WARM_PORT must be 0-65535, got " + port);
      }
      if (idle.toSeconds() < 60) {
        throw new IllegalArgumentException("WORKER_WARM_IDLE_SECONDS must be at least 60");
      }
      namespaces = Set.copyOf(namespaces);
      url = blankToNull(url);
      if (url != null && url.endsWith("/")) {
        url = url.substring(0, url.length() - 1);
      }
    }

    /** No warm workers: every task waits for a Job of its own. */
    public static WarmWorkers off() {
      return new WarmWorkers(0, Set.of(), DEFAULT_PORT, null, Duration.ofHours(1));
    }

    /**
     * {@code count} warm workers asking on loopback, as in the embedded stack where pods are local
     * processes. Give the same port to a restarted operator: its warm pods keep their URL.
     */
    public static WarmWorkers local(int count, int port) {
      return new WarmWorkers(count, Set.of(), port, null, Duration.ofHours(1));
    }

    public boolean enabled() {
      return count > 0;
    }
  }

  /**
   * Requests and limits of the worker container, in Kubernetes quantity syntax; a task's own
   * resources take the place of the CPU and memory ones.
   */
  public record WorkerResources(
      String cpuRequest,
      String cpuLimit,
      String memoryRequest,
      String memoryLimit,
      String scratchSize) {
    public static WorkerResources defaults() {
      return new WorkerResources("500m", "2", "256Mi", "2Gi", "20Gi");
    }

    /** The CPU and memory requests and limits, as a task's own resources are given. */
    public ResourcePolicy.Resources cpuAndMemory() {
      return new ResourcePolicy.Resources(
          Map.of(ResourcePolicy.CPU, cpuRequest, ResourcePolicy.MEMORY, memoryRequest),
          Map.of(ResourcePolicy.CPU, cpuLimit, ResourcePolicy.MEMORY, memoryLimit));
    }
  }

  /** Defaults for everything. */
  public static OperatorConfig defaults() {
    return new OperatorConfig(
        Set.of(),
        DEFAULT_WORKER_IMAGE,
        Duration.ofHours(1),
        Duration.ofHours(1),
        // The life of the output links the task handed out: after it, nothing can fetch them.
        Duration.ofDays(7),
        2,
        Duration.ofSeconds(2),
        RunLimits.defaults(),
        AddressPolicy.publicOnly(),
        WorkerResources.defaults(),
        ResourcePolicy.defaults(),
        ParallelPolicy.defaults(),
        WorkerPlacement.anywhere(),
        DEFAULT_HTTP_PORT,
        false,
        null,
        null,
        WarmWorkers.off(),
        WebhookSettings.of(null),
        Map.of());
  }

  /**
   * Reads {@code WATCH_NAMESPACES} (comma-separated), {@code WORKER_IMAGE}, and friends, and the
   * HTTP and leader election settings listed above.
   *
   * @throws IllegalArgumentException for a malformed number or boolean
   */
  public static OperatorConfig fromEnv(Map<String, String> variables) {
    EnvSettings env = EnvSettings.of(variables);
    OperatorConfig d = defaults();
    WorkerResources r = d.worker();
    return new OperatorConfig(
        env.list("WATCH_NAMESPACES"),
        env.string("WORKER_IMAGE", d.workerImage()),
        env.seconds("TASK_DEFAULT_TIMEOUT_SECONDS", d.defaultTimeout()),
        env.seconds("JOB_TTL_SECONDS", d.jobTtl()),
        env.seconds("TASK_TTL_SECONDS", d.taskTtl()),
        env.integer("JOB_BACKOFF_LIMIT", d.backoffLimit()),
        env.seconds("PROGRESS_INTERVAL_SECONDS", d.progressInterval()),
        runLimits(env, d.limits()),
        AddressPolicy.allowing(env.string(AddressPolicy.ALLOWED_NETWORKS_ENV)),
        new WorkerResources(
            env.string("WORKER_CPU_REQUEST", r.cpuRequest()),
            env.string("WORKER_CPU_LIMIT", r.cpuLimit()),
            env.string("WORKER_MEMORY_REQUEST", r.memoryRequest()),
            env.string("WORKER_MEMORY_LIMIT", r.memoryLimit()),
            env.string("WORKER_SCRATCH_SIZE", r.scratchSize())),
        ResourcePolicy.fromEnv(env),
        ParallelPolicy.fromEnv(env),
        WorkerPlacement.fromEnv(variables),
        env.integer("OPERATOR_HTTP_PORT", d.httpPort()),
        env.bool("LEADER_ELECTION", d.leaderElection()),
        env.string("POD_NAMESPACE"),
        // In a pod HOSTNAME is the pod's name too; POD_NAME says so explicitly.
        env.string("POD_NAME", env.string("HOSTNAME")),
        warmWorkers(env),
        WebhookSettings.of(env.string("WEBHOOK_SECRET")),
        ApiClients.fromEnv(variables).limits());
  }

  /** Elects a leader through the Lease {@value #LEASE_NAME} in {@code namespace}. */
  public OperatorConfig withLeaderElection(String namespace, String identity) {
    return withLeaderElection(true).withLeaseNamespace(namespace).withLeaseIdentity(identity);
  }

  private static WarmWorkers warmWorkers(EnvSettings env) {
    WarmWorkers d = WarmWorkers.off();
    WarmWorkers warm =
        new WarmWorkers(
            env.integer("WORKER_WARM", d.count()),
            env.list("WORKER_WARM_NAMESPACES"),
            env.integer("WORKER_WARM_PORT", d.port()),
            env.string("WORKER_WARM_URL"),
            env.seconds("WORKER_WARM_IDLE_SECONDS", d.idle()));
    // In a cluster, loopback reaches the pod itself, never the operator.
    if (warm.enabled() && warm.url() == null) {
      throw new IllegalArgumentException(
          "WORKER_WARM_URL must be set when WORKER_WARM is more than 0");
    }
    return warm;
  }

  private static RunLimits runLimits(EnvSettings env, RunLimits d) {
    MediaPolicy m = d.media();
    return new RunLimits(
        env.number("MAX_INPUT_BYTES", d.maxInputBytes()),
        env.number("MAX_DOWNLOAD_SECONDS", d.maxDownloadSeconds()),
        env.number("MAX_OUTPUT_BYTES", d.maxOutputBytes()),
        env.number("MAX_CPU_SECONDS", d.maxCpuSeconds()),
        new MediaPolicy(
            env.integer("MAX_INPUT_STREAMS", m.maxStreams()),
            env.integer("MAX_INPUT_DIMENSION", m.maxDimension()),
            env.number("MAX_INPUT_PIXELS", m.maxPixels()),
            env.number("MAX_INPUT_DURATION_SECONDS", m.maxDurationSeconds())));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
