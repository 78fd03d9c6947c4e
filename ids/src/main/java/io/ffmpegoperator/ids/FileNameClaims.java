package io.ffmpegoperator.ids;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.CrdConstants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Hands out file names that carry the second they were made in ({@code clip_20240910161824.mp4}),
 * each to one caller only, across any number of bridge replicas and the operator: two uploads of
 * {@code clip.mp4} in the same second get {@code clip_…24.mp4} and {@code clip_…24_2.mp4}. The
 * names given out are kept in one ConfigMap, one entry per second, written like {@link
 * IdAllocator}'s counters (a write that names the version it read; the loser of a race reads and
 * tries again). A name holds its second, so a name from an earlier second can never be asked for
 * again and entries older than {@link #KEEP} are dropped: the ConfigMap stays small.
 */
public final class FileNameClaims {
  public static final String CONFIG_MAP = "ffmpeg-operator-file-names";

  /** How long a second's names are kept: far beyond any clock skew between replicas. */
  static final Duration KEEP = Duration.ofMinutes(10);

  /** A name for the second {@code at} and the {@code copy}-th claim of it (1 for the first). */
  @FunctionalInterface
  public interface NameShape {
    String name(Instant at, int copy);
  }

  private static final int MAX_COPIES = 10_000;
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final RetryPolicy<String> ON_CONFLICT = OptimisticWrites.retryOnConflict();

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;

  public FileNameClaims(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
  }

  /**
   * Claims the first name of {@code shape} for this second, copy 1, 2, ..., that was neither
   * claimed before nor is {@code taken} (e.g. an object of that name exists already, written by
   * hand or before claims were kept).
   *
   * @throws IllegalStateException when too many writers collided for too long
   */
  public String claim(NameShape shape, Predicate<String> taken) {
    try {
      return Failsafe.with(ON_CONFLICT).get(() -> tryClaim(shape, taken));
    } catch (KubernetesClientException e) {
      if (OptimisticWrites.isConflict(e)) {
        throw new IllegalStateException("could not claim a file name: too many writers", e);
      }
      throw e;
    }
  }

  /** One read and one conditional write; 409 when another writer came first. */
  private String tryClaim(NameShape shape, Predicate<String> taken) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String second = SECOND.format(now);
    ConfigMap names = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
    Map<String, String> data =
        names == null || names.getData() == null ? new HashMap<>() : names.getData();
    Set<String> claimed = new LinkedHashSet<>(lines(data.get(second)));
    String name = null;
    for (int copy = 1; name == null && copy <= MAX_COPIES; copy++) {
      String candidate = shape.name(now, copy);
      if (!claimed.contains(candidate) && !taken.test(candidate)) {
        name = candidate;
      }
    }
    if (name == null) {
      throw new IllegalStateException("no free file name in " + MAX_COPIES + " copies");
    }
    claimed.add(name);
    String oldest = SECOND.format(now.minus(KEEP));
    data.keySet().removeIf(key -> key.compareTo(oldest) < 0);
    data.put(second, String.join("\n", claimed));
    if (names == null) {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(CONFIG_MAP)
                  .addToLabels(CrdConstants.LABEL_NAME, CrdConstants.APP_NAME)
                  .endMetadata()
                  .withData(data)
                  .build())
          .create();
    } else {
      names.setData(data);
      client.configMaps().inNamespace(namespace).resource(names).update();
    }
    return name;
  }

  private static List<String> lines(String value) {
    return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split("\n"));
  }
}
