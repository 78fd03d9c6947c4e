package io.ffmpegoperator.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkOrder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link WarmWorkers#count()} unclaimed warm worker Jobs running in each warm namespace, lets
 * a task that needs a Job claim one, and serves the order endpoint their pods ask for their work
 * order and tell when their run is over ({@link WarmWorkerProtocol}).
 *
 * <p>A claim turns the warm Job into the task's Job: it gets the task as its controller owner, the
 * task's instance label, a deadline of the task's timeout from now, and the annotation {@value
 * #TASK_ANNOTATION}. The update carries the resourceVersion it read, so two claims of one Job
 * cannot both succeed. From then on the Job is watched, observed and garbage-collected like any
 * task's Job. Everything the pool needs survives a restart in the Jobs themselves (the claim
 * annotation, the token in the pod's env); only the requests being held are in memory, and pods ask
 * again when the connection drops.
 *
 * <p>A claimed Job is replaced at once, unless the claim leaves {@value
 * WarmWorkers#SPARES_FOR_LATE_REFILL} or more pods waiting: then its replacement starts when the
 * claimed Job finishes (its pod has exited, so the replacement takes the room it leaves), or as
 * soon as fewer unclaimed Jobs remain. A pod starting takes about a third of a CPU second for its
 * JVM, and on a node with few cores that time comes out of the task's ffmpeg (a 10 s 720p transcode
 * on 2 cores ran about 10% slower beside one); the spares serve the next tasks meanwhile. Not at
 * the pod's word that its run is over: the task's completion, which that word starts, would then
 * share the cores with the start. Which replacements wait is kept in memory only: after a restart
 * they all start at once.
 */
final class WarmWorkerPool implements AutoCloseable {
  /** On a claimed warm Job: the name of the task that claimed it. */
  static final String TASK_ANNOTATION = CrdConstants.GROUP + "/task";

  /** On a claimed warm Job: when it was claimed, the start of the task's run (RFC 3339). */
  static final String CLAIMED_AT_ANNOTATION = CrdConstants.GROUP + "/claimed-at";

  private static final Logger LOG = LoggerFactory.getLogger(WarmWorkerPool.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ORDER_PATH =
      Pattern.compile(
          "^/warm/v1/namespaces/([a-z0-9.-]{1,253})/jobs/([a-z0-9.-]{1,253})/(order|done)$");
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** A pod that asked this recently is taken to be waiting now (a 204 makes it ask again). */
  private static final Duration ASKED_RECENTLY =
      Duration.ofSeconds(WarmWorkerProtocol.HOLD_SECONDS + 5L);

  /** The upkeep looks at every namespace at least this often, events or not. */
  private static final Duration UPKEEP_INTERVAL = Duration.ofSeconds(10);

  private final WarmWorkers warm;
  private final Set<String> namespaces;
  private final KubernetesClient client;
  private final WorkerJobFactory jobs;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final SimpleInboundEventSource<FfmpegTask> workerDone;
  private final TaskReports reports;
  private final SecureRandom random = new SecureRandom();

  /** Warm Jobs by namespace/name: what the informers saw, updated at once by our own writes. */
  private final Map<String, Job> cache = new ConcurrentHashMap<>();

  /** The requests being held, by Job: completed with the claiming task's name, or retired. */
  private final Map<String, CompletableFuture<String>> held = new ConcurrentHashMap<>();

  /** When each Job's pod last asked, to prefer a Job whose pod is up and waiting. */
  private final Map<String, Instant> lastAsked = new ConcurrentHashMap<>();

  /** Claimed Jobs, by key, whose replacement waits until they finish. */
  private final Set<String> lateRefills = ConcurrentHashMap.newKeySet();

  /** Orders of claims made by this process, so answering them needs no API call. */
  private final Map<String, WorkOrder> orders = new ConcurrentHashMap<>();

  /**
   * Namespaces where a warm pod has reached the endpoint: only there is a Job whose pod is still
   * starting worth claiming. Elsewhere a pod that cannot reach the operator (a network policy, a
   * wrong URL) would hold a task until it gives up.
   */
  private final Set<String> reached = ConcurrentHashMap.newKeySet();

  private final List<SharedIndexInformer<Job>> informers = new ArrayList<>();
  private final AtomicBoolean upkeepQueued = new AtomicBoolean();
  // Informer events start before every Job is listed: until then an upkeep would count too few.
  private volatile boolean listed;
  private final ScheduledExecutorService upkeep =
      Executors.newSingleThreadScheduledExecutor(daemon("warm-workers"));
  private final ExecutorService requests = Executors.newCachedThreadPool(daemon("warm-orders"));
  private HttpServer server;
  private String baseUrl;

  /**
   * @param namespaces where warm workers run
   * @param leading whether this replica leads: only the leader claims, keeps and answers
   * @param workerDone where a claimed pod saying its run is over becomes a reconcile of its task
   * @param reports where the final report such a pod hands over is kept for that reconcile
   */
  WarmWorkerPool(
      WarmWorkers warm,
      Set<String> namespaces,
      KubernetesClient client,
      WorkerJobFactory jobs,
      BooleanSupplier leading,
      Clock clock,
      SimpleInboundEventSource<FfmpegTask> workerDone,
      TaskReports reports) {
    this.warm = warm;
    this.namespaces = Set.copyOf(namespaces);
    this.client = client;
    this.jobs = jobs;
    this.leading = leading;
    this.clock = clock;
    this.workerDone = workerDone;
    this.reports = reports;
  }

  /** Starts the order endpoint, then the watches, then keeping the pool full. */
  void start() {
    try {
      // Without a URL the pods are local processes (the embedded stack): loopback is enough.
      server =
          JdkHttpServers.create(
              warm.url() == null
                  ? new InetSocketAddress(InetAddress.getLoopbackAddress(), warm.port())
                  : new InetSocketAddress(warm.port()),
              0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on port " + warm.port(), e);
    }
    server.setExecutor(requests);
    server.createContext("/", this::answer);
    server.start();
    int port = server.getAddress().getPort();
    baseUrl = warm.url() != null ? warm.url() : "http://127.0.0.1:" + port;
    for (String namespace : namespaces) {
      SharedIndexInformer<Job> informer =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withLabel(WorkerJobFactory.WARM_LABEL, "true")
              .runnableInformer(UPKEEP_INTERVAL.toMillis());
      informer.addEventHandler(new Watched());
      try {
        informer.start().toCompletableFuture().get(1, TimeUnit.MINUTES);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("could not list the warm worker Jobs of " + namespace, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while listing warm worker Jobs", e);
      }
      // Listed, but its events may not have reached the handler yet: the first upkeep must see
      // the Jobs there are, or it would start more.
      informer.getStore().list().forEach(job -> cache.putIfAbsent(key(job), job));
      informers.add(informer);
    }

    LOG.info(
        "Warm workers: {} per namespace in {}; pods ask for orders at {} (port {}); {} Job(s) found",
        warm.count(),
        namespaces,
        baseUrl,
        port,
        cache.size());
    listed = true;
    upkeep.scheduleWithFixedDelay(
        this::keepUp, 0, UPKEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Port of the order endpoint. */
  int port() {
    return server.getAddress().getPort();
  }

  /**
   * Makes an unclaimed warm Job in the task's namespace the task's Job and hands its pod the order
   * {@code order} makes, which runs only if there is one; empty when there is none to claim (the
   * caller then creates the task's own Job).
   */
  synchronized Optional<Job> claim(FfmpegTask task, Supplier<WorkOrder> order, Duration timeout) {
    String namespace = task.getMetadata().getNamespace();
    if (!namespaces.contains(namespace) || !leading.getAsBoolean()) {
      return Optional.empty();
    }
    List<Job> candidates = candidates(namespace);
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    WorkOrder made = order.get();
    for (Job candidate : candidates) {
      String key = key(candidate);
      Job updated;
      try {
        updated =
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(candidate.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), claimPatch(candidate, task, timeout));
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT
            || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          continue; // claimed, changed or gone since we looked: try the next
        }
        throw e;
      }
      cache.put(key, updated);
      orders.put(key, made);
      CompletableFuture<String> request = held.get(key);
      if (request != null) {
        request.complete(task.getMetadata().getName());
      }
      long spares = waitingUnclaimed(namespace);
      LOG.info(
          "Task {} claimed warm worker Job {}/{}{}; {} other(s) waiting",
          task.getMetadata().getName(),
          namespace,
          candidate.getMetadata().getName(),
          request != null ? " (its pod was waiting)" : "",
          spares);
      if (spares >= WarmWorkers.SPARES_FOR_LATE_REFILL) {
        lateRefills.add(key);
      } else {
        queueUpkeep();
      }
      return Optional.of(updated);
    }
    return Optional.empty();
  }

  /** The warm Job {@code task} has claimed, as far as this process knows. */
  Optional<Job> claimedBy(FfmpegTask task) {
    String namespace = task.getMetadata().getNamespace();
    String name = task.getMetadata().getName();
    return cache.values().stream()
        .filter(job -> namespace.equals(job.getMetadata().getNamespace()))
        .filter(job -> name.equals(taskOf(job)))
        .findFirst();
  }

  @Override
  public void close() {
    upkeep.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
    if (server != null) {
      // Held requests end with the connection; their pods ask the next leader.
      server.stop(0);
    }
    requests.shutdownNow();
  }

  /**
   * Unclaimed, live warm Jobs of a namespace, best first: those whose pod is waiting right now,
   * then (only where pods are known to reach us) those still starting, the oldest first.
   */
  private List<Job> candidates(String namespace) {
    Instant now = clock.instant();
    boolean trusted = reached.contains(namespace);
    return unclaimedLive(namespace)
        .filter(job -> trusted || waiting(job, now))
        .sorted(
            Comparator.comparing((Job job) -> !waiting(job, now))
                .thenComparing(job -> job.getMetadata().getCreationTimestamp()))
        .toList();
  }

  private long waitingUnclaimed(String namespace) {
    Instant now = clock.instant();
    return unclaimedLive(namespace).filter(job -> waiting(job, now)).count();
  }

  private Stream<Job> unclaimedLive(String namespace) {
    return cache.values().stream()
        .filter(job -> namespace.equals(job.getMetadata().getNamespace()))
        .filter(job -> taskOf(job) == null && isLive(job));
  }

  private boolean waiting(Job job, Instant now) {
    Instant asked = lastAsked.get(key(job));
    return asked != null && asked.plus(ASKED_RECENTLY).isAfter(now);
  }

  /**
   * What a claim changes, as a JSON merge patch. Its resourceVersion makes the API server refuse it
   * (409) if the Job changed since we read it, e.g. claimed by a replica that believed it led. The
   * Job's deadline counts from its creation: its idle time so far plus the task's timeout.
   */
  private String claimPatch(Job job, FfmpegTask task, Duration timeout) {
    Instant now = clock.instant();
    Instant created = parseTime(job.getMetadata().getCreationTimestamp()).orElse(now);
    long deadline = Duration.between(created, now).toSeconds() + timeout.toSeconds() + 1;
    String taskName = task.getMetadata().getName();
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode metadata = patch.putObject("metadata");
    metadata.put("resourceVersion", job.getMetadata().getResourceVersion());
    metadata.putObject("labels").put(CrdConstants.LABEL_INSTANCE, JobNames.labelValue(taskName));
    metadata
        .putObject("annotations")
        .put(TASK_ANNOTATION, taskName)
        .put(CLAIMED_AT_ANNOTATION, now.truncatedTo(ChronoUnit.SECONDS).toString());
    metadata
        .putArray("ownerReferences")
        .add(JSON.valueToTree(WorkerJobFactory.ownerReference(task)));
    patch.putObject("spec").put("activeDeadlineSeconds", deadline);
    return patch.toString();
  }

  // ------------------------------------------------------------------ keeping the pool full

  private void queueUpkeep() {
    if (upkeepQueued.compareAndSet(false, true)) {
      try {
        upkeep.execute(this::keepUp);
      } catch (RejectedExecutionException e) {
        upkeepQueued.set(false); // closing
      }
    }
  }

  /** Removes finished unclaimed Jobs, then tops each namespace up to the count or trims it. */
  private void keepUp() {
    upkeepQueued.set(false);
    if (!listed || !leading.getAsBoolean()) {
      return;
    }
    for (String namespace : namespaces) {
      try {
        keepUp(namespace);
      } catch (RuntimeException e) {
        LOG.warn("Could not keep the warm workers of {}: {}", namespace, e.toString());
      }
    }
  }

  private void keepUp(String namespace) {
    List<Job> unclaimed = new ArrayList<>();
    for (Job job : List.copyOf(cache.values())) {
      if (!namespace.equals(job.getMetadata().getNamespace()) || taskOf(job) != null) {
        continue;
      }
      if (job.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (!isLive(job)) {
        // Idle past its deadline, retired, or its pod gave up: a new one takes its place.
        delete(job, "finished unclaimed");
      } else if (!asksHere(job)) {
        // Made for an endpoint this operator no longer serves (its URL or port changed).
        retire(job);
      } else {
        unclaimed.add(job);
      }
    }
    int late = lateRefills(namespace, unclaimed.size());
    Instant now = clock.instant();
    // Retire the surplus (the count was lowered), pods that are not waiting first.
    unclaimed.sort(Comparator.comparing((Job job) -> waiting(job, now)));
    for (int i = 0; i < unclaimed.size() - warm.count(); i++) {
      retire(unclaimed.get(i));
    }
    for (int i = unclaimed.size(); i < warm.count() - late; i++) {
      create(namespace);
    }
  }

  /**
   * How many replacements in the namespace still wait: none once fewer than the spares are left
   * unclaimed; otherwise those whose claimed Job is still running.
   */
  private int lateRefills(String namespace, int unclaimed) {
    String prefix = namespace + "/";
    lateRefills.removeIf(
        key -> {
          if (!key.startsWith(prefix)) {
            return false;
          }
          Job job = cache.get(key);
          return unclaimed < WarmWorkers.SPARES_FOR_LATE_REFILL || job == null || !isLive(job);
        });
    return (int) lateRefills.stream().filter(key -> key.startsWith(prefix)).count();
  }

  private void create(String namespace) {
    String name = "fft-warm-" + randomName(10);
    String token = randomToken();
    Job job =
        jobs.buildWarm(
            namespace, name, token, baseUrl + WarmWorkerProtocol.orderPath(namespace, name));
    Job created = client.resource(job).create();
    cache.put(key(created), created);
    LOG.info("Created warm worker Job {}/{}", namespace, name);
  }

  private void retire(Job job) {
    CompletableFuture<String> request = held.remove(key(job));
    if (request != null) {
      request.completeExceptionally(new IllegalStateException("retired"));
    }
    delete(job, "retired");
  }

  private void delete(Job job, String why) {
    try {
      client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      LOG.info("Deleted warm worker Job {} ({})", key(job), why);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
    cache.remove(key(job));
  }

  // ------------------------------------------------------------------ the order endpoint

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher path = ORDER_PATH.matcher(exchange.getRequestURI().getPath());
      if (!path.matches()) {
        send(exchange, 404, "no such endpoint");
        return;
      }
      boolean done = path.group(3).equals("done");
      String method = done ? "POST" : "GET";
      if (!exchange.getRequestMethod().equals(method)) {
        exchange.getResponseHeaders().set("Allow", method);
        send(exchange, 405, "only " + method);
        return;
      }
      if (!leading.getAsBoolean()) {
        send(exchange, 503, "this replica does not lead; ask again");
        return;
      }
      String key = path.group(1) + "/" + path.group(2);
      Job job = cache.get(key);
      if (job == null) {
        send(exchange, 404, "no warm worker Job " + key);
        return;
      }
      if (!tokenMatches(job, exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "wrong token for " + key);
        return;
      }
      if (done) {
        runOver(exchange, job);
        return;
      }
      reached.add(job.getMetadata().getNamespace());
      lastAsked.put(key, clock.instant());
      String task = taskOf(job);
      if (task == null) {
        if (!isLive(job) || job.getMetadata().getDeletionTimestamp() != null) {
          send(exchange, 410, "retired");
          return;
        }
        Optional<String> claimed = await(key);
        if (claimed == null) {
          send(exchange, 204, null);
          return;
        }
        if (claimed.isEmpty()) {
          send(exchange, 410, "retired");
          return;
        }
        task = claimed.get();
      }
      Optional<WorkOrder> order = orderOf(key, job.getMetadata().getNamespace(), task);
      if (order.isEmpty()) {
        send(exchange, 410, "task " + task + " no longer needs a worker");
        return;
      }
      lastAsked.remove(key);
      byte[] body = JSON.writeValueAsBytes(order.get());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * The pod of a claimed Job stored its outputs: its task is looked at now, with the final report
   * the request carries if there is one (the pod stores it in S3 only after this request).
   */
  private void runOver(HttpExchange exchange, Job job) throws IOException {
    String task = taskOf(job);
    if (task == null) {
      send(exchange, 409, "no task has claimed this warm worker");
      return;
    }
    String namespace = job.getMetadata().getNamespace();
    byte[] body = exchange.getRequestBody().readNBytes(WarmWorkerProtocol.MAX_DONE_BYTES + 1);
    if (body.length > WarmWorkerProtocol.MAX_DONE_BYTES) {
      LOG.warn("Report handed over by warm worker Job {} is too long; reading S3", key(job));
    } else if (body.length > 0) {
      reports.handedOver(namespace, task, body);
    }
    workerDone.propagateEvent(new ResourceID(task, namespace));
    send(exchange, 204, null);
  }

  /**
   * Holds the request until the Job is claimed: the task's name, empty when the Job was retired, or
   * null when nothing happened within the hold time.
   */
  private Optional<String> await(String key) {
    CompletableFuture<String> request = held.computeIfAbsent(key, k -> new CompletableFuture<>());
    // A claim between reading the cache and registering would have found no one to tell.
    Job now = cache.get(key);
    if (now != null && taskOf(now) != null) {
      request.complete(taskOf(now));
    }
    try {
      return Optional.of(request.get(WarmWorkerProtocol.HOLD_SECONDS, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (request.isDone()) {
        held.remove(key, request);
      }
    }
  }

  /** The order of a claimed Job: kept from the claim, or made again after a restart. */
  private Optional<WorkOrder> orderOf(String key, String namespace, String taskName) {
    WorkOrder kept = orders.get(key);
    if (kept != null) {
      return Optional.of(kept);
    }
    FfmpegTask task =
        client.resources(FfmpegTask.class).inNamespace(namespace).withName(taskName).get();
    if (task == null
        || (task.getStatus() != null
            && task.getStatus().getState() != null
            && task.getStatus().getState().isFinished())) {
      return Optional.empty();
    }
    return jobs.workOrder(task);
  }

  private boolean asksHere(Job job) {
    String url = env(job, WarmWorkerProtocol.ORDER_URL_ENV);
    return url != null && url.startsWith(baseUrl + "/");
  }

  private static boolean tokenMatches(Job job, String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    String expected = env(job, WarmWorkerProtocol.TOKEN_ENV);
    if (expected == null) {
      return false;
    }
    byte[] given = authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
  }

  private static String env(Job job, String name) {
    return job.getSpec().getTemplate().getSpec().getContainers().stream()
        .flatMap(c -> c.getEnv() == null ? Stream.empty() : c.getEnv().stream())
        .filter(env -> name.equals(env.getName()))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  private static void send(HttpExchange exchange, int status, String detail) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (detail == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body = JSON.writeValueAsBytes(Map.of("detail", detail));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The task that claimed {@code job}, or null while it is unclaimed. */
  static String taskOf(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TASK_ANNOTATION);
  }

  /** Not finished: no Complete or Failed condition yet. */
  private static boolean isLive(Job job) {
    JobObservation.Phase phase = JobObservation.of(job).phase();
    return phase == JobObservation.Phase.WAITING || phase == JobObservation.Phase.ACTIVE;
  }

  private static String key(Job job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  private static Optional<Instant> parseTime(String rfc3339) {
    try {
      return Optional.ofNullable(rfc3339).map(t -> OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private String randomName(int length) {
    StringBuilder name = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return name.toString();
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Keeps the cache in step with the API server and wakes the upkeep on every change. */
  private final class Watched implements ResourceEventHandler<Job> {
    @Override
    public void onAdd(Job job) {
      keep(job);
      queueUpkeep();
    }

    @Override
    public void onUpdate(Job before, Job after) {
      keep(after);
      if (!isLive(after) && (taskOf(after) == null || lateRefills.contains(key(after)))) {
        queueUpkeep();
      }
    }

    /**
     * A claim is never undone, so an event older than our own claim, still on its way, must not
     * make the Job look free again.
     */
    private void keep(Job job) {
      cache.merge(
          key(job),
          job,
          (cached, seen) -> taskOf(cached) != null && taskOf(seen) == null ? cached : seen);
    }

    @Override
    public void onDelete(Job job, boolean finalStateUnknown) {
      String key = key(job);
      cache.remove(key);
      orders.remove(key);
      lastAsked.remove(key);
      lateRefills.remove(key);
      CompletableFuture<String> request = held.remove(key);
      if (request != null) {
        request.completeExceptionally(new IllegalStateException("deleted"));
      }
      queueUpkeep();
    }
  }
}
