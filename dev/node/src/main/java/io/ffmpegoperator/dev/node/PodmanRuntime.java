package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each pod's container as a podman container of its image ({@link PodmanArgs} says how the
 * spec maps). The container is created, then started attached, so its output goes to the pod's log
 * files as a process's does and the attached {@code podman start} ends when the container does;
 * then the runtime's own record says the exit code and whether the kernel killed it for memory, and
 * the container is removed.
 */
final class PodmanRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(PodmanRuntime.class);

  /** A podman call that is not a container's run (create, inspect, kill, rm) takes at most this. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final PodmanSettings settings;
  private final String nodeLabel;

  PodmanRuntime(PodmanSettings settings, Path podsDir) {
    this.settings = settings;
    this.nodeLabel = podsDir.toAbsolutePath().normalize().toString();
  }

  @Override
  public Optional<Waiting> cannotStart(Pod pod) {
    String image = pod.getSpec().getContainers().get(0).getImage();
    Call user = call("image", "inspect", "--format", "{{.Config.User}}", image);
    if (user.exitCode() != 0) {
      return Optional.of(
          new Waiting(
              "ErrImagePull",
              "image "
                  + image
                  + " is not in podman's local images (`make images` builds the project's)"));
    }
    return PodmanArgs.nonRootProblem(pod, user.out().strip())
        .map(message -> new Waiting("CreateContainerConfigError", message));
  }

  @Override
  public Running start(Pod pod, PodSandbox sandbox) throws IOException {
    prepareVolumes(pod, sandbox);
    String name = containerName(pod);
    Call created = call(PodmanArgs.create(pod, sandbox, name, nodeLabel).toArray(String[]::new));
    if (created.exitCode() != 0) {
      throw new IOException("podman create failed: " + created.err().strip());
    }
    String id = created.out().strip();
    ProcessBuilder builder =
        command("start", "--attach", id)
            .redirectInput(Redirect.from(new File("/dev/null")))
            .redirectOutput(sandbox.stdout().toFile())
            .redirectError(sandbox.stderr().toFile());
    Instant startedAt = Instant.now();
    return new Container(id, builder.start(), startedAt);
  }

  @Override
  public void removeLeftovers() {
    Call left =
        call(
            "ps",
            "--all",
            "--quiet",
            "--filter",
            "label=" + PodmanArgs.NODE_LABEL + "=" + nodeLabel);
    List<String> ids = left.out().lines().filter(l -> !l.isBlank()).toList();
    if (!ids.isEmpty()) {
      LOG.info("Removing {} container(s) left by an earlier run of this node", ids.size());
      List<String> rm = new ArrayList<>(List.of("rm", "--force"));
      rm.addAll(ids);
      call(rm.toArray(String[]::new));
    }
  }

  /**
   * What a kubelet does to volumes before the container starts: an emptyDir is writable by every
   * user (mode 0777), and the files of a secret volume belong to the pod's fsGroup, so a non-root
   * container can read a 0440 token.
   */
  private static void prepareVolumes(Pod pod, PodSandbox sandbox) throws IOException {
    PodSecurityContext context = pod.getSpec().getSecurityContext();
    Long fsGroup = context == null ? null : context.getFsGroup();
    for (Volume volume : orEmpty(pod.getSpec().getVolumes())) {
      Path dir = sandbox.volume(volume.getName());
      if (volume.getEmptyDir() != null) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      } else if (volume.getSecret() != null && fsGroup != null && Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.toList()) {
            Files.setAttribute(file, "unix:gid", fsGroup.intValue());
          }
        }
      }
    }
  }

  /** Unique per namespace and pod on this machine. */
  private static String containerName(Pod pod) {
    return "ffop-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName();
  }

  private ProcessBuilder command(String... args) {
    List<String> line = new ArrayList<>();
    line.add(settings.command());
    line.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(line);
    if (settings.containersConf() != null) {
      builder.environment().put("CONTAINERS_CONF", settings.containersConf().toString());
    }
    return builder;
  }

  private record Call(int exitCode, String out, String err) {}

  /** Runs one podman command to its end. */
  private Call call(String... args) {
    try {
      Path err = Files.createTempFile("podman", ".err");
      try {
        Process process =
            command(args)
                .redirectInput(Redirect.from(new File("/dev/null")))
                .redirectError(err.toFile())
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          return new Call(-1, out, "podman " + args[0] + " did not answer in " + CALL_TIMEOUT);
        }
        return new Call(process.exitValue(), out, Files.readString(err));
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Call(-1, "", "interrupted");
    }
  }

  /** One container, run by its attached {@code podman start}. */
  private final class Container implements Running {
    private final String id;
    private final Process attached;
    private final Instant startedAt;
    private final CompletableFuture<Ended> ended;

    Container(String id, Process attached, Instant startedAt) {
      this.id = id;
      this.attached = attached;
      this.startedAt = startedAt;
      this.ended = attached.onExit().thenApplyAsync(p -> ended(p.exitValue()));
    }

    /** The runtime's record of the end, then the container is removed. */
    private Ended ended(int attachedExit) {
      Call state = call("inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}}", id);
      call("rm", "--force", "--ignore", id);
      String[] fields = state.out().strip().split(" ");
      if (state.exitCode() != 0 || fields.length != 2) {
        LOG.warn("Container {}: no state from podman ({}); using its exit code", id, state.err());
        return new Ended(attachedExit, null);
      }
      int exitCode = Integer.parseInt(fields[0]);
      return new Ended(exitCode, Boolean.parseBoolean(fields[1]) ? Ended.OOM_KILLED : null);
    }

    @Override
    public String containerId() {
      return "podman://" + id;
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public CompletableFuture<Ended> onExit() {
      return ended;
    }

    @Override
    public void kill(Duration grace, ScheduledExecutorService timer) {
      // podman stop: the image's stop signal (SIGTERM), SIGKILL after the timeout.
      CompletableFuture.runAsync(
          () -> call("stop", "--ignore", "--time", String.valueOf(grace.toSeconds()), id));
    }

    @Override
    public void terminate() {
      call("kill", "--signal", "TERM", id);
    }

    @Override
    public void awaitOrKill(Duration grace) {
      try {
        ended.get(Math.max(grace.toMillis(), 0), TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException | ExecutionException e) {
        // Did not stop in time: SIGKILL below.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      call("rm", "--force", "--time", "0", id);
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
