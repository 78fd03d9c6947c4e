package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a warm Job whose pod has reached an order endpoint ({@value WarmJobs#ASKED_AT_ANNOTATION}),
 * so that any replica may give it a task ({@link WarmJobs#isClaimable}). In the background: the
 * request being held does not wait for it. A plain merge patch with no resourceVersion: the mark
 * only ever appears, whatever else changed.
 */
final class AskedMarks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AskedMarks.class);

  private final KubernetesClient client;
  private final Clock clock;

  /** Jobs whose mark is being written. */
  private final Set<String> marking = ConcurrentHashMap.newKeySet();

  private final ExecutorService writes =
      Executors.newSingleThreadExecutor(JdkHttpServers.daemon("warm-marks"));

  AskedMarks(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Marks {@code job} unless it is claimed or finished, marked already, or being marked. */
  void mark(Job job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    if (!WarmJobs.isUnclaimed(job)
        || annotations != null && annotations.containsKey(WarmJobs.ASKED_AT_ANNOTATION)
        || !marking.add(WarmJobs.key(job))) {
      return;
    }
    String at = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    writes.execute(
        () -> {
          try {
            WarmJobs.mergePatch(
                client,
                job,
                "{\"metadata\":{\"annotations\":{\""
                    + WarmJobs.ASKED_AT_ANNOTATION
                    + "\":\""
                    + at
                    + "\"}}}");
          } catch (KubernetesClientException e) {
            LOG.info("Could not mark warm worker Job {}: {}", WarmJobs.key(job), e.getMessage());
          } finally {
            marking.remove(WarmJobs.key(job));
          }
        });
  }

  @Override
  public void close() {
    writes.shutdownNow();
  }
}
