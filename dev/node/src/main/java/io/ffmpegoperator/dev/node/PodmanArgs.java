package io.ffmpegoperator.dev.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code podman create} arguments for a pod's first container: what a kubelet asks of its
 * container runtime, from the pod's and the container's spec.
 *
 * <ul>
 *   <li>user and groups: {@code runAsUser}/{@code runAsGroup} (container over pod), {@code fsGroup}
 *       and {@code supplementalGroups} as extra groups; {@code runAsNonRoot} is checked first, see
 *       {@link #nonRootProblem};
 *   <li>{@code readOnlyRootFilesystem} (without podman's extra tmpfs mounts, which a kubelet does
 *       not add), {@code capabilities}, {@code allowPrivilegeEscalation: false} as {@code
 *       no-new-privileges}, {@code privileged}, {@code seccompProfile} (unset means Unconfined, as
 *       on a kubelet without SeccompDefault);
 *   <li>{@code resources}: memory limit (no swap above it), memory request as a soft reservation,
 *       CPU limit as a CFS quota, CPU request as shares (the kubelet's milli-CPU × 1024 / 1000);
 *   <li>{@code emptyDir} volumes as folders of the pod's sandbox (medium Memory as a tmpfs of its
 *       {@code sizeLimit}), {@code secret} volumes read-only, {@code subPath}s;
 *   <li>env (plain values; {@code valueFrom} is not resolved here, as in process mode), command,
 *       args, working dir, the pod's name as host name, the grace period as stop timeout.
 * </ul>
 *
 * <p>The container shares the host's network, so pods reach the stack's loopback services as they
 * do as processes; on a cluster they would have their own network namespace.
 */
final class PodmanArgs {
  private static final Logger LOG = LoggerFactory.getLogger(PodmanArgs.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The label that marks a node's containers, valued with its pods folder. */
  static final String NODE_LABEL = "io.ffmpeg-operator.local-node";

  /** The kubelet's minimum CPU shares. */
  private static final long MIN_SHARES = 2;

  private PodmanArgs() {}

  /**
   * The uid the container would run as, and why it may not; empty when {@code runAsNonRoot} is
   * unset or holds. {@code imageUser} is the image's USER ("" for root).
   */
  static Optional<String> nonRootProblem(Pod pod, String imageUser) {
    Boolean nonRoot =
        pick(pod, SecurityContext::getRunAsNonRoot, PodSecurityContext::getRunAsNonRoot);
    if (!Boolean.TRUE.equals(nonRoot)) {
      return Optional.empty();
    }
    Long uid = pick(pod, SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
    if (uid != null) {
      return uid == 0
          ? Optional.of("container's runAsUser breaks non-root policy (pod has runAsNonRoot)")
          : Optional.empty();
    }
    String user = imageUser == null ? "" : imageUser.split(":")[0];
    if (user.isEmpty() || user.equals("0") || user.equals("root")) {
      return Optional.of("container has runAsNonRoot and image will run as root");
    }
    if (!user.chars().allMatch(Character::isDigit)) {
      return Optional.of(
          "container has runAsNonRoot and image has non-numeric user ("
              + user
              + "), cannot verify user is non-root");
    }
    return Optional.empty();
  }

  /** The arguments after {@code podman}: {@code create ... <image> [args]}. */
  static List<String> create(Pod pod, PodSandbox sandbox, String containerName, String nodeLabel) {
    Container container = pod.getSpec().getContainers().get(0);
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of("create", "--name", containerName, "--label", NODE_LABEL + "=" + nodeLabel));
    // A container of the same name can be left from a start that failed half-way.
    args.add("--replace");
    // Images come from `make images`, never from a registry.
    args.add("--pull=never");
    args.add("--network=host");
    args.addAll(List.of("--hostname", pod.getMetadata().getName()));
    Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    args.addAll(List.of("--stop-timeout", String.valueOf(grace == null ? 30 : grace)));
    security(pod, args);
    resources(container, args);
    volumes(pod, container, sandbox, args);
    for (EnvVar var : PodEnv.plain(pod, container)) {
      args.addAll(List.of("--env", var.getName() + "=" + var.getValue()));
    }
    if (container.getWorkingDir() != null && !container.getWorkingDir().isEmpty()) {
      args.addAll(List.of("--workdir", container.getWorkingDir()));
    }
    if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      // The command replaces the image's ENTRYPOINT (and its CMD); the JSON form keeps each part.
      args.addAll(List.of("--entrypoint", jsonArray(container.getCommand())));
    }
    args.add(container.getImage());
    args.addAll(orEmpty(container.getArgs()));
    return args;
  }

  private static void security(Pod pod, List<String> args) {
    Long uid = pick(pod, SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
    Long gid = pick(pod, SecurityContext::getRunAsGroup, PodSecurityContext::getRunAsGroup);
    if (uid != null) {
      args.addAll(List.of("--user", gid == null ? uid.toString() : uid + ":" + gid));
    } else if (gid != null) {
      LOG.warn("Pod {}: runAsGroup without runAsUser is not applied", pod.getMetadata().getName());
    }
    PodSecurityContext podContext = pod.getSpec().getSecurityContext();
    if (podContext != null) {
      if (podContext.getFsGroup() != null) {
        args.addAll(List.of("--group-add", podContext.getFsGroup().toString()));
      }
      orEmpty(podContext.getSupplementalGroups())
          .forEach(g -> args.addAll(List.of("--group-add", g.toString())));
    }
    SecurityContext own = pod.getSpec().getContainers().get(0).getSecurityContext();
    if (own != null) {
      if (Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
        args.add("--read-only");
        args.add("--read-only-tmpfs=false");
      }
      if (Boolean.TRUE.equals(own.getPrivileged())) {
        args.add("--privileged");
      }
      if (Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
        args.addAll(List.of("--security-opt", "no-new-privileges"));
      }
      Capabilities caps = own.getCapabilities();
      if (caps != null) {
        orEmpty(caps.getDrop()).forEach(c -> args.add("--cap-drop=" + c));
        orEmpty(caps.getAdd()).forEach(c -> args.add("--cap-add=" + c));
      }
    }
    SeccompProfile seccomp =
        pick(pod, SecurityContext::getSeccompProfile, PodSecurityContext::getSeccompProfile);
    String type = seccomp == null ? "Unconfined" : seccomp.getType();
    switch (type) {
      case "RuntimeDefault" -> {
        // podman's default profile is the runtime's default.
      }
      case "Localhost" ->
          args.addAll(List.of("--security-opt", "seccomp=" + seccomp.getLocalhostProfile()));
      default -> args.addAll(List.of("--security-opt", "seccomp=unconfined"));
    }
  }

  private static void resources(Container container, List<String> args) {
    if (container.getResources() == null) {
      return;
    }
    Map<String, Quantity> limits = orEmpty(container.getResources().getLimits());
    Map<String, Quantity> requests = orEmpty(container.getResources().getRequests());
    if (limits.containsKey("memory")) {
      String bytes = bytes(limits.get("memory"));
      // memory-swap equal to memory: no swap beyond the limit, as a kubelet sets it.
      args.addAll(List.of("--memory", bytes, "--memory-swap", bytes));
    }
    if (requests.containsKey("memory")) {
      args.addAll(List.of("--memory-reservation", bytes(requests.get("memory"))));
    }
    if (limits.containsKey("cpu")) {
      BigDecimal cores = Quantity.getAmountInBytes(limits.get("cpu"));
      args.addAll(List.of("--cpus", cores.setScale(3, RoundingMode.UP).toPlainString()));
    }
    if (requests.containsKey("cpu")) {
      BigDecimal milli = Quantity.getAmountInBytes(requests.get("cpu")).movePointRight(3);
      long shares =
          milli
              .multiply(BigDecimal.valueOf(1024))
              .divide(BigDecimal.valueOf(1000), 0, RoundingMode.DOWN)
              .longValue();
      args.addAll(List.of("--cpu-shares", String.valueOf(Math.max(MIN_SHARES, shares))));
    }
  }

  private static void volumes(Pod pod, Container container, PodSandbox sandbox, List<String> args) {
    for (VolumeMount mount : orEmpty(container.getVolumeMounts())) {
      Volume volume =
          orEmpty(pod.getSpec().getVolumes()).stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("no volume named " + mount.getName()));
      boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly()) || volume.getSecret() != null;
      EmptyDirVolumeSource emptyDir = volume.getEmptyDir();
      if (emptyDir != null && "Memory".equals(emptyDir.getMedium())) {
        String size =
            emptyDir.getSizeLimit() == null ? "" : ",tmpfs-size=" + bytes(emptyDir.getSizeLimit());
        args.addAll(
            List.of(
                "--mount",
                "type=tmpfs,destination=" + mount.getMountPath() + size + ",tmpfs-mode=1777"));
        continue;
      }
      if (emptyDir == null && volume.getSecret() == null) {
        throw new IllegalArgumentException(
            "volume " + volume.getName() + ": only emptyDir and secret volumes are supported");
      }
      args.addAll(
          List.of(
              "--volume",
              sandbox.mountDir(mount) + ":" + mount.getMountPath() + (readOnly ? ":ro" : ":rw")));
    }
  }

  /** A value of the container's security context, else of the pod's. */
  private static <T> T pick(
      Pod pod, Function<SecurityContext, T> own, Function<PodSecurityContext, T> podWide) {
    SecurityContext container = pod.getSpec().getContainers().get(0).getSecurityContext();
    T value = container == null ? null : own.apply(container);
    if (value != null) {
      return value;
    }
    PodSecurityContext context = pod.getSpec().getSecurityContext();
    return context == null ? null : podWide.apply(context);
  }

  private static String bytes(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity).setScale(0, RoundingMode.UP).toPlainString();
  }

  private static String jsonArray(List<String> parts) {
    try {
      return JSON.writeValueAsString(parts);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
