package io.ffmpegoperator.dev.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Files of the project's checkout that the stack uses when it runs from one. */
public final class ProjectFiles {
  private ProjectFiles() {}

  /**
   * The checkout's root: the nearest folder at or above the working directory holding {@code
   * images/images.properties} (make runs the stack from the root, Maven's tests from a module).
   */
  public static Optional<Path> root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("images/images.properties"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /**
   * The project's podman settings ({@code images/containers.conf}) unless {@code CONTAINERS_CONF}
   * names the user's own; null means podman's own lookup.
   */
  public static Path containersConf() {
    if (System.getenv("CONTAINERS_CONF") != null) {
      return null;
    }
    return root()
        .map(r -> r.resolve("images/containers.conf"))
        .filter(Files::isRegularFile)
        .orElse(null);
  }
}
