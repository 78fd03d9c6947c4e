package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One pod run as a podman container outside any Job, the way the local node runs a Job's pod (same
 * security context, limits, volumes and secrets): for tests that run the platform's own
 * Deployments' pods from their images. Env {@code valueFrom} is not resolved; pass plain values.
 */
public final class PodmanPod implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final ContainerRuntime.Running running;
  private final PodSandbox sandbox;

  private PodmanPod(ContainerRuntime.Running running, PodSandbox sandbox) {
    this.running = running;
    this.sandbox = sandbox;
  }

  /**
   * Starts {@code pod} (its first container) with its secret volumes read from {@code client};
   * fails if the container cannot start (no image, runAsNonRoot broken, a Secret missing).
   */
  public static PodmanPod start(
      KubernetesClient client, PodmanSettings settings, Pod pod, Path podsDir) throws IOException {
    PodmanRuntime runtime = new PodmanRuntime(settings, podsDir);
    Optional<ContainerRuntime.Waiting> problem = runtime.cannotStart(pod);
    if (problem.isPresent()) {
      throw new IOException(problem.get().reason() + ": " + problem.get().message());
    }
    PodSandbox sandbox = PodSandbox.of(podsDir, pod.getMetadata().getName());
    var mounts = pod.getSpec().getContainers().get(0).getVolumeMounts();
    sandbox.create(mounts == null ? List.of() : mounts);
    Optional<String> missing =
        new SecretVolumes(client, pod.getMetadata().getNamespace()).mount(pod, sandbox);
    if (missing.isPresent()) {
      throw new IOException("volumes: " + missing.get());
    }
    return new PodmanPod(runtime.start(pod, sandbox), sandbox);
  }

  /** {@code podman://<id>}. */
  public String containerId() {
    return running.containerId();
  }

  public boolean isRunning() {
    return !running.onExit().isDone();
  }

  /** What the container wrote so far, stdout then stderr. */
  public String logs() {
    try {
      return read(sandbox.stdout()) + read(sandbox.stderr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  /** Stops the container (SIGTERM, SIGKILL after a grace period) and removes it. */
  @Override
  public void close() {
    running.terminate();
    running.awaitOrKill(STOP_GRACE);
    running.onExit().join();
  }
}
