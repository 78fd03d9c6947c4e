package io.ffmpegoperator.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkOrder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order endpoint warm worker pods ask ({@link WarmWorkerProtocol}). Every replica answers
 * orders, the leader and the standbys alike, from the state kept in the Jobs: claimed, the claiming
 * task's order; unclaimed, the request is held until a claim (seen as a Job event) or the end of
 * the hold; gone or finished, 410. So a pod whose connection a Service pinned to a standby gets its
 * order there. Only the leader acts on "the run is over", which starts a reconcile.
 */
final class OrderEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrderEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH =
      Pattern.compile(
          "^/warm/v1/namespaces/([a-z0-9.-]{1,253})/jobs/([a-z0-9.-]{1,253})/(order|done)$");

  private final WarmWorkers warm;
  private final KubernetesClient client;
  private final WorkerJobFactory factory;
  private final BooleanSupplier leading;
  private final SimpleInboundEventSource<FfmpegTask> workerDone;
  private final TaskReports reports;

  /** Held requests by Job key: completed by the next event of that Job. */
  private final Map<String, CompletableFuture<Void>> wakeUps = new ConcurrentHashMap<>();

  private final ExecutorService requests =
      Executors.newCachedThreadPool(JdkHttpServers.daemon("warm-orders"));
  private final AskedMarks marks;
  private volatile JobEvents jobs;
  private volatile IndexerResourceCache<FfmpegTask> tasks;
  private HttpServer server;

  /**
   * @param leading whether this replica leads: only the leader acts on "the run is over"
   * @param workerDone where a claimed pod saying its run is over becomes a reconcile of its task
   * @param reports where the final report such a pod hands over is kept for that reconcile
   */
  OrderEndpoint(
      WarmWorkers warm,
      KubernetesClient client,
      WorkerJobFactory factory,
      BooleanSupplier leading,
      Clock clock,
      SimpleInboundEventSource<FfmpegTask> workerDone,
      TaskReports reports) {
    this.warm = warm;
    this.client = client;
    this.factory = factory;
    this.leading = leading;
    this.workerDone = workerDone;
    this.reports = reports;
    this.marks = new AskedMarks(client, clock);
  }

  /**
   * Starts answering, from the Jobs {@code jobs} shows and the tasks {@code tasks} holds; returns
   * the URL pods reach it at.
   */
  String start(JobEvents jobs, IndexerResourceCache<FfmpegTask> tasks) {
    this.jobs = jobs;
    this.tasks = tasks;
    jobs.addListener(this::wake);
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
    String url = warm.url() != null ? warm.url() : "http://127.0.0.1:" + port();
    LOG.info("Warm worker pods ask for orders at {} (port {})", url, port());
    return url;
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      // Held requests end with the connection; their pods ask again, here or at another replica.
      server.stop(0);
    }
    requests.shutdownNow();
    marks.close();
  }

  /** Something happened to {@code job}: requests held for it look again. */
  private void wake(Job job) {
    CompletableFuture<Void> held = wakeUps.remove(WarmJobs.key(job));
    if (held != null) {
      held.complete(null);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      if (!path.matches()) {
        JdkHttpServers.send(exchange, 404, "no such endpoint");
        return;
      }
      boolean done = path.group(3).equals("done");
      String method = done ? "POST" : "GET";
      if (!exchange.getRequestMethod().equals(method)) {
        exchange.getResponseHeaders().set("Allow", method);
        JdkHttpServers.send(exchange, 405, "only " + method);
        return;
      }
      String namespace = path.group(1);
      String name = path.group(2);
      Optional<Job> job = read(namespace, name);
      if (job.isEmpty()) {
        JdkHttpServers.send(exchange, 404, "no warm worker Job " + WarmJobs.key(namespace, name));
        return;
      }
      if (!WarmJobs.tokenMatches(
          job.get(), exchange.getRequestHeaders().getFirst("Authorization"))) {
        JdkHttpServers.send(exchange, 401, "wrong token for " + WarmJobs.key(namespace, name));
        return;
      }
      if (done) {
        runOver(exchange, job.get());
      } else {
        order(exchange, job.get());
      }
    }
  }

  /** Answers with the order once the Job is claimed, holding the request while it is not. */
  private void order(HttpExchange exchange, Job asked) throws IOException {
    String key = WarmJobs.key(asked);
    marks.mark(asked);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WarmWorkerProtocol.HOLD_SECONDS);
    Job job = asked;
    while (WarmJobs.isUnclaimed(job)) {
      // Registered before looking again, so that a claim in between is not missed.
      CompletableFuture<Void> next = wakeUps.computeIfAbsent(key, k -> new CompletableFuture<>());
      Optional<Job> now = read(job.getMetadata().getNamespace(), job.getMetadata().getName());
      if (now.isPresent() && WarmJobs.isUnclaimed(now.get())) {
        try {
          next.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          JdkHttpServers.send(exchange, 204, null);
          return;
        } catch (ExecutionException | InterruptedException e) {
          JdkHttpServers.send(exchange, 503, "stopping");
          return;
        }
        now = read(job.getMetadata().getNamespace(), job.getMetadata().getName());
      }
      if (now.isEmpty()) {
        JdkHttpServers.send(exchange, 410, "retired");
        return;
      }
      job = now.get();
    }
    String taskName = WarmJobs.taskOf(job);
    Optional<WorkOrder> order = taskName == null ? Optional.empty() : orderOf(job, taskName);
    if (order.isEmpty()) {
      JdkHttpServers.send(
          exchange, 410, taskName == null ? "retired" : "task " + taskName + " needs no worker");
      return;
    }
    JdkHttpServers.sendJson(exchange, 200, JSON.writeValueAsBytes(order.get()));
  }

  /**
   * The order of the task that claimed {@code job}: empty when that task is gone (or is another
   * task of the same name), being deleted, cancelled, finished, or unreadable. The task comes from
   * this replica's cache, so an order costs no API call unless the task is too new for the watch;
   * pre-signing is local.
   */
  private Optional<WorkOrder> orderOf(Job job, String taskName) {
    String namespace = job.getMetadata().getNamespace();
    FfmpegTask task =
        tasks
            .get(new ResourceID(taskName, namespace))
            .orElseGet(
                () ->
                    client
                        .resources(FfmpegTask.class)
                        .inNamespace(namespace)
                        .withName(taskName)
                        .get());
    boolean owner =
        task != null
            && job.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o.getUid().equals(task.getMetadata().getUid()));
    if (!owner
        || task.decodeProblem().isPresent()
        // Cancelled while its warm pod was about to ask: the pod gets no work and is stopped.
        || task.getSpec().cancelRequested()
        || task.isMarkedForDeletion()
        || (task.getStatus() != null
            && task.getStatus().getState() != null
            && task.getStatus().getState().isFinished())) {
      return Optional.empty();
    }
    return factory.workOrder(task);
  }

  /**
   * The pod of a claimed Job stored its outputs: its task is looked at now, with the final report
   * the request carries if there is one. Only the leader reconciles, so a standby does nothing; the
   * Job's completion finishes the task a little later.
   */
  private void runOver(HttpExchange exchange, Job job) throws IOException {
    String task = WarmJobs.taskOf(job);
    if (task == null) {
      JdkHttpServers.send(exchange, 409, "no task has claimed this warm worker");
      return;
    }
    if (!leading.getAsBoolean()) {
      JdkHttpServers.send(
          exchange, 503, "this replica does not lead; the Job's completion tells the leader");
      return;
    }
    String namespace = job.getMetadata().getNamespace();
    byte[] body = exchange.getRequestBody().readNBytes(WarmWorkerProtocol.MAX_DONE_BYTES + 1);
    if (body.length > WarmWorkerProtocol.MAX_DONE_BYTES) {
      LOG.warn("Report handed over by warm Job {} is too long; reading S3", WarmJobs.key(job));
    } else if (body.length > 0) {
      reports.handedOver(namespace, task, body);
    }
    workerDone.propagateEvent(new ResourceID(task, namespace));
    JdkHttpServers.send(exchange, 204, null);
  }

  /** The warm Job {@code namespace/name}, from the watch or, too new for it, the API server. */
  private Optional<Job> read(String namespace, String name) {
    return jobs.read(namespace, name)
        .filter(j -> j.getMetadata().getLabels().containsKey(WorkerJobFactory.WARM_LABEL));
  }
}
