package io.ffmpegoperator.bridge.store;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Videos of one namespace: reads come from an informer cache indexed by video id, with a direct
 * GET on a miss because a video just made (by another replica, or the operator) may not have
 * reached the cache yet.
 */
public final class VideoStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VideoStore.class);
  private static final String BY_ID = "spec.id";
  private static final Comparator<Video> BY_VIDEO_ID =
      Comparator.comparing(v -> v.getSpec().getId());

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<Video> informer;
  private final UnreadableResources<Video> unreadable;

  private VideoStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.informer = client.resources(Video.class).inNamespace(namespace).runnableInformer(0);
    informer.addIndexers(Map.of(BY_ID, video -> List.of(idKey(video))));
    this.unreadable = new UnreadableResources<>(informer, Video.class, "Video");
    informer.exceptionHandler(
        (started, error) -> {
          LOG.warn("Video informer in {} failed, retrying: {}", namespace, error.toString());
          return true;
        });
  }

  /** Starts watching the namespace; does not wait for the cache to fill. */
  static VideoStore start(KubernetesClient client, String namespace) {
    VideoStore store = new VideoStore(client, namespace);
    store.informer.start();
    return store;
  }

  /**
   * The video with this id, from the cache or else from the API server.
   *
   * @throws ApiException 500 when it is stored in a form this version cannot read
   */
  public Optional<Video> find(long id) {
    List<Video> cached = informer.getIndexer().byIndex(BY_ID, Long.toString(id));
    if (!cached.isEmpty()) {
      return Optional.of(unreadable.require(cached.get(0), id));
    }
    // A video whose spec cannot be read has no id in the index: only its name finds it.
    try {
      return Optional.ofNullable(
              client
                  .resources(Video.class)
                  .inNamespace(namespace)
                  .withName(Video.nameFor(id))
                  .get())
          .map(video -> unreadable.require(video, id));
    } catch (KubernetesClientException e) {
      LOG.error("Could not read Video {}/{}", namespace, Video.nameFor(id), e);
      throw KubernetesErrors.unavailable(e, "Could not read the video");
    }
  }

  /**
   * Every video, ordered by id. Read from the API server, not the cache: a client that lists right
   * after an upload or an execute must see the videos those made, and listing is no hot path.
   */
  public List<Video> list() {
    List<Video> videos;
    try {
      videos = client.resources(Video.class).inNamespace(namespace).list().getItems();
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.unavailable(e, "Could not list the videos");
    }
    // A Video without an id (made by hand, say) has no place in the API's list.
    return videos.stream()
        .filter(v -> !unreadable.skip(v))
        .filter(v -> v.getSpec() != null && v.getSpec().getId() != null)
        .sorted(BY_VIDEO_ID)
        .toList();
  }

  /** Creates the Video named after {@code spec.id}. */
  public Video create(VideoSpec spec) {
    Video video = new Video();
    video.setMetadata(
        new ObjectMetaBuilder()
            .withName(Video.nameFor(spec.getId()))
            .withNamespace(namespace)
            .withLabels(Map.of(CrdConstants.LABEL_MANAGED_BY, TaskStore.MANAGED_BY))
            .build());
    video.setSpec(spec);
    try {
      Video created = client.resources(Video.class).inNamespace(namespace).resource(video).create();
      LOG.info(
          "Created Video {}/{} ({})", namespace, video.getMetadata().getName(), spec.getFileKey());
      return created;
    } catch (KubernetesClientException e) {
      LOG.error("Could not create Video {}/{}", namespace, video.getMetadata().getName(), e);
      throw KubernetesErrors.unavailable(e, "Could not store the video");
    }
  }

  /** Deletes the video with this id; used to undo a failed upload, so failures are only logged. */
  public void deleteQuietly(long id) {
    try {
      client.resources(Video.class).inNamespace(namespace).withName(Video.nameFor(id)).delete();
    } catch (KubernetesClientException e) {
      LOG.error("Could not delete Video {}/{}", namespace, Video.nameFor(id), e);
    }
  }

  private static String idKey(Video video) {
    return video.getSpec() == null || video.getSpec().getId() == null
        ? ""
        : Long.toString(video.getSpec().getId());
  }

  /** The videos in the cache this version cannot read. */
  UnreadableResources<Video> unreadable() {
    return unreadable;
  }

  /** Whether the cache is filled and its watch is up; what readiness is made of. */
  CacheHealth health() {
    return CacheHealth.of("Video", informer);
  }

  @Override
  public void close() {
    informer.close();
  }
}
