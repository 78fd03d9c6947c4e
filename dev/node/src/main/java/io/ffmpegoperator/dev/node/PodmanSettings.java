package io.ffmpegoperator.dev.node;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the local node runs pods as podman containers.
 *
 * @param command the podman program
 * @param containersConf a containers.conf for every podman call (runtime, rlimits), or null to use
 *     podman's own lookup ({@code CONTAINERS_CONF}, then the system's)
 */
public record PodmanSettings(String command, Path containersConf) {
  public PodmanSettings {
    Objects.requireNonNull(command, "command");
  }

  /** podman from PATH with the given containers.conf (null: podman's own). */
  public static PodmanSettings of(Path containersConf) {
    return new PodmanSettings("podman", containersConf);
  }
}
