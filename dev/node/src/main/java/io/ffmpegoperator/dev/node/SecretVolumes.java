package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mounts a pod's {@code secret} volumes the way a kubelet does before it starts the container: each
 * key of the Secret (or each of {@code items}) becomes a file in the volume's directory, with the
 * volume's {@code defaultMode} or the item's {@code mode}. A Secret that is not there (yet) keeps
 * the pod from starting, as a kubelet keeps it in ContainerCreating; an {@code optional} one makes
 * an empty volume.
 */
final class SecretVolumes {
  /** The API's default mode of a secret volume's files. */
  static final int DEFAULT_MODE = 0644;

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  private final KubernetesClient client;
  private final String namespace;

  SecretVolumes(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Writes every secret volume of {@code pod} into {@code sandbox}; when one cannot be mounted yet,
   * writes none and says why (e.g. {@code secret "x" not found}).
   */
  Optional<String> mount(Pod pod, PodSandbox sandbox) throws IOException {
    List<Mount> mounts = new ArrayList<>();
    for (Volume volume : orEmpty(pod.getSpec().getVolumes())) {
      SecretVolumeSource source = volume.getSecret();
      if (source == null) {
        continue;
      }
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(source.getSecretName()).get();
      } catch (KubernetesClientException e) {
        return Optional.of(
            "secret \"" + source.getSecretName() + "\" could not be read: " + e.getMessage());
      }
      boolean optional = Boolean.TRUE.equals(source.getOptional());
      if (secret == null && !optional) {
        return Optional.of("secret \"" + source.getSecretName() + "\" not found");
      }
      Map<String, String> data =
          secret == null || secret.getData() == null ? Map.of() : secret.getData();
      int defaultMode = source.getDefaultMode() == null ? DEFAULT_MODE : source.getDefaultMode();
      Path dir = sandbox.volume(volume.getName());
      if (source.getItems() == null || source.getItems().isEmpty()) {
        data.forEach((key, value) -> mounts.add(new Mount(dir, key, value, defaultMode)));
        continue;
      }
      for (KeyToPath item : source.getItems()) {
        String value = data.get(item.getKey());
        if (value == null) {
          if (optional) {
            continue;
          }
          return Optional.of(
              "secret \"" + source.getSecretName() + "\" has no key \"" + item.getKey() + "\"");
        }
        int mode = item.getMode() == null ? defaultMode : item.getMode();
        mounts.add(new Mount(dir, item.getPath(), value, mode));
      }
    }
    for (Mount mount : mounts) {
      mount.write();
    }
    return Optional.empty();
  }

  /** The permissions of a Kubernetes file mode (e.g. 0440). */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(BITS[bit]);
      }
    }
    return permissions;
  }

  /** One file of a secret volume: its path in the volume, its base64 content and its mode. */
  private record Mount(Path dir, String path, String base64, int mode) {
    void write() throws IOException {
      Path file = dir.resolve(path).normalize();
      if (!file.startsWith(dir) || file.equals(dir)) {
        throw new IOException("a secret item's path leaves its volume: " + path);
      }
      Files.createDirectories(file.getParent());
      // A file of an earlier try may be read-only by now.
      Files.deleteIfExists(file);
      Files.write(file, Base64.getDecoder().decode(base64));
      Files.setPosixFilePermissions(file, permissions(mode));
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
