package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The local process that stands for a pod's first container: its command line, environment and
 * working directory, resolved the way a container runtime resolves them from image and spec.
 */
record ContainerLaunch(List<String> command, Map<String, String> env, Path workingDir) {
  /**
   * Host variables a process needs to behave (find programs, a home, a locale). The rest of the
   * host's environment stays out, as it would from a container: a pod must not see the host's
   * credentials.
   */
  private static final List<String> HOST_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ");

  static ContainerLaunch of(
      Pod pod, LocalImage image, Map<String, String> nodeEnv, PodSandbox sandbox) {
    Container container = pod.getSpec().getContainers().get(0);
    List<VolumeMount> mounts = orEmpty(container.getVolumeMounts());

    Map<String, String> env = new LinkedHashMap<>();
    HOST_ENV.stream()
        .filter(n -> System.getenv(n) != null)
        .forEach(n -> env.put(n, System.getenv(n)));
    env.put("HOSTNAME", pod.getMetadata().getName());
    env.putAll(nodeEnv);
    env.putAll(image.env());
    if (!image.path().isEmpty()) {
      String front =
          image.path().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
      String rest = env.get("PATH");
      env.put("PATH", rest == null ? front : front + File.pathSeparator + rest);
    }
    for (EnvVar var : PodEnv.plain(pod, container)) {
      env.put(var.getName(), sandbox.localize(var.getValue(), mounts));
    }

    // As a runtime does: the container's command replaces the ENTRYPOINT, its args follow.
    List<String> command = new ArrayList<>();
    if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      container.getCommand().forEach(part -> command.add(sandbox.localize(part, mounts)));
    } else {
      command.addAll(image.entrypoint());
    }
    orEmpty(container.getArgs()).forEach(arg -> command.add(sandbox.localize(arg, mounts)));
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command: the container sets none and the image none");
    }
    command.set(0, resolve(command.get(0), env.get("PATH")));

    String workingDir =
        container.getWorkingDir() != null ? container.getWorkingDir() : image.workingDir();
    return new ContainerLaunch(
        List.copyOf(command), Map.copyOf(env), sandbox.workingDir(workingDir, mounts));
  }

  /**
   * Looks a bare program name up on the pod's PATH. Java would search the JVM's own PATH instead,
   * so an image's PATH additions would not count.
   */
  static String resolve(String program, String path) {
    if (program.contains("/") || path == null) {
      return program;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return program;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
