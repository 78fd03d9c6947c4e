package io.ffmpegoperator.dev.kube;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the node keeps what a pod's container wrote, so that the API can serve {@code GET
 * .../pods/<name>/log} from it: the node's part of a kubelet's log endpoint.
 */
@FunctionalInterface
public interface PodLogFiles {

  /**
   * The files holding the container's output, stdout's first; files that do not exist yet are read
   * as empty.
   *
   * @return empty if this node keeps nothing for the pod
   */
  List<Path> files(String namespace, String pod, String container);
}
