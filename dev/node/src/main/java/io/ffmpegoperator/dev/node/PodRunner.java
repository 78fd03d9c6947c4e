package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** One pod's container running as a local process tree: started, watched to its exit, killed. */
final class PodRunner implements ContainerRuntime.Running {
  private final Process process;
  private final Instant startedAt;
  private boolean killing;
  private List<ProcessHandle> terminated = List.of();

  private PodRunner(Process process, Instant startedAt) {
    this.process = process;
    this.startedAt = startedAt;
  }

  /** Starts the pod's first container in its prepared sandbox. */
  static PodRunner start(Pod pod, LocalImage image, LocalNodeConfig config, PodSandbox sandbox)
      throws IOException {
    ContainerLaunch launch = ContainerLaunch.of(pod, image, config.extraEnv(), sandbox);
    ProcessBuilder builder =
        new ProcessBuilder(launch.command())
            .directory(launch.workingDir().toFile())
            // A container has no stdin unless asked; a pipe nobody writes would hang readers.
            .redirectInput(Redirect.from(new File("/dev/null")))
            .redirectOutput(sandbox.stdout().toFile())
            .redirectError(sandbox.stderr().toFile());
    builder.environment().clear();
    builder.environment().putAll(launch.env());
    Instant startedAt = Instant.now();
    return new PodRunner(builder.start(), startedAt);
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public String containerId() {
    return "local://" + process.pid();
  }

  @Override
  public CompletableFuture<ContainerRuntime.Ended> onExit() {
    return process.onExit().thenApply(p -> new ContainerRuntime.Ended(p.exitValue(), null));
  }

  /**
   * Sends SIGTERM to the whole tree, then SIGKILL to what is left after {@code grace}. The tree is
   * taken first: once the main process dies its children are re-parented and out of reach.
   */
  @Override
  public void kill(Duration grace, ScheduledExecutorService timer) {
    if (killing) {
      return;
    }
    killing = true;
    List<ProcessHandle> tree = tree();
    tree.forEach(ProcessHandle::destroy);
    timer.schedule(() -> forceKill(tree), grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends SIGTERM to the whole tree now, for a node shutting down. */
  @Override
  public void terminate() {
    killing = true;
    terminated = tree();
    terminated.forEach(ProcessHandle::destroy);
  }

  /** Waits up to {@code grace} for the process, then kills what is left of the tree. */
  @Override
  public void awaitOrKill(Duration grace) {
    try {
      process.onExit().get(Math.max(grace.toMillis(), 0), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Did not stop in time: SIGKILL below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    forceKill(terminated);
  }

  /**
   * The main process first, as a runtime signals it first: if a child died first, a shell waiting
   * on it could exit 0 before its own signal arrived.
   */
  private List<ProcessHandle> tree() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
  }

  private void forceKill(List<ProcessHandle> tree) {
    // ProcessHandle checks the start time too, so a recycled pid is never hit.
    Stream.concat(tree.stream(), process.descendants())
        .filter(ProcessHandle::isAlive)
        .forEach(ProcessHandle::destroyForcibly);
  }
}
