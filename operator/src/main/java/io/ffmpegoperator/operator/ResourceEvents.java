package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on our resources, so {@code kubectl describe} tells their story.
 *
 * <p>An event is a courtesy, so, as client-go's recorder does, it is written on a thread of its own
 * and no reconcile waits for it: each is an API write, and written in line it would hold back the
 * status write of every transition (see docs/benchmarks.md). Events are written in the order they
 * were recorded. If the API server falls {@link #BACKLOG_LIMIT} events behind, new ones are
 * dropped, and the log says how many.
 */
final class ResourceEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceEvents.class);
  private static final String COMPONENT = "ffmpeg-operator";
  private static final int BACKLOG_LIMIT = 1_000;

  /** How long closing waits for the events still to be written. */
  private static final Duration DRAIN_TIME = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor writer;

  ResourceEvents(KubernetesClient client) {
    this.client = client;
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(BACKLOG_LIMIT),
            JdkHttpServers.daemon("resource-events"),
            (task, executor) -> drop());
  }

  void normal(HasMetadata resource, String reason, String message) {
    record(resource, "Normal", reason, message);
  }

  void warning(HasMetadata resource, String reason, String message) {
    record(resource, "Warning", reason, message);
  }

  private void record(HasMetadata resource, String type, String reason, String message) {
    String now = Conditions.timestamp(Instant.now());
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                resource.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .withNamespace(resource.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(resource.getApiVersion())
                    .withKind(resource.getKind())
                    .withName(resource.getMetadata().getName())
                    .withNamespace(resource.getMetadata().getNamespace())
                    .withUid(resource.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    writer.execute(() -> write(event));
  }

  private void write(Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not record event {} on {}: {}",
          event.getReason(),
          event.getInvolvedObject().getName(),
          e.getMessage());
    }
  }

  private void drop() {
    if (writer.isShutdown()) {
      return; // the operator is stopping: its reconcilers' last words are not worth waiting for
    }
    long count = dropped.incrementAndGet();
    if (count % 100 == 1) {
      LOG.warn(
          "{} event(s) dropped so far: {} are waiting for the API server", count, BACKLOG_LIMIT);
    }
  }

  /** Writes the events already recorded, waiting at most {@link #DRAIN_TIME}; takes no more. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(DRAIN_TIME.toMillis(), TimeUnit.MILLISECONDS)) {
        int lost = writer.shutdownNow().size();
        LOG.warn("{} event(s) not recorded: the API server did not take them in time", lost);
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
