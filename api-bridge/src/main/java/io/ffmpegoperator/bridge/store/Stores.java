package io.ffmpegoperator.bridge.store;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the bridge watches and where uploads wait, opened and closed together. */
public record Stores(TaskStore tasks, VideoStore videos, VideoJobStore videoJobs, Path uploadDir)
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  public static Stores start(KubernetesClient client, String namespace) {
    Path uploadDir;
    try {
      uploadDir = Files.createTempDirectory("ffmpeg-operator-uploads-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a folder for uploads", e);
    }
    return new Stores(
        TaskStore.start(client, namespace),
        VideoStore.start(client, namespace),
        VideoJobStore.start(client, namespace),
        uploadDir);
  }

  /** How many resources of each kind in the caches this version cannot read, by kind. */
  public Map<String, LongSupplier> unreadable() {
    return Stream.of(tasks.unreadable(), videos.unreadable(), videoJobs.unreadable())
        .collect(Collectors.toMap(UnreadableResources::kind, resources -> resources::count));
  }

  /** The state of each informer cache, for readiness. */
  public List<CacheHealth> health() {
    return List.of(tasks.health(), videos.health(), videoJobs.health());
  }

  @Override
  public void close() {
    tasks.close();
    videos.close();
    videoJobs.close();
    // Uploads in flight were cut by the server's stop; what they left is of no use.
    try (var files = Files.list(uploadDir)) {
      files.forEach(file -> file.toFile().delete());
      Files.deleteIfExists(uploadDir);
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", uploadDir, e.toString());
    }
  }
}
