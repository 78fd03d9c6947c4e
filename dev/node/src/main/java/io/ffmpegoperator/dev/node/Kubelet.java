package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet of node {@value JobPods#NODE_NAME}: runs admitted pods (local processes or
 * containers, by its {@link ContainerRuntime}), at most N at once (the rest wait, Pending, like
 * pods on a node short of CPU), and writes their status. All methods run on the node's single
 * thread.
 */
final class Kubelet {
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

  /** The API's default terminationGracePeriodSeconds. */
  private static final long DEFAULT_GRACE_SECONDS = 30;

  /** How soon a pod whose Secret is missing tries to mount it again. */
  private static final Duration MOUNT_RETRY = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final String namespace;
  private final LocalNodeConfig config;
  private final Clock clock;
  private final ScheduledExecutorService nodeThread;
  private final Consumer<String> jobChanged;

  private final Map<String, Pod> waiting = new LinkedHashMap<>();
  private final Map<String, ContainerRuntime.Running> running = new HashMap<>();

  /** Pods whose container cannot start (no image, a bad config): they stay Pending. */
  private final Set<String> stuck = new HashSet<>();

  /** Pods waiting for a Secret to mount: Pending, tried again, never failed for it. */
  private final Set<String> mountWaiting = new HashSet<>();

  private final SecretVolumes secrets;
  private final ContainerRuntime runtime;
  private final Set<String> deleteOnExit = new HashSet<>();
  private volatile boolean stopping;

  Kubelet(
      KubernetesClient client,
      String namespace,
      LocalNodeConfig config,
      Clock clock,
      ScheduledExecutorService nodeThread,
      Consumer<String> jobChanged) {
    this.client = client;
    this.namespace = namespace;
    this.config = config;
    this.clock = clock;
    this.nodeThread = nodeThread;
    this.jobChanged = jobChanged;
    this.secrets = new SecretVolumes(client, namespace);
    this.runtime =
        config.podman() == null
            ? new ProcessRuntime(config)
            : new PodmanRuntime(config.podman(), config.podsDir());
    runtime.removeLeftovers();
  }

