package io.ffmpegoperator.dev.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link LocalNode} needs: where pods live on disk, how each image runs locally, how many
 * pods may run at once and the environment every pod gets.
 *
 * @param podsDir the sandbox root: each pod gets {@code podsDir/<pod>/}
 * @param images image name, exactly as a container spec names it, to how it runs here
 * @param maxConcurrentPods pods running at once; the others wait, Pending
 * @param extraEnv environment for every pod, below the image's and the container's own
 * @param retryBackoff delay before the first replacement of a failed pod, doubled for each further
 *     failure up to six minutes (the job controller uses 10 s)
 * @param podman run pods as podman containers of their real images, or null to run them as local
 *     processes per {@code images} (then {@code extraEnv} applies too)
 */
public record LocalNodeConfig(
    Path podsDir,
    Map<String, LocalImage> images,
    int maxConcurrentPods,
    Map<String, String> extraEnv,
    Duration retryBackoff,
    PodmanSettings podman) {

  /** The job controller's own first retry delay. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(10);

  public LocalNodeConfig {
    Objects.requireNonNull(podsDir, "podsDir");
    images = Map.copyOf(images);
    extraEnv = Map.copyOf(extraEnv);
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    if (maxConcurrentPods < 1) {
      throw new IllegalArgumentException("maxConcurrentPods must be at least 1");
    }
    if (retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must not be negative");
    }
  }

  /** A builder with the defaults: one pod per CPU, no image, no extra env, a 10 s retry delay. */
  public static Builder builder(Path podsDir) {
    return new Builder(podsDir);
  }

  /** Builds a {@link LocalNodeConfig}. */
  public static final class Builder {
    private final Path podsDir;
    private final Map<String, LocalImage> images = new LinkedHashMap<>();
    private final Map<String, String> extraEnv = new LinkedHashMap<>();
    private int maxConcurrentPods = Runtime.getRuntime().availableProcessors();
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private PodmanSettings podman;

    private Builder(Path podsDir) {
      this.podsDir = podsDir;
    }

    /** Runs containers of {@code image} (matched exactly, tag included) as {@code local}. */
    public Builder image(String image, LocalImage local) {
      images.put(Objects.requireNonNull(image), Objects.requireNonNull(local));
      return this;
    }

    public Builder maxConcurrentPods(int max) {
      this.maxConcurrentPods = max;
      return this;
    }

    public Builder extraEnv(String name, String value) {
      extraEnv.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = backoff;
      return this;
    }

    /** Runs pods as podman containers of their images instead of as local processes. */
    public Builder podman(PodmanSettings settings) {
      this.podman = settings;
      return this;
    }

    public LocalNodeConfig build() {
      return new LocalNodeConfig(
          podsDir, images, maxConcurrentPods, extraEnv, retryBackoff, podman);
    }
  }
}
