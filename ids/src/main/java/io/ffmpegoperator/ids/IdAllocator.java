package io.ffmpegoperator.ids;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.CrdConstants;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out the video API's integer ids. Each kind has a counter in one ConfigMap, advanced by a
 * write that names the version it read: of two concurrent writers one gets 409 and tries again. So
 * ids are unique across any number of bridge replicas, never reused, and kept by the API server
 * like everything else.
 */
public final class IdAllocator {
  public static final String CONFIG_MAP = "ffmpeg-operator-ids";
  public static final String VIDEOS = "video";
  public static final String VIDEO_JOBS = "videojob";

  private static final RetryPolicy<Long> ON_CONFLICT = OptimisticWrites.retryOnConflict();

  private final KubernetesClient client;
  private final String namespace;

  public IdAllocator(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * The next id of a counter, starting at 1.
   *
   * @throws IllegalStateException when too many writers collided for too long
   */
  public long next(String counter) {
    try {
      return Failsafe.with(ON_CONFLICT).get(() -> advance(counter));
    } catch (KubernetesClientException e) {
      if (OptimisticWrites.isConflict(e)) {
        throw new IllegalStateException(
            "could not allocate a " + counter + " id: too many concurrent writers", e);
      }
      throw e;
    }
  }

  /** One read and one conditional write of the counter; 409 when another writer came first. */
  private long advance(String counter) {
    ConfigMap ids = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
    if (ids == null) {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(CONFIG_MAP)
                  .addToLabels(CrdConstants.LABEL_NAME, CrdConstants.APP_NAME)
                  .endMetadata()
                  .withData(Map.of(counter, "1"))
                  .build())
          .create();
      return 1;
    }
    Map<String, String> data = ids.getData() == null ? new HashMap<>() : ids.getData();
    long next = Long.parseLong(data.getOrDefault(counter, "0")) + 1;
    data.put(counter, Long.toString(next));
    ids.setData(data);
    client.configMaps().inNamespace(namespace).resource(ids).update();
    return next;
  }
}