  /**
   * Takes over pods this node holds no process for, from a previous run: Pending ones are started,
   * Running ones lost their process with the node and are marked Failed, NodeLost. Returns the pods
   * as they now are.
   */
  List<Pod> adoptOrphans(List<Pod> pods) {
    List<Pod> now = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      if (PodStatuses.isTerminal(pod) || knows(name)) {
        now.add(pod);
      } else if (PodStatuses.RUNNING.equals(PodStatuses.phase(pod))) {
        LOG.warn(
            "Pod {}/{} was running when the node stopped: marking it {}",
            namespace,
            name,
            PodStatuses.NODE_LOST);
        Pod lost = writeStatus(name, p -> PodStatuses.lost(p, clock.instant()));
        if (lost != null) {
          now.add(lost);
        }
      } else {
        admit(pod);
        now.add(pod);
      }
    }
    return now;
  }

  /** Runs the pod when a slot is free. */
  void admit(Pod pod) {
    if (!knows(pod.getMetadata().getName())) {
      waiting.put(pod.getMetadata().getName(), pod);
      startWaiting();
    }
  }

  /** Kills the pod's process; the pod ends Failed with the exit code the signal gives. */
  void terminate(Pod pod) {
    ContainerRuntime.Running runner = running.get(pod.getMetadata().getName());
    if (runner != null) {
      runner.kill(gracePeriod(pod), nodeThread);
    } else {
      // Never started: nothing ran, so nothing is worth keeping.
      deleteNow(pod);
    }
  }

  /** Kills the pod's process, then deletes the pod and its sandbox. */
  void delete(Pod pod) {
    String name = pod.getMetadata().getName();
    ContainerRuntime.Running runner = running.get(name);
    if (runner != null) {
      deleteOnExit.add(name);
      runner.kill(gracePeriod(pod), nodeThread);
    } else {
      deleteNow(pod);
    }
  }

  /**
   * The pod is gone from the API server, deleted by someone else: its process, if it runs, is
   * killed within its grace period, and a pod not started yet never starts. True if this node held
   * it; false for pods it has already let go of (those it deleted itself).
   */
  boolean deletedElsewhere(Pod pod) {
    String name = pod.getMetadata().getName();
    if (!knows(name) || deleteOnExit.contains(name)) {
      return false;
    }
    LOG.info("Pod {}/{} was deleted: stopping it", namespace, name);
    delete(pod);
    return true;
  }

  /** Starts nothing more from now on; called as the node shuts down. */
  void stopStarting() {
    stopping = true;
  }

  /** Kills every process, SIGTERM then SIGKILL after {@code grace}; writes no status. */
  void shutdown(Duration grace) {
    stopping = true;
    waiting.clear();
    running.values().forEach(ContainerRuntime.Running::terminate);
    Instant deadline = Instant.now().plus(grace);
    running.values().forEach(r -> r.awaitOrKill(Duration.between(Instant.now(), deadline)));
    running.clear();
  }

  private boolean knows(String name) {
    return waiting.containsKey(name)
        || running.containsKey(name)
        || stuck.contains(name)
        || mountWaiting.contains(name);
  }

  private void startWaiting() {
    Iterator<Pod> next = waiting.values().iterator();
    while (!stopping && running.size() < config.maxConcurrentPods() && next.hasNext()) {
      Pod pod = next.next();
      next.remove();
      start(pod);
    }
  }

  private void start(Pod pod) {
    String name = pod.getMetadata().getName();
    Optional<ContainerRuntime.Waiting> problem = runtime.cannotStart(pod);
    if (problem.isPresent()) {
      LOG.warn("Pod {}/{}: {}; it stays Pending", namespace, name, problem.get().message());
      stuck.add(name);
      writeStatus(name, p -> PodStatuses.cannotStart(p, problem.get(), clock.instant()));
      return;
    }
    ContainerRuntime.Running runner;
    try {
      if (!secretsMounted(pod)) {
        return;
      }
      runner = runtime.start(pod, PodSandbox.of(config.podsDir(), name));
    } catch (Exception e) {
      LOG.warn("Pod {}/{} could not start: {}", namespace, name, e.getMessage());
      writeStatus(name, p -> PodStatuses.startFailed(p, e.getMessage(), clock.instant()));
      jobChanged.accept(JobPods.jobNameOf(pod));
      return;
    }
    LOG.info("Pod {}/{} started as {}", namespace, name, runner.containerId());
    running.put(name, runner);
    Pod started =
        writeStatus(name, p -> PodStatuses.running(p, runner.startedAt(), runner.containerId()));
    if (started == null) {
      // Deleted while it was starting: a kubelet kills what it no longer has a pod for.
      delete(pod);
    }
    runner
        .onExit()
        .thenAccept(
            ended -> {
              try {
                nodeThread.execute(() -> exited(pod, runner, ended));
              } catch (RejectedExecutionException e) {
                // The node is shutting down; the next start recovers the pod.
              }
            });
  }

  /**
   * Writes the pod's secret volumes into its sandbox; false, with the pod Pending and a retry
   * scheduled, while one of its Secrets is missing.
   */
  private boolean secretsMounted(Pod pod) throws IOException {
    String name = pod.getMetadata().getName();
    PodSandbox sandbox = PodSandbox.of(config.podsDir(), name);
    var container = pod.getSpec().getContainers().get(0);
    sandbox.create(container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts());
    Optional<String> missing = secrets.mount(pod, sandbox);
    if (missing.isEmpty()) {
      mountWaiting.remove(name);
      return true;
    }
    if (mountWaiting.add(name)) {
      LOG.info("Pod {}/{} waits for its volumes: {}", namespace, name, missing.get());
      writeStatus(name, p -> PodStatuses.mountPending(p, missing.get(), clock.instant()));
    }
    try {
      nodeThread.schedule(
          () -> {
            if (mountWaiting.contains(name) && !stopping) {
              waiting.put(name, pod);
              startWaiting();
            }
          },
          MOUNT_RETRY.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The node is shutting down; the next start recovers the pod.
    }
    return false;
  }

  private void exited(Pod pod, ContainerRuntime.Running runner, ContainerRuntime.Ended ended) {
    String name = pod.getMetadata().getName();
    running.remove(name);
    LOG.info(
        "Pod {}/{} exited with code {}{}",
        namespace,
        name,
        ended.exitCode(),
        ended.reason() == null ? "" : " (" + ended.reason() + ")");
    if (deleteOnExit.remove(name)) {
      deleteNow(pod);
    } else {
      Instant finishedAt = clock.instant();
      writeStatus(
          name,
          p ->
              PodStatuses.terminated(
                  p, runner.containerId(), ended, runner.startedAt(), finishedAt));
    }
    startWaiting();
    jobChanged.accept(JobPods.jobNameOf(pod));
  }

  private void deleteNow(Pod pod) {
    String name = pod.getMetadata().getName();
    waiting.remove(name);
    stuck.remove(name);
    mountWaiting.remove(name);
    pods().withName(name).delete();
    PodSandbox.of(config.podsDir(), name).delete();
  }

  /** Writes the pod's status from its latest version; null if the pod is gone. */
  private Pod writeStatus(String name, Function<Pod, PodStatus> status) {
    return StatusWrites.update(
        pods(),
        name,
        p -> {
          p.setStatus(status.apply(p));
          return p;
        });
  }

  private NonNamespaceOperation<Pod, ?, PodResource> pods() {
    return client.pods().inNamespace(namespace);
  }

  private static Duration gracePeriod(Pod pod) {
    Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    return Duration.ofSeconds(seconds == null ? DEFAULT_GRACE_SECONDS : seconds);
  }
}
