package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles the java-operator-sdk {@link Operator} with this platform's reconcilers. */
public final class FfmpegOperator {
  private static final Logger LOG = LoggerFactory.getLogger(FfmpegOperator.class);

  private FfmpegOperator() {}

  private static <R extends HasMetadata> void watch(
      ControllerConfigurationOverrider<R> controller, OperatorConfig config) {
    if (config.namespaces().isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(config.namespaces());
    }
  }

  /**
   * A configured, not yet started operator whose metrics nobody reads; with leader election on,
   * losing the Lease ends the process.
   */
  public static Operator create(KubernetesClient client, S3Storage storage, OperatorConfig config) {
    return create(client, storage, config, new OperatorMetrics(), Leadership.exitingOnLoss());
  }

  /**
   * A configured, not yet started operator that records into {@code metrics} and, with leader
   * election on, reports to {@code leadership}. Its {@link Operator#stop()} hands the Lease back.
   */
  public static Operator create(
      KubernetesClient client,
      S3Storage storage,
      OperatorConfig config,
      OperatorMetrics metrics,
      Leadership leadership) {
    String identity =
        config.leaseIdentity() != null
            ? config.leaseIdentity()
            : "ffmpeg-operator-" + UUID.randomUUID();
    WorkerJobFactory jobs = new WorkerJobFactory(config, storage);
    SimpleInboundEventSource<FfmpegTask> workerDone =
        new SimpleInboundEventSource<>(FfmpegTaskReconciler.WORKER_DONE);
    TaskReports reports = new TaskReports(storage);
    ResourceEvents events = new ResourceEvents(client);
    UnreadableResources unreadable = new UnreadableResources(events);
    BooleanSupplier leading = config.leaderElection() ? leadership::isLeader : () -> true;
    Set<String> warmNamespaces =
        config.warm().enabled() ? warmNamespaces(client, config) : Set.of();
    WarmClaim claim =
        config.warm().enabled() ? new WarmClaim(warmNamespaces, client, Clock.systemUTC()) : null;
    WarmPool pool =
        config.warm().enabled()
            ? new WarmPool(config.warm(), warmNamespaces, client, jobs, leading, Clock.systemUTC())
            : null;
    OrderEndpoint orders =
        config.warm().enabled()
            ? new OrderEndpoint(
                config.warm(), client, jobs, leading, Clock.systemUTC(), workerDone, reports)
            : null;
    FfmpegTaskReconciler tasks =
        new FfmpegTaskReconciler(
            storage.bucket(),
            config.taskResources(),
            config.progressInterval(),
            new TaskJobs(jobs, claim, events),
            new TaskRuns(storage, reports, jobs, new FailedPods(client), Clock.systemUTC()),
            new TaskStops(storage),
            workerDone,
            events,
            new WebhookDeliveries(
                config.webhooks(),
                new WebhookSender(config.inputAddresses(), config.webhooks().timeout()),
                storage,
                events,
                Clock.systemUTC()),
            new Retention(config.taskTtl(), Clock.systemUTC()),
            new ClientQueues(config.clientLimits()),
            new ParallelRuns(storage, config.parallel(), Clock.systemUTC(), events),
            unreadable,
            metrics,
            Clock.systemUTC());
    Operator operator =
        new Operator(o -> configure(o, client, config, metrics, leadership, identity)) {
          @Override
          public synchronized void start() {
            if (config.leaderElection()) {
              leadership.electing();
            }
            super.start();
            if (!config.clientLimits().isEmpty()) {
              LOG.info("Tasks running at once, at most, per client: {}", config.clientLimits());
            }
            // The Job watch has listed by now, on every replica: the warm parts read from it.
            if (orders != null) {
              pool.start(tasks.jobEvents(), orders.start(tasks.jobEvents(), tasks.taskCache()));
              LOG.info(
                  "Warm workers: {} per namespace in {}", config.warm().count(), warmNamespaces);
            }
          }

          @Override
          public void stop() {
            leadership.steppingDown();
            if (orders != null) {
              pool.close();
              orders.close();
            }
            super.stop();
            events.close();
            if (config.leaderElection()) {
              String namespace =
                  config.leaseNamespace() != null
                      ? config.leaseNamespace()
                      : client.getConfiguration().getNamespace();
              leadership.release(client, namespace, OperatorConfig.LEASE_NAME, identity);
            }
          }
        };
    if (config.leaderElection()) {
      leadership.electing();
    }
    metrics.reportLeadership(leadership::isLeader);
    operator.register(tasks, c -> watch(c, config));
    operator.register(
        new VideoJobReconciler(storage, client, Clock.systemUTC(), events, unreadable, metrics),
        c -> watch(c, config));
    return operator;
  }

  /**
   * Where warm workers run: as configured, else the watched namespaces, else the operator's own.
   *
   * @throws IllegalArgumentException for a namespace the operator does not watch, whose tasks could
   *     never claim them
   */
  static Set<String> warmNamespaces(KubernetesClient client, OperatorConfig config) {
    Set<String> chosen = config.warm().namespaces();
    if (chosen.isEmpty()) {
      if (!config.namespaces().isEmpty()) {
        return config.namespaces();
      }
      String own =
          config.leaseNamespace() != null
              ? config.leaseNamespace()
              : client.getConfiguration().getNamespace();
      return Set.of(own == null ? "default" : own);
    }
    if (!config.namespaces().isEmpty() && !config.namespaces().containsAll(chosen)) {
      throw new IllegalArgumentException(
          "WORKER_WARM_NAMESPACES "
              + chosen
              + " must be among WATCH_NAMESPACES "
              + config.namespaces());
    }
    return chosen;
  }

  private static void configure(
      ConfigurationServiceOverrider o,
      KubernetesClient client,
      OperatorConfig config,
      OperatorMetrics metrics,
      Leadership leadership,
      String identity) {
    o.withKubernetesClient(client)
        // Server-side apply is not needed: the operator creates Jobs once and
        // patches only status. Plain patches also work on the embedded API server,
        // which has no server-side apply.
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withCloseClientOnStop(false)
        .withResourceCloner(UnreadableResources.cloner(client.getKubernetesSerialization()))
        .withMetrics(metrics.josdk());
    if (config.leaderElection()) {
      o.withLeaderElectionConfiguration(
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(OperatorConfig.LEASE_NAME)
              .withLeaseNamespace(config.leaseNamespace())
              .withIdentity(identity)
              .withLeaderCallbacks(leadership.callbacks(identity))
              // Leadership decides: exiting is right on a loss, wrong on a requested stop.
              .withExitOnStopLeading(false)
              .build());
    }
  }
}
