package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes node on this machine: watches the batch/v1 Jobs of one namespace and, as the job
 * controller and a kubelet would, runs their pods (local processes or podman containers) and writes
 * Pod and Job status back. Pods left Running by an earlier run are marked Failed (NodeLost) and
 * replaced per backoffLimit.
 */
public final class LocalNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

  /** How long close() lets processes end after SIGTERM before SIGKILL. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  /** Delay before reconciling again after an unexpected error (the API down, say). */
  private static final Duration ERROR_RETRY = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final String namespace;
  private final LocalNodeConfig config;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Set<String> wakeUps = ConcurrentHashMap.newKeySet();

  private ScheduledThreadPoolExecutor nodeThread;
  private Kubelet kubelet;
  private JobReconciler reconciler;
  private SharedIndexInformer<Job> informer;
  private SharedIndexInformer<Pod> podInformer;
  private volatile boolean closed;

  public LocalNode(KubernetesClient client, String namespace, LocalNodeConfig config) {
    this.client = Objects.requireNonNull(client);
    this.namespace = Objects.requireNonNull(namespace);
    this.config = Objects.requireNonNull(config);
  }

  /** Starts watching Jobs; returns once the existing ones are listed. */
  public synchronized void start() {
    if (nodeThread != null) {
      throw new IllegalStateException("already started");
    }
    // One thread does all the work, so pods, queue and statuses need no locks.
    nodeThread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "local-node-" + namespace);
              t.setDaemon(true);
              return t;
            });
    nodeThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    Clock clock = Clock.systemUTC();
    kubelet = new Kubelet(client, namespace, config, clock, nodeThread, this::enqueue);
    reconciler =
        new JobReconciler(
            client,
            namespace,
            kubelet,
            new JobController(config.retryBackoff()),
            clock,
            this::enqueue,
            this::wakeUpAt);
    informer = client.batch().v1().jobs().inNamespace(namespace).inform(new JobEvents(), 0);
    podInformer = client.pods().inNamespace(namespace).inform(new PodDeletions(), 0);
    LOG.info("Local node started for namespace {}, pods under {}", namespace, config.podsDir());
  }

  /** Stops watching and kills every running process; their pods recover on the next start. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (informer != null) {
      informer.close();
    }
    if (podInformer != null) {
      podInformer.close();
    }
    if (nodeThread != null) {
      kubelet.stopStarting();
      nodeThread.shutdown();
      try {
        nodeThread.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      kubelet.shutdown(SHUTDOWN_GRACE);
    }
  }

  /**
   * The files the node keeps what pod {@code pod}'s container writes in: stdout's, then stderr's.
   * They exist once the container has started and go with the pod. Empty for a name that cannot be
   * a pod's here.
   */
  public List<Path> logFiles(String pod) {
    try {
      PodSandbox sandbox = PodSandbox.of(config.podsDir(), pod);
      return List.of(sandbox.stdout(), sandbox.stderr());
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  /** Reconciles the Job soon, once however often it is asked for before that. */
  private void enqueue(String jobName) {
    if (jobName == null || closed || !queued.add(jobName)) {
      return;
    }
    run(
        () -> {
          queued.remove(jobName);
          try {
            reconciler.reconcile(jobName);
          } catch (RuntimeException e) {
            LOG.warn(
                "Job {}/{}: reconcile failed, again in {}", namespace, jobName, ERROR_RETRY, e);
            wakeUpAt(jobName, Instant.now().plus(ERROR_RETRY));
          }
        });
  }

  /** Reconciles the Job at {@code at}: deadlines, retry delays and TTLs are not watched events. */
  private void wakeUpAt(String jobName, Instant at) {
    String key = jobName + "@" + at;
    if (closed || !wakeUps.add(key)) {
      return;
    }
    long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
    try {
      nodeThread.schedule(
          () -> {
            wakeUps.remove(key);
            enqueue(jobName);
          },
          delay,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  private void run(Runnable task) {
    try {
      nodeThread.execute(
          () -> {
            if (!closed) {
              task.run();
            }
          });
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  /**
   * A pod deleted by someone else ({@code kubectl delete pod}): as a kubelet does, its process is
   * stopped within its grace period, and its Job, which has one pod fewer, is looked at again.
   */
  private final class PodDeletions implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {}

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {}

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      run(
          () -> {
            if (kubelet.deletedElsewhere(pod)) {
              enqueue(JobPods.jobNameOf(pod));
            }
          });
    }
  }

  /** Informer events only say which Job to look at again. */
  private final class JobEvents implements ResourceEventHandler<Job> {
    @Override
    public void onAdd(Job job) {
      enqueue(job.getMetadata().getName());
    }

    @Override
    public void onUpdate(Job oldJob, Job newJob) {
      enqueue(newJob.getMetadata().getName());
    }

    @Override
    public void onDelete(Job job, boolean deletedFinalStateUnknown) {
      run(
          () -> {
            try {
              reconciler.tearDown(job);
            } catch (RuntimeException e) {
              LOG.warn(
                  "Job {}/{}: cleaning up its pods failed",
                  namespace,
                  job.getMetadata().getName(),
                  e);
            }
          });
    }
  }
}
