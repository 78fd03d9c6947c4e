package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;

/** Pod statuses the way the kubelet writes them, for each step of a pod's life on this node. */
final class PodStatuses {
  static final String PENDING = "Pending";
  static final String RUNNING = "Running";
  static final String SUCCEEDED = "Succeeded";
  static final String FAILED = "Failed";

  /**
   * What the node lifecycle controller writes on pods of a node that stopped answering (Kubernetes'
   * {@code NodeUnreachablePodReason}).
   */
  static final String NODE_LOST = "NodeLost";

  private static final String HOST_IP = "127.0.0.1";

  private PodStatuses() {}

  /** Accepted, not started: scheduled to this node, waiting for a free slot. */
  static PodStatus pending(Pod pod, Instant now) {
    return new PodStatusBuilder()
        .withPhase(PENDING)
        .withConditions(condition("PodScheduled", "True", null, null, now))
        .withQosClass("BestEffort")
        .build();
  }

  /** The container cannot start (no image, a bad config): the pod stays Pending, waiting. */
  static PodStatus cannotStart(Pod pod, ContainerRuntime.Waiting why, Instant now) {
    return waiting(pod, why.reason(), why.message(), now);
  }

  /**
   * A volume cannot be mounted yet (its Secret is missing): the pod stays Pending, as a kubelet
   * keeps it in ContainerCreating and tries again.
   */
  static PodStatus mountPending(Pod pod, String message, Instant now) {
    return waiting(pod, "ContainerCreating", message, now);
  }

  /** Pending on this node, its container waiting for {@code reason}. */
  private static PodStatus waiting(Pod pod, String reason, String message, Instant now) {
    ContainerState waiting =
        new ContainerStateBuilder()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .build();
    return new PodStatusBuilder(pending(pod, now))
        .withHostIP(HOST_IP)
        .withStartTime(Timestamps.format(now))
        .withContainerStatuses(containerStatus(container(pod), null, false, waiting))
        .build();
  }

  static PodStatus running(Pod pod, Instant startedAt, String containerId) {
    Container c = container(pod);
    String at = Timestamps.format(startedAt);
    ContainerState running =
        new ContainerStateBuilder().withNewRunning().withStartedAt(at).endRunning().build();
    return new PodStatusBuilder()
        .withPhase(RUNNING)
        .withHostIP(HOST_IP)
        .withPodIP(HOST_IP)
        .withStartTime(at)
        .withQosClass("BestEffort")
        .withConditions(
            condition("Initialized", "True", null, null, startedAt),
            condition("Ready", "True", null, null, startedAt),
            condition("ContainersReady", "True", null, null, startedAt),
            condition("PodScheduled", "True", null, null, startedAt))
        .withContainerStatuses(containerStatus(c, containerId, true, running))
        .build();
  }

  /**
   * The container exited: Succeeded on 0, else Failed (restartPolicy Never); its reason is the
   * runtime's (OOMKilled) or, as a kubelet says, Completed or Error.
   */
  static PodStatus terminated(
      Pod pod,
      String containerId,
      ContainerRuntime.Ended ended,
      Instant startedAt,
      Instant finishedAt) {
    int code = ended.exitCode();
    String reason = ended.reason() != null ? ended.reason() : code == 0 ? "Completed" : "Error";
    // The kubelet keeps the id of the container that ended.
    return ended(pod, containerId, code, reason, null, startedAt, finishedAt, null);
  }

  /** The program could not be started at all; runtimes report exit code 128, StartError. */
  static PodStatus startFailed(Pod pod, String message, Instant now) {
    return ended(pod, null, 128, "StartError", message, now, now, null);
  }

  /**
   * A pod that was Running when the node went away: Failed with reason NodeLost, and the
   * container's state unknown, which the kubelet reports as exit code 137, ContainerStatusUnknown.
   */
  static PodStatus lost(Pod pod, Instant now) {
    Instant startedAt = runningSince(pod);
    String message =
        "Node "
            + JobPods.NODE_NAME
            + " which was running pod "
            + pod.getMetadata().getName()
            + " is unresponsive";
    return ended(
        pod,
        null,
        137,
        "ContainerStatusUnknown",
        "The container could not be located when the pod was terminated",
        startedAt == null ? now : startedAt,
        now,
        message);
  }

  private static PodStatus ended(
      Pod pod,
      String containerId,
      int exitCode,
      String reason,
      String message,
      Instant startedAt,
      Instant finishedAt,
      String lostMessage) {
    Container c = container(pod);
    boolean succeeded = exitCode == 0;
    ContainerState terminated =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withContainerID(containerId)
            .withReason(reason)
            .withMessage(message)
            .withStartedAt(Timestamps.format(startedAt))
            .withFinishedAt(Timestamps.format(finishedAt))
            .endTerminated()
            .build();
    String notReady = succeeded ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage =
        succeeded ? null : "containers with unready status: [" + c.getName() + "]";
    PodStatus previous = pod.getStatus();
    String podStart = previous == null ? null : previous.getStartTime();
    return new PodStatusBuilder()
        .withPhase(succeeded ? SUCCEEDED : FAILED)
        .withReason(lostMessage == null ? null : NODE_LOST)
        .withMessage(lostMessage)
        .withHostIP(HOST_IP)
        .withStartTime(podStart != null ? podStart : Timestamps.format(startedAt))
        .withQosClass("BestEffort")
        .withConditions(
            condition("Initialized", "True", null, null, startedAt),
            condition("Ready", "False", notReady, notReadyMessage, finishedAt),
            condition("ContainersReady", "False", notReady, notReadyMessage, finishedAt),
            condition("PodScheduled", "True", null, null, startedAt))
        .withContainerStatuses(containerStatus(c, containerId, false, terminated))
        .build();
  }

  private static Instant runningSince(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getRunning() != null)
        .map(s -> Timestamps.parse(s.getRunning().getStartedAt()))
        .findFirst()
        .orElse(null);
  }

  private static Container container(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  private static ContainerStatus containerStatus(
      Container c, String containerId, boolean running, ContainerState state) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withContainerID(containerId)
        .withReady(running)
        .withStarted(running)
        .withRestartCount(0)
        .withState(state)
        .build();
  }

  private static PodCondition condition(
      String type, String status, String reason, String message, Instant at) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(Timestamps.format(at))
        .build();
  }

  static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return SUCCEEDED.equals(phase) || FAILED.equals(phase);
  }

  static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  /** Running and Ready, as the job controller counts {@code ready}. */
  static boolean isReady(Pod pod) {
    if (!RUNNING.equals(phase(pod)) || pod.getStatus().getConditions() == null) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions.stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
