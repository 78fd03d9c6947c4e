package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link WarmWorkers#count()} unclaimed warm worker Jobs in each warm namespace, the way a
 * ReplicaSet keeps pods: deletes finished unclaimed ones, retires the surplus and those made for
 * another order URL, creates the missing. Also has the pods of claimed Jobs relabelled ({@link
 * ClaimedPods}). Acts on the leader only; one thread does all of it, woken by warm Job events, by
 * claims (through the same events) and by a periodic resync.
 */
final class WarmPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);

  /** Looks at every namespace at least this often, events or not (and after gaining the lead). */
  static final Duration RESYNC = Duration.ofSeconds(15);

  /** A created Job the watch has not shown by then is taken to be lost, and counted no longer. */
  static final Duration EXPECTATION_TIMEOUT = Duration.ofMinutes(1);

  /**
   * What to do in one namespace.
   *
   * @param delete finished unclaimed Jobs: their places are free
   * @param retire live unclaimed Jobs no longer wanted (surplus, or made for another URL)
   * @param create how many new Jobs to make
   */
  record Plan(List<Job> delete, List<Job> retire, int create) {}

  private final WarmWorkers warm;
  private final Set<String> namespaces;
  private final KubernetesClient client;
  private final WorkerJobFactory factory;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ClaimedPods claimedPods;

  /** Jobs created and not yet seen by the watch, by key: they count as present until then. */
  private final Map<String, Instant> expected = new ConcurrentHashMap<>();

  private final AtomicBoolean queued = new AtomicBoolean();
  private final ScheduledExecutorService upkeep =
      Executors.newSingleThreadScheduledExecutor(JdkHttpServers.daemon("warm-pool"));
  private volatile JobEvents jobs;
  private volatile String baseUrl;

  WarmPool(
      WarmWorkers warm,
      Set<String> namespaces,
      KubernetesClient client,
      WorkerJobFactory factory,
      BooleanSupplier leading,
      Clock clock) {
    this.warm = warm;
    this.namespaces = Set.copyOf(namespaces);
    this.client = client;
    this.factory = factory;
    this.leading = leading;
    this.clock = clock;
    this.claimedPods = new ClaimedPods(client);
  }

  /** Starts keeping the pool, with the Job watch (already listed) and the order endpoint's URL. */
  void start(JobEvents jobs, String baseUrl) {
    this.jobs = jobs;
    this.baseUrl = baseUrl;
    jobs.addListener(
        job -> {
          if (job.getMetadata().getLabels().containsKey(WorkerJobFactory.WARM_LABEL)) {
            wake();
          }
        });
    upkeep.scheduleWithFixedDelay(this::keepUp, 0, RESYNC.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Looks at the pool soon, once however often it is asked before that. */
  void wake() {
    if (queued.compareAndSet(false, true)) {
      try {
        upkeep.execute(this::keepUp);
      } catch (RejectedExecutionException e) {
        queued.set(false); // closing
      }
    }
  }

  @Override
  public void close() {
    upkeep.shutdownNow();
  }

  /**
   * The decision for one namespace, from its warm Jobs alone: {@code expected} Jobs made but not
   * yet among {@code jobs} count as unclaimed ones. Surplus goes in this order: pods that never
   * asked for an order (they may never reach the operator), then the youngest. While claimed Jobs
   * still run, their replacements wait as long as {@link WarmWorkers#ALWAYS_WAITING} unclaimed ones
   * remain.
   */
  static Plan plan(Collection<Job> jobs, int count, String urlPrefix, int expected) {
    List<Job> delete = new ArrayList<>();
    List<Job> retire = new ArrayList<>();
    List<Job> unclaimed = new ArrayList<>();
    int runningClaims = 0;
    for (Job job : jobs) {
      if (job.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (WarmJobs.taskOf(job) != null) {
        runningClaims += WarmJobs.isLive(job) ? 1 : 0;
        continue;
      }
      if (!WarmJobs.isLive(job)) {
        delete.add(job); // idle past its deadline, or its pod gave up
      } else if (!asks(job, urlPrefix)) {
        retire.add(job); // made for an endpoint this operator no longer serves
      } else {
        unclaimed.add(job);
      }
    }
    unclaimed.sort(
        Comparator.comparing(WarmJobs::isClaimable)
            .thenComparing(
                (Job job) -> job.getMetadata().getCreationTimestamp(),
                Comparator.nullsLast(Comparator.reverseOrder())));
    int surplus = unclaimed.size() - count;
    for (int i = 0; i < surplus; i++) {
      retire.add(unclaimed.get(i));
    }
    int available = unclaimed.size() + expected;
    int wanted =
        available >= WarmWorkers.ALWAYS_WAITING
            ? Math.max(WarmWorkers.ALWAYS_WAITING, count - runningClaims)
            : count;
    return new Plan(delete, retire, Math.max(0, wanted - available));
  }

  private void keepUp() {
    queued.set(false);
    if (!leading.getAsBoolean()) {
      return;
    }
    for (String namespace : namespaces) {
      try {
        keepUp(namespace);
        relabel(namespace);
      } catch (RuntimeException e) {
        LOG.warn("Could not keep the warm workers of {}: {}", namespace, e.toString());
      }
    }
  }

  private void keepUp(String namespace) {
    List<Job> seen =
        jobs.list(
                namespace,
                job -> job.getMetadata().getLabels().containsKey(WorkerJobFactory.WARM_LABEL))
            .toList();
    Set<String> seenKeys = seen.stream().map(WarmJobs::key).collect(Collectors.toSet());
    Instant lost = clock.instant().minus(EXPECTATION_TIMEOUT);
    expected.entrySet().removeIf(e -> seenKeys.contains(e.getKey()) || e.getValue().isBefore(lost));
    int waitingToBeSeen =
        (int) expected.keySet().stream().filter(key -> key.startsWith(namespace + "/")).count();
    Plan plan = plan(seen, warm.count(), baseUrl + "/", waitingToBeSeen);
    plan.delete().forEach(job -> delete(job, "finished unclaimed"));
    plan.retire().forEach(job -> delete(job, "retired"));
    for (int i = 0; i < plan.create(); i++) {
      create(namespace);
    }
  }

  /**
   * Makes a warm Job, then the Secret with its pod's token, owned by the Job so that it goes with
   * it. Should the operator stop between the two, the pod waits for its volume: it never asks, so
   * it is never marked nor claimed, and it goes at its idle deadline.
   */
  private void create(String namespace) {
    String name = WarmJobs.newName(random);
    String token = WarmJobs.newToken(random);
    String url = baseUrl + WarmWorkerProtocol.orderPath(namespace, name);
    Job created =
        client.resource(factory.buildWarm(namespace, name, WarmJobs.hash(token), url)).create();
    expected.put(WarmJobs.key(created), clock.instant());
    try {
      client.resource(factory.warmTokenSecret(created, token)).create();
    } catch (KubernetesClientException e) {
      // Its pod could never start: better no Job than one that holds a place for nothing.
      delete(created, "its token Secret could not be made");
      throw e;
    }
    LOG.info("Created warm worker Job {}/{}", namespace, name);
  }

  private void delete(Job job, String why) {
    try {
      client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      LOG.info("Deleted warm worker Job {} ({})", WarmJobs.key(job), why);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Gives the pods of the namespace's running claimed Jobs their task's instance label. */
  private void relabel(String namespace) {
    Map<String, String> instances =
        jobs.list(
                namespace,
                job ->
                    job.getMetadata().getLabels().containsKey(WorkerJobFactory.WARM_LABEL)
                        && WarmJobs.taskOf(job) != null
                        && WarmJobs.isLive(job))
            .collect(
                Collectors.toMap(
                    job -> job.getMetadata().getName(),
                    job -> job.getMetadata().getLabels().get(CrdConstants.LABEL_INSTANCE)));
    if (!instances.isEmpty()) {
      claimedPods.relabel(namespace, instances);
    }
  }

  private static boolean asks(Job job, String urlPrefix) {
    String url = WorkerJobFactory.env(job, WarmWorkerProtocol.ORDER_URL_ENV);
    return url != null && url.startsWith(urlPrefix);
  }
}
