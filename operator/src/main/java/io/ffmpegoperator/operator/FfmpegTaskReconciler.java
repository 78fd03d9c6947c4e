package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.policy.InvalidTaskException;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.policy.SplitCommand;
import io.ffmpegoperator.policy.TaskCommand;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each FfmpegTask as one batch/v1 Job and turns the Job's state and the worker's report into
 * the task's status. Level-driven: every call looks at what exists now, so a restart at any point
 * converges without a second Job. It decides; {@link TaskJobs} finds and starts Jobs, {@link
 * TaskRuns} reads a run into a status, {@link TaskStops} stops a run and removes its outputs,
 * {@link StatusWriter} writes the status.
 *
 * <p>It holds a finalizer ({@link TaskStops#FINALIZER}) on every readable task, so that a task
 * deleted by any means (REST or kubectl) has its pod stopped and its outputs removed before it
 * goes: the pre-signed links handed out for it stop working. It manages the finalizer itself, as a
 * JSON patch of the finalizers alone, rather than as a {@code Cleaner}: the framework would add its
 * finalizer to unreadable tasks too, writing to resources that are their owners' to fix.
 */
@ControllerConfiguration(name = FfmpegTaskReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class FfmpegTaskReconciler implements Reconciler<FfmpegTask> {
  public static final String NAME = "ffmpegtask";

  /** Name of the event source through which a warm pod's "run is over" reaches its task. */
  static final String WORKER_DONE = "worker-done";

  private static final Logger LOG = LoggerFactory.getLogger(FfmpegTaskReconciler.class);

  private final String bucket;
  private final ResourcePolicy resources;
  private final Duration progressInterval;
  private final TaskJobs taskJobs;
  private final TaskRuns runs;
  private final TaskStops stops;
  private final SimpleInboundEventSource<FfmpegTask> workerDone;
  private final ResourceEvents events;
  private final WebhookDeliveries webhooks;
  private final Retention retention;
  private final ClientQueues queues;
  private final ParallelRuns parallel;
  private final UnreadableResources unreadable;
  private final OperatorMetrics metrics;
  private final Clock clock;

  /** The watch of the Jobs, made when the controller is registered; shared with the warm parts. */
  private JobEvents jobEvents;

  /** The informer cache of the tasks, on every replica; shared with the order endpoint. */
  private IndexerResourceCache<FfmpegTask> taskCache;

  /**
   * @param resources the most CPU and memory a task's spec may ask for
   * @param workerDone events of warm pods whose run is over, whose report is then read at once
   * @param events where the tasks' stories are told, shared with the other reconcilers
   * @param webhooks tells a finished task's webhook, if it has one
   * @param retention deletes a finished task when its time to live has passed
   * @param queues holds back the tasks of a client that has its limit of tasks running
   * @param parallel runs the tasks with spec.parallel through child tasks
   */
  FfmpegTaskReconciler(
      String bucket,
      ResourcePolicy resources,
      Duration progressInterval,
      TaskJobs taskJobs,
      TaskRuns runs,
      TaskStops stops,
      SimpleInboundEventSource<FfmpegTask> workerDone,
      ResourceEvents events,
      WebhookDeliveries webhooks,
      Retention retention,
      ClientQueues queues,
      ParallelRuns parallel,
      UnreadableResources unreadable,
      OperatorMetrics metrics,
      Clock clock) {
    this.bucket = bucket;
    this.resources = resources;
    this.progressInterval = progressInterval;
    this.taskJobs = taskJobs;
    this.runs = runs;
    this.stops = stops;
    this.workerDone = workerDone;
    this.events = events;
    this.webhooks = webhooks;
    this.retention = retention;
    this.queues = queues;
    this.parallel = parallel;
    this.unreadable = unreadable;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, FfmpegTask>> prepareEventSources(
      EventSourceContext<FfmpegTask> context) {
    // The tasks gauge reads the cache the reconciler already keeps: no extra watch, no API call.
    metrics.countTasksIn(() -> context.getPrimaryCache().list());
    metrics.countUnreadableIn("FfmpegTask", () -> context.getPrimaryCache().list());
    jobEvents = JobEvents.of(context);
    taskCache = context.getPrimaryCache();
    taskCache.addIndexers(Map.of(ClientQueues.INDEX, task -> List.of(ClientQueues.clientOf(task))));
    // A task woken because a slot of its client came free is looked at like one whose warm pod
    // is done: at once, through the same inbound source.
    queues.connect(
        client -> taskCache.byIndex(ClientQueues.INDEX, client), workerDone::propagateEvent);
    return List.of(jobEvents, workerDone, parallel.eventSource(context));
  }

  /** The tasks as this replica's informer has them; filled once the operator has started. */
  IndexerResourceCache<FfmpegTask> taskCache() {
    return taskCache;
  }

  /** The one watch of the operator's Jobs; its cache is there once the operator has started. */
  JobEvents jobEvents() {
    return jobEvents;
  }

  @Override
  public UpdateControl<FfmpegTask> reconcile(FfmpegTask task, Context<FfmpegTask> context) {
    if (context.isPrimaryResourceDeleted()) {
      return UpdateControl.noUpdate();
    }
    if (task.isMarkedForDeletion()) {
      return cleanup(task, context);
    }
    Optional<UpdateControl<FfmpegTask>> skipped = unreadable.skip(task);
    if (skipped.isPresent()) {
      return skipped.get();
    }
    stops.hold(context.getClient(), task);
    if (ParallelRuns.isParallel(task)) {
      return reconcileParallel(task, context);
    }
    FfmpegTaskStatus status = task.getStatus();
    if (status != null && status.getState() != null && status.getState().isFinished()) {
      return retention.apply(context.getClient(), task, webhooks.reconcile(task));
    }
    long generation = generationOf(task);
    if (task.getSpec() != null && task.getSpec().cancelRequested()) {
      return cancel(task, context, generation);
    }
    TaskCommand command;
    try {
      command = check(task);
    } catch (InvalidTaskException e) {
      return write(task, TaskStatuses.invalid(status, generation, e.getMessage(), clock.instant()));
    }
    Job job = jobOf(task, context);
    if (job == null && status != null && status.getJobName() != null) {
      return write(task, runs.withoutJob(task, generation));
    }
    if (job == null) {
      return start(task, context, command, generation);
    }
    FfmpegTaskStatus next = runs.next(task, generation, job);
    UpdateControl<FfmpegTask> control = write(task, next);
    // Progress lives in S3, which cannot be watched: look again while the pod runs.
    boolean running = JobObservation.of(job).phase() == JobObservation.Phase.ACTIVE;
    return running && !next.getState().isFinished()
        ? control.rescheduleAfter(progressInterval)
        : control;
  }

  /**
   * A task with spec.parallel: never a Job of its own; {@link ParallelRuns} makes and watches the
   * child tasks that do its work. Finished, it keeps no child; cancelled, it cancels them all.
   */
  private UpdateControl<FfmpegTask> reconcileParallel(
      FfmpegTask task, Context<FfmpegTask> context) {
    FfmpegTaskStatus status = task.getStatus();
    if (status != null && status.getState() != null && status.getState().isFinished()) {
      parallel.removeChildren(context.getClient(), task);
      return retention.apply(context.getClient(), task, webhooks.reconcile(task));
    }
    long generation = generationOf(task);
    if (task.getSpec().cancelRequested()) {
      if (!parallel.cancelled(context.getClient(), task)) {
        return UpdateControl.<FfmpegTask>noUpdate().rescheduleAfter(TaskStops.CHECK_AGAIN);
      }
      parallel.removeChildren(context.getClient(), task);
      stops.removeStored(task);
      return write(task, TaskStatuses.cancelled(status, generation, clock.instant()));
    }
    SplitCommand split;
    try {
      check(task);
      split = parallel.check(task);
    } catch (InvalidTaskException e) {
      return write(task, TaskStatuses.invalid(status, generation, e.getMessage(), clock.instant()));
    }
    FfmpegTaskStatus next = parallel.next(context.getClient(), task, split, generation);
    if (next.getState().isFinished()) {
      // The children go on the next reconcile, which sees the parent ended (above): a view of it
      // from before this write must still find them, and the probe's listing, where they were.
      return write(task, next).rescheduleAfter(Duration.ZERO);
    }
    return write(task, next);
  }

  /** Starts the task's Job, unless its client's limit of running tasks makes it wait. */
  private UpdateControl<FfmpegTask> start(
      FfmpegTask task, Context<FfmpegTask> context, TaskCommand command, long generation) {
    FfmpegTaskStatus status = task.getStatus();
    Optional<String> waiting = queues.waitReason(task);
    if (waiting.isPresent()) {
      return write(task, TaskStatuses.queued(status, generation, waiting.get(), clock.instant()))
          .rescheduleAfter(ClientQueues.LOOK_AGAIN);
    }
    String jobName;
    try {
      jobName = taskJobs.start(context.getClient(), task, command, jobEvents);
    } catch (RuntimeException e) {
      queues.notStarted(task);
      throw e;
    }
    return write(task, TaskStatuses.pending(status, generation, jobName, clock.instant()));
  }

  /**
   * Stops the task's run, if it has one, then removes what it stored and marks it Cancelled. A task
   * with no Job yet never gets one: this comes before anything is started.
   */
  private UpdateControl<FfmpegTask> cancel(
      FfmpegTask task, Context<FfmpegTask> context, long generation) {
    if (!stops.stopped(context.getClient(), task, jobOf(task, context))) {
      return UpdateControl.<FfmpegTask>noUpdate().rescheduleAfter(TaskStops.CHECK_AGAIN);
    }
    stops.removeStored(task);
    return write(task, TaskStatuses.cancelled(task.getStatus(), generation, clock.instant()));
  }

  /**
   * A task being deleted: its pod is stopped and its outputs removed before the finalizer goes. Its
   * spec and status are not needed, so an unreadable task goes the same way.
   */
  private UpdateControl<FfmpegTask> cleanup(FfmpegTask task, Context<FfmpegTask> context) {
    List<String> finalizers = task.getMetadata().getFinalizers();
    if (finalizers == null || !finalizers.contains(TaskStops.FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    // A parallel task has no Job to stop: its children's finalizers stop theirs.
    boolean parallelTask = ParallelRuns.isParallel(task);
    Job job = parallelTask ? null : jobOf(task, context);
    if (!stops.stopped(context.getClient(), task, job)) {
      return UpdateControl.<FfmpegTask>noUpdate().rescheduleAfter(TaskStops.CHECK_AGAIN);
    }
    if (parallelTask) {
      parallel.removeChildren(context.getClient(), task);
    }
    stops.removeStored(task);
    stops.release(context.getClient(), task);
    queues.ended(task);
    return UpdateControl.noUpdate();
  }

  private Job jobOf(FfmpegTask task, Context<FfmpegTask> context) {
    return context
        .getSecondaryResource(Job.class)
        .orElseGet(() -> taskJobs.find(context.getClient(), task, jobEvents));
  }

  /**
   * The task's command, if it and the resources it asks for may run: the bridge's checks, again,
   * for tasks written past it with kubectl. Every problem of both is in the exception.
   */
  private TaskCommand check(FfmpegTask task) throws InvalidTaskException {
    List<String> problems = new ArrayList<>();
    TaskCommand command = null;
    try {
      command = TaskCommand.parse(WorkerJobFactory.request(task.getSpec()), bucket);
    } catch (InvalidTaskException e) {
      problems.addAll(e.problems());
    }
    problems.addAll(resources.problems(WorkerJobFactory.resources(task.getSpec())));
    if (!problems.isEmpty()) {
      throw new InvalidTaskException(problems);
    }
    return command;
  }

  private UpdateControl<FfmpegTask> write(FfmpegTask task, FfmpegTaskStatus next) {
    boolean webhookDue = webhooks.begin(task, next);
    UpdateControl<FfmpegTask> control =
        StatusWriter.patchIfChanged(task, next, (current, after) -> tell(task, current, after));
    // The first attempt is the next reconcile's, once the finished status is stored.
    if (webhookDue) {
      return control.rescheduleAfter(Duration.ZERO);
    }
    // Status writes bring no reconcile back: a finished task asks for one when it expires.
    return next.getState() != null && next.getState().isFinished()
        ? retention.schedule(task, next, control)
        : control;
  }

  /** A change of state: counted, told as an event, logged. */
  private void tell(FfmpegTask task, FfmpegTaskStatus current, FfmpegTaskStatus next) {
    TaskState before = current == null ? null : current.getState();
    if (before == next.getState() && current != null) {
      return;
    }
    metrics.taskChanged(task, before, next, clock.instant());
    if (next.getState().isFinished()) {
      queues.ended(task);
    }
    switch (next.getState()) {
      case Pending -> {}
      case Running ->
          events.normal(
              task,
              TaskStatuses.EVENT_STARTED,
              ParallelRuns.isParallel(task)
                  ? ParallelRuns.CHILDREN_RUNNING
                  : "Worker pod is running");
      case Completed -> events.normal(task, TaskStatuses.REASON_COMPLETED, next.getMessage());
      case Failed -> events.warning(task, next.getReason(), next.getMessage());
      case Cancelled -> events.normal(task, TaskStatuses.REASON_CANCELLED, next.getMessage());
    }
    LOG.info("Task {} is {}: {}", task.getMetadata().getName(), next.getState(), next.getMessage());
  }

  private static long generationOf(FfmpegTask task) {
    Long generation = task.getMetadata().getGeneration();
    return generation == null ? 1L : generation;
  }
}
