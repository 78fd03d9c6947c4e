package io.ffmpegoperator.dev.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the local node runs one container image: the local program and arguments that stand for the
 * image's ENTRYPOINT, directories put first on PATH, the image's extra environment and its WORKDIR.
 *
 * @param entrypoint the image's ENTRYPOINT, as a local executable and its leading arguments; a
 *     container's {@code command} replaces it, its {@code args} follow it
 * @param path directories put in front of PATH, in this order
 * @param env environment the image brings (a container's own {@code env} wins over it)
 * @param workingDir the image's WORKDIR, used when the container sets no {@code workingDir}; may be
 *     null
 */
public record LocalImage(
    List<String> entrypoint, List<Path> path, Map<String, String> env, String workingDir) {

  public LocalImage {
    entrypoint = List.copyOf(entrypoint);
    path = List.copyOf(path);
    env = Map.copyOf(env);
  }

  /** An image whose ENTRYPOINT is the given local command, e.g. {@code of("/bin/sh", "-c")}. */
  public static LocalImage of(String... entrypoint) {
    return new LocalImage(Arrays.asList(entrypoint), List.of(), Map.of(), null);
  }

  /** This image with {@code dirs} put in front of PATH (after any added before). */
  public LocalImage withPath(Path... dirs) {
    List<Path> joined = new ArrayList<>(path);
    joined.addAll(Arrays.asList(dirs));
    return new LocalImage(entrypoint, joined, env, workingDir);
  }

  /** This image with one more environment variable. */
  public LocalImage withEnv(String name, String value) {
    Map<String, String> joined = new LinkedHashMap<>(env);
    joined.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    return new LocalImage(entrypoint, path, joined, workingDir);
  }

  /** This image with a WORKDIR (a container path, mapped like the container's own). */
  public LocalImage withWorkingDir(String dir) {
    return new LocalImage(entrypoint, path, env, dir);
  }
}
