package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.Optional;

/**
 * Runs each container as a local process, its image mapped to a local program ({@link LocalImage}).
 */
final class ProcessRuntime implements ContainerRuntime {
  private final LocalNodeConfig config;

  ProcessRuntime(LocalNodeConfig config) {
    this.config = config;
  }

  @Override
  public Optional<Waiting> cannotStart(Pod pod) {
    String image = pod.getSpec().getContainers().get(0).getImage();
    return config.images().containsKey(image)
        ? Optional.empty()
        : Optional.of(
            new Waiting("ErrImagePull", "image " + image + " is not configured on the local node"));
  }

  @Override
  public Running start(Pod pod, PodSandbox sandbox) throws IOException {
    LocalImage image = config.images().get(pod.getSpec().getContainers().get(0).getImage());
    return PodRunner.start(pod, image, config, sandbox);
  }
}
