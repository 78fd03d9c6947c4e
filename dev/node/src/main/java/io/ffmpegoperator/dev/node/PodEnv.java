package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A container's environment as the local node gives it, whichever runtime runs the container. */
final class PodEnv {
  private static final Logger LOG = LoggerFactory.getLogger(PodEnv.class);

  private PodEnv() {}

  /**
   * The container's variables with plain values (an unset value as ""), in order. {@code valueFrom}
   * is not resolved on the local node: such a variable is left out, and logged.
   */
  static List<EnvVar> plain(Pod pod, Container container) {
    List<EnvVar> vars = new ArrayList<>();
    for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      if (var.getValue() == null && var.getValueFrom() != null) {
        LOG.warn(
            "Pod {}: env {} uses valueFrom, which the local node does not resolve; left unset",
            pod.getMetadata().getName(),
            var.getName());
        continue;
      }
      vars.add(new EnvVar(var.getName(), var.getValue() == null ? "" : var.getValue(), null));
    }
    return vars;
  }
}
