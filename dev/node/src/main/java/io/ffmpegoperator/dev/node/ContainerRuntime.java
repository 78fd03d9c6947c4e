package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What runs a pod's container on the local node: local processes standing in for images ({@link
 * ProcessRuntime}), or real containers of real images ({@link PodmanRuntime}). The kubelet's part
 * (admission, statuses, volumes, retries) is the same for both.
 */
interface ContainerRuntime {

  /**
   * Why the pod's container cannot start here, as the waiting reason and message a kubelet shows
   * (ErrImagePull, CreateContainerConfigError); empty when it can. The pod stays Pending.
   */
  Optional<Waiting> cannotStart(Pod pod);

  /** Starts the pod's first container in {@code sandbox}, whose volumes are already mounted. */
  Running start(Pod pod, PodSandbox sandbox) throws IOException;

  /** Removes what an earlier run of the node left behind (containers of pods it no longer runs). */
  default void removeLeftovers() {}

  /** One started container: watched to its end, stopped. */
  interface Running {
    /** The container's id as pod status shows it, e.g. {@code podman://<id>}. */
    String containerId();

    java.time.Instant startedAt();

    /** Completes with how the container ended. */
    CompletableFuture<Ended> onExit();

    /** SIGTERM now, SIGKILL after {@code grace} if still running. */
    void kill(Duration grace, ScheduledExecutorService timer);

    /** SIGTERM now, for a node shutting down; {@link #awaitOrKill} follows. */
    void terminate();

    /** Waits up to {@code grace} for the end, then SIGKILL. */
    void awaitOrKill(Duration grace);
  }

  /** A container's waiting reason and message. */
  record Waiting(String reason, String message) {}

  /**
   * How a container ended: its exit code and, when the kernel killed it for memory, {@code
   * OOMKilled} as its reason (else null: Completed or Error by the code).
   */
  record Ended(int exitCode, String reason) {
    static final String OOM_KILLED = "OOMKilled";
  }
}
