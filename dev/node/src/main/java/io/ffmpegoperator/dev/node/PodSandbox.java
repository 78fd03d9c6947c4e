package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one pod lives on disk: {@code podsDir/<pod>/} holding {@code logs/} and {@code
 * volumes/<volume>/}, and how the container's paths map there (the local stand-in for mounts).
 */
record PodSandbox(Path root) {

  static PodSandbox of(Path podsDir, String podName) {
    return new PodSandbox(podsDir.resolve(safeSegment(podName)));
  }

  Path logs() {
    return root.resolve("logs");
  }

  Path stdout() {
    return logs().resolve("stdout.log");
  }

  Path stderr() {
    return logs().resolve("stderr.log");
  }

  /** The directory that stands for a volume; a separate folder so no volume name meets logs/. */
  Path volume(String name) {
    return root.resolve("volumes").resolve(safeSegment(name));
  }

  /** What the container sees at a mount's path: the volume's directory, or its subPath. */
  Path mountDir(VolumeMount mount) {
    Path dir = volume(mount.getName());
    String subPath = mount.getSubPath();
    if (subPath == null || subPath.isEmpty()) {
      return dir;
    }
    Path resolved = dir.resolve(subPath).normalize();
    if (!resolved.startsWith(dir)) {
      throw new IllegalArgumentException("subPath leaves its volume: " + subPath);
    }
    return resolved;
  }

  void create(List<VolumeMount> mounts) throws IOException {
    Files.createDirectories(logs());
    for (VolumeMount mount : mounts) {
      Files.createDirectories(mountDir(mount));
    }
  }

  /**
   * The local path for a container path at or under a mount path, else the value unchanged. Paths
   * are what a bind mount would make them; anything else (URLs, JSON, relative paths) is left as
   * is.
   */
  String localize(String value, List<VolumeMount> mounts) {
    VolumeMount best = null;
    for (VolumeMount mount : mounts) {
      String mountPath = trimSlash(mount.getMountPath());
      boolean under = value.equals(mountPath) || value.startsWith(mountPath + "/");
      if (!mountPath.isEmpty()
          && under
          && (best == null || mountPath.length() > trimSlash(best.getMountPath()).length())) {
        best = mount;
      }
    }
    if (best == null) {
      return value;
    }
    String rest = value.substring(trimSlash(best.getMountPath()).length());
    return mountDir(best).toString() + rest;
  }

  /** The container's working dir mapped into a volume, or the sandbox root if it is in none. */
  Path workingDir(String containerDir, List<VolumeMount> mounts) {
    if (containerDir == null || containerDir.isEmpty()) {
      return root;
    }
    String local = localize(containerDir, mounts);
    return local.equals(containerDir) ? root : Path.of(local);
  }

  void delete() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Names become folder names: refuse any that could climb out of the sandbox. */
  private static String safeSegment(String name) {
    if (name == null
        || name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.contains("/")
        || name.contains("\0")) {
      throw new IllegalArgumentException("Not usable as a folder name: " + name);
    }
    return name;
  }
}
