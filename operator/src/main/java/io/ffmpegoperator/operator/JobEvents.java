package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's one watch of the Jobs it made: the task reconciler's Job event source, which also
 * tells the warm worker parts of every change. Its informer runs on every replica, the standbys
 * included (only the reconciling waits for leadership), so every replica knows the state of every
 * warm Job.
 */
final class JobEvents extends InformerEventSource<Job, FfmpegTask> {
  private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);

  private final List<Consumer<Job>> listeners = new CopyOnWriteArrayList<>();
  private final KubernetesClient api;

  private JobEvents(
      InformerEventSourceConfiguration<Job> configuration, EventSourceContext<FfmpegTask> context) {
    super(configuration, context);
    this.api = context.getClient();
  }

  /** The Jobs this operator made (managed-by), in the namespaces the tasks are watched in. */
  static JobEvents of(EventSourceContext<FfmpegTask> context) {
    return new JobEvents(
        InformerEventSourceConfiguration.from(Job.class, FfmpegTask.class)
            .withNamespacesInheritedFromController()
            .withLabelSelector(WorkerJobFactory.MANAGED_BY_SELECTOR)
            .build(),
        context);
  }

  /**
   * Calls {@code listener} with each Job that was added, changed or deleted, on the watch's thread.
   */
  void addListener(Consumer<Job> listener) {
    listeners.add(listener);
  }

  /** The Job as last seen or written by this process. */
  Optional<Job> get(String namespace, String name) {
    return get(new ResourceID(name, namespace));
  }

  /** The Job from the watch or, when it is too new for the watch, from the API server. */
  Optional<Job> read(String namespace, String name) {
    Optional<Job> seen = get(namespace, name);
    return seen.isPresent()
        ? seen
        : Optional.ofNullable(api.batch().v1().jobs().inNamespace(namespace).withName(name).get());
  }

  /**
   * This process changed {@code before} into {@code after}: {@link #get} returns it from now on,
   * before the watch shows it, and the listeners hear of it at once.
   */
  void written(Job before, Job after) {
    handleRecentResourceUpdate(ResourceID.fromResource(after), after, before);
    tell(after);
  }

  @Override
  public void onAdd(Job job) {
    super.onAdd(job);
    tell(job);
  }

  @Override
  public void onUpdate(Job before, Job after) {
    super.onUpdate(before, after);
    tell(after);
  }

  @Override
  public void onDelete(Job job, boolean finalStateUnknown) {
    super.onDelete(job, finalStateUnknown);
    tell(job);
  }

  private void tell(Job job) {
    for (Consumer<Job> listener : listeners) {
      try {
        listener.accept(job);
      } catch (RuntimeException e) {
        // One listener's bug must not stop the watch, nor the other listeners.
        LOG.warn("A listener failed on Job {}: {}", WarmJobs.key(job), e.toString());
      }
    }
  }
}
