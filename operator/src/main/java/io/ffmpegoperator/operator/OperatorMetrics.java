package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.crds.TolerantResource;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's meters in one Prometheus registry: JOSDK's reconcile metrics, JVM basics, and what
 * the tasks themselves tell (how many are in each state, how long they wait and run).
 */
public final class OperatorMetrics implements AutoCloseable {
  /** Gauge of FfmpegTasks by {@code state}; a task the operator has not seen yet is Pending. */
  static final String TASKS = "ffmpeg.tasks";

  /** Timer from a task's start to its end, by final {@code state}; once per task. */
  static final String TASK_DURATION = "ffmpeg.task.duration";

  /** Timer from a task's creation to the start of its worker pod; once per task. */
  static final String TASK_QUEUE = "ffmpeg.task.queue";

  /**
   * Gauge of stored resources this version cannot read, by {@code kind}: the reconcilers skip them,
   * so they stay as they are until someone fixes or deletes them.
   */
  static final String UNREADABLE = "ffmpeg.resources.unreadable";

  /** 1 while this replica leads (always, without leader election), else 0. */
  static final String LEADER = "ffmpeg.operator.leader";

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMetrics.class);

  // Tasks run for seconds to hours; fixed buckets keep the series few and comparable.
  private static final Duration[] RUN_BUCKETS = {
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(3)
  };
  private static final Duration[] QUEUE_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofHours(1)
  };

  private final PrometheusMeterRegistry registry;
  private final MicrometerMetrics josdk;
  private JvmGcMetrics gc;
  private volatile Supplier<Stream<FfmpegTask>> tasks = Stream::empty;

  public OperatorMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Per resource type, not per resource: one series per task would grow without bound.
    josdk = MicrometerMetrics.withoutPerResourceMetrics(registry);
    for (TaskState state : TaskState.values()) {
      Gauge.builder(TASKS, () -> count(state))
          .description("FfmpegTasks in the operator's cache by state")
          .tag("state", state.name())
          .register(registry);
    }
  }

  /**
   * Adds the JVM's memory, GC, thread, CPU and uptime meters: for the operator's own process, not
   * for an operator embedded among others.
   */
  public synchronized OperatorMetrics withJvmMetrics() {
    if (gc == null) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      gc = new JvmGcMetrics();
      gc.bindTo(registry);
    }
    return this;
  }

  /** The registry, for the HTTP endpoint and for tests. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** What JOSDK records reconciliations into. */
  Metrics josdk() {
    return josdk;
  }

  /** Counts tasks from this source (the reconciler's informer cache) from now on. */
  void countTasksIn(Supplier<Stream<FfmpegTask>> source) {
    tasks = source;
  }

  /** Counts the resources of {@code kind} in this source that could not be read. */
  void countUnreadableIn(String kind, Supplier<Stream<? extends TolerantResource<?, ?>>> source) {
    Gauge.builder(UNREADABLE, () -> source.get().filter(r -> r.decodeProblem().isPresent()).count())
        .description("Stored resources this version cannot read; they are skipped")
        .tag("kind", kind)
        .register(registry);
  }

  void reportLeadership(BooleanSupplier leading) {
    Gauge.builder(LEADER, () -> leading.getAsBoolean() ? 1 : 0)
        .description("1 while this replica is the one that reconciles")
        .register(registry);
  }

  // A reconcile may run on a cache that does not show its own last status patch yet, and then
  // sees the same change of state again: remember what was recorded (by uid, boundedly) so each
  // task counts once.
  private final Set<String> recorded =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > 20_000;
            }
          });

  /**
   * Records what a task's status change tells: the queue time when its pod is first seen started,
   * the run time when it is first seen finished; each once per task.
   */
  void taskChanged(FfmpegTask task, TaskState before, FfmpegTaskStatus next, Instant now) {
    TaskState after = next.getState();
    if (after == null || after == before) {
      return;
    }
    Instant started = instant(next.getStartTime());
    boolean wasWaiting = before == null || before == TaskState.Pending;
    if (wasWaiting && after != TaskState.Pending && started != null) {
      Instant created = instant(task.getMetadata().getCreationTimestamp());
      if (created != null && firstTime(task, "queued")) {
        record(queueTimer(), created, started);
      }
    }
    if (after.isFinished() && started != null && firstTime(task, "finished")) {
      record(durationTimer(after), started, now);
    }
  }

  private boolean firstTime(FfmpegTask task, String what) {
    String uid = task.getMetadata().getUid();
    String key = (uid == null ? task.getMetadata().getName() : uid) + "/" + what;
    synchronized (recorded) {
      return recorded.add(key);
    }
  }

  private Timer queueTimer() {
    return Timer.builder(TASK_QUEUE)
        .description("From an FfmpegTask's creation to the start of its worker pod")
        .serviceLevelObjectives(QUEUE_BUCKETS)
        .register(registry);
  }

  private Timer durationTimer(TaskState state) {
    return Timer.builder(TASK_DURATION)
        .description("From an FfmpegTask's start to its completion or failure")
        .tag("state", state.name())
        .serviceLevelObjectives(RUN_BUCKETS)
        .register(registry);
  }

  private static void record(Timer timer, Instant from, Instant to) {
    // Timestamps have second resolution and come from two clocks: never record less than zero.
    Duration elapsed = Duration.between(from, to);
    timer.record(elapsed.isNegative() ? Duration.ZERO : elapsed);
  }

  private long count(TaskState state) {
    return tasks
        .get()
        .filter(t -> t.decodeProblem().isEmpty())
        .filter(
            t -> {
              TaskState s = t.getStatus() == null ? null : t.getStatus().getState();
              return (s == null ? TaskState.Pending : s) == state;
            })
        .count();
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      // A metric is never worth failing a reconcile over.
      LOG.debug("Unparseable timestamp {}", timestamp);
      return null;
    }
  }

  @Override
  public synchronized void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
