package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.ParallelPhase;
import io.ffmpegoperator.crds.ParallelStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskParallel;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.policy.InvalidTaskException;
import io.ffmpegoperator.policy.ParallelPolicy;
import io.ffmpegoperator.policy.SplitCommand;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a parallel task (one with {@code spec.parallel}) through child FfmpegTasks it owns, phase by
 * phase: a probe child lists the input's packets; its listing plans the segments; one child per
 * segment encodes its video and one child the whole audio, all at once; a join child puts them
 * together by stream copy; its output is copied to the parent's own output key, and the children
 * go. The parent never has a Job: each child is an ordinary task with its own Job, retries and
 * finalizer, so a killed segment reruns alone.
 *
 * <p>Level-driven: every call looks at the children that exist now (the watch of them wakes the
 * parent on each of their changes) and makes the ones the phase needs, each under a name derived
 * from the parent's, so a restart finds them and "already exists" is success.
 */
final class ParallelRuns {
  static final String REASON_CHILD_FAILED = "ChildFailed";
  static final String REASON_UNSPLITTABLE = "Unsplittable";

  /** Running, said of a parallel task: its child tasks' pods do the work. */
  static final String CHILDREN_RUNNING = "Its child tasks are running";

  private static final String EVENT_SOURCE = "parallel-children";
  private static final Logger LOG = LoggerFactory.getLogger(ParallelRuns.class);

  private final S3Storage storage;
  private final ParallelPolicy policy;
  private final Clock clock;
  private final ParallelPlans plans;

  private InformerEventSource<FfmpegTask, FfmpegTask> children;

  /**
   * @param events tells a parent's owner when its input allows fewer segments than asked
   */
  ParallelRuns(S3Storage storage, ParallelPolicy policy, Clock clock, ResourceEvents events) {
    this.storage = storage;
    this.policy = policy;
    this.clock = clock;
    this.plans = new ParallelPlans(storage, policy, events);
  }

  /** The watch of the children, which wakes a parent on each change of one of its children. */
  InformerEventSource<FfmpegTask, FfmpegTask> eventSource(EventSourceContext<FfmpegTask> context) {
    children =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(FfmpegTask.class, FfmpegTask.class)
                .withName(EVENT_SOURCE)
                .withNamespacesInheritedFromController()
                .withLabelSelector(CrdConstants.LABEL_PARENT)
                .build(),
            context);
    return children;
  }

  static boolean isParallel(FfmpegTask task) {
    return task.getSpec() != null && task.getSpec().getParallel() != null;
  }

  /**
   * The parallel task's command split, if its parallel settings and command allow it.
   *
   * @throws InvalidTaskException naming every reason it cannot run in parallel
   */
  SplitCommand check(FfmpegTask task) throws InvalidTaskException {
    TaskParallel parallel = task.getSpec().getParallel();
    List<String> problems =
        new ArrayList<>(policy.problems(parallel.getSegments(), parallel.getSegmentSeconds()));
    SplitCommand split = null;
    try {
      split = SplitCommand.parse(WorkerJobFactory.request(task.getSpec()));
    } catch (InvalidTaskException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new InvalidTaskException(problems);
    }
    return split;
  }

  /** The parent's next status, after making the children its phase needs and does not have. */
  FfmpegTaskStatus next(
      KubernetesClient client, FfmpegTask parent, SplitCommand split, long generation) {
    Instant now = clock.instant();
    FfmpegTaskStatus status = parent.getStatus();
    ParallelStatus before = status == null ? null : status.getParallel();
    Map<String, FfmpegTask> mine = childrenOf(parent);
    // Only a join that is gone or done can have been stored: no look into S3 at each progress
    // report of a running join.
    FfmpegTask lastJoin = mine.get(ParallelChildren.joinName(parent));
    if ((lastJoin == null || isDone(lastJoin)) && joined(parent, split, before)) {
      return completed(parent, split, status, before, generation, null, now);
    }
    FfmpegTask probe =
        Optional.ofNullable(mine.get(ParallelChildren.probeName(parent)))
            .orElseGet(() -> create(client, ParallelChildren.probe(parent, split)));
    ParallelStatus parallel =
        ParallelStatuses.withChildren(
            ParallelStatuses.in(before, ParallelPhase.Probe, now),
            "probe",
            List.of(probe.getMetadata().getName()));
    if (!isDone(probe)) {
      return failedChild(parent, status, generation, probe, "probe", now)
          .orElseGet(() -> running(status, generation, parallel, 0, "probing the input", now));
    }
    ParallelPlans.Plan plan;
    try {
      plan = plans.of(parent, probe);
    } catch (IllegalArgumentException e) {
      return TaskStatuses.failed(
          status,
          generation,
          null,
          REASON_UNSPLITTABLE,
          "cannot plan segments: " + e.getMessage(),
          now);
    }
    int total = plan.segments().size();
    List<FfmpegTask> segments = new ArrayList<>();
    for (SegmentPlan.Segment segment : plan.segments()) {
      FfmpegTask child = mine.get(ParallelChildren.segmentName(parent, segment.index()));
      segments.add(
          child != null ? child : create(client, ParallelChildren.segment(parent, split, segment)));
    }
    boolean audio = plan.audio() && split.audio();
    FfmpegTask audioChild = null;
    if (audio) {
      audioChild = mine.get(ParallelChildren.audioName(parent));
      if (audioChild == null) {
        audioChild = create(client, ParallelChildren.audio(parent, split));
      }
    }
    for (int k = 0; k < total; k++) {
      Optional<FfmpegTaskStatus> failed =
          failedChild(
              parent,
              status,
              generation,
              segments.get(k),
              "segment " + (k + 1) + " of " + total,
              now);
      if (failed.isPresent()) {
        return failed.get();
      }
    }
    if (audioChild != null) {
      Optional<FfmpegTaskStatus> failed =
          failedChild(parent, status, generation, audioChild, "audio", now);
      if (failed.isPresent()) {
        return failed.get();
      }
    }
    int done = (int) segments.stream().filter(ParallelRuns::isDone).count();
    List<Integer> progress = segments.stream().map(ParallelRuns::progressOf).toList();
    List<Long> frames = plan.segments().stream().map(SegmentPlan.Segment::frames).toList();
    int audioProgress = audioChild == null ? -1 : progressOf(audioChild);
    boolean segmentsDone = done == total && (audioChild == null || isDone(audioChild));
    ParallelStatus inSegments =
        ParallelStatuses.withSegments(
            ParallelStatuses.withChildren(
                ParallelStatuses.withChildren(
                    ParallelStatuses.in(parallel, ParallelPhase.Segments, now),
                    "segment",
                    segments.stream().map(ParallelRuns::name).toList()),
                "audio",
                audioChild == null ? List.of() : List.of(name(audioChild))),
            done,
            total);
    if (!segmentsDone) {
      return running(
          status,
          generation,
          inSegments,
          ParallelStatuses.progress(true, progress, frames, audioProgress, 0),
          done + " of " + total + " segments encoded",
          now);
    }
    FfmpegTask join = mine.get(ParallelChildren.joinName(parent));
    if (join == null) {
      join = create(client, ParallelChildren.join(parent, split, total, audio, storage.bucket()));
    }
    ParallelStatus joining =
        ParallelStatuses.withChildren(
            ParallelStatuses.in(inSegments, ParallelPhase.Join, now), "join", List.of(name(join)));
    if (!isDone(join)) {
      FfmpegTask joinTask = join;
      return failedChild(parent, status, generation, join, "join", now)
          .orElseGet(
              () ->
                  running(
                      status,
                      generation,
                      joining,
                      ParallelStatuses.progress(
                          true, progress, frames, audioProgress, progressOf(joinTask)),
                      "joining " + total + " segments",
                      now));
    }
    ParallelStatus storing = ParallelStatuses.in(joining, ParallelPhase.Store, now);
    return completed(parent, split, status, storing, generation, join, now);
  }

  /**
   * Copies the join's output to the parent's own key (unless an earlier call did, and the join is
   * gone already), marks the parent Completed and removes the children: their finalizers remove the
   * probe, segments, audio and the join's copy.
   */
  private FfmpegTaskStatus completed(
      FfmpegTask parent,
      SplitCommand split,
      FfmpegTaskStatus status,
      ParallelStatus parallel,
      long generation,
      FfmpegTask join,
      Instant now) {
    String file = parent.getSpec().getOutputs().get(split.outputName());
    String key = StorageKeys.taskOutput(parent.getMetadata().getName(), file);
    StoredOutput output = new StoredOutput(split.outputName(), storage.bucket(), key, null);
    if (join != null) {
      StoredOutput joined = join.getStatus().getOutputs().get(0);
      storage.copy(joined.getKey(), key);
      output.setMedia(joined.getMedia());
      output.setSize(joined.getSize());
    } else {
      parent.getStatus().getOutputs().stream()
          .filter(o -> key.equals(o.getKey()))
          .findFirst()
          .ifPresent(o -> output.setMedia(o.getMedia()));
      output.setSize(storage.size(key).orElse(null));
    }
    FfmpegTaskStatus next =
        TaskStatuses.completed(
            status,
            generation,
            null,
            status == null ? null : status.getStartTime(),
            List.of(output),
            now);
    next.setParallel(ParallelStatuses.in(parallel, ParallelPhase.Done, now));
    plans.forget(parent);
    LOG.info("Parallel task {}: joined and stored as {}", name(parent), key);
    return next;
  }

  /**
   * Whether an earlier call got past the join (its status was not stored, its children are gone):
   * the phase says the join ran, and the parent's output is there.
   */
  private boolean joined(FfmpegTask parent, SplitCommand split, ParallelStatus parallel) {
    if (parallel == null
        || (parallel.getPhase() != ParallelPhase.Join
            && parallel.getPhase() != ParallelPhase.Store)) {
      return false;
    }
    String file = parent.getSpec().getOutputs().get(split.outputName());
    return storage.size(StorageKeys.taskOutput(name(parent), file)).isPresent();
  }

  /**
   * Sets spec.cancel on every child that has not ended; true once all have ended (or there are
   * none), so the parent may be marked Cancelled.
   */
  boolean cancelled(KubernetesClient client, FfmpegTask parent) {
    boolean allEnded = true;
    for (FfmpegTask child : childrenOf(parent).values()) {
      if (child.getStatus() != null
          && child.getStatus().getState() != null
          && child.getStatus().getState().isFinished()) {
        continue;
      }
      allEnded = false;
      if (!child.getSpec().cancelRequested()) {
        patch(client, child, "{\"spec\":{\"cancel\":true}}");
      }
    }
    if (allEnded) {
      plans.forget(parent);
    }
    return allEnded;
  }

  /**
   * Deletes every child of an ended or deleted parent. Each child's finalizer stops its pod and
   * removes its outputs; the owner references would have them collected too, but later.
   */
  void removeChildren(KubernetesClient client, FfmpegTask parent) {
    plans.forget(parent);
    for (FfmpegTask child : childrenOf(parent).values()) {
      if (child.isMarkedForDeletion()) {
        continue;
      }
      try {
        client.resource(child).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw e;
        }
      }
    }
  }

  private Map<String, FfmpegTask> childrenOf(FfmpegTask parent) {
    String parentName = name(parent);
    return children
        .list(
            parent.getMetadata().getNamespace(),
            child ->
                parentName.equals(child.getMetadata().getLabels().get(CrdConstants.LABEL_PARENT)))
        .collect(Collectors.toMap(ParallelRuns::name, Function.identity(), (a, b) -> a));
  }

  /** Creates the child; one made by an earlier call (the same name, the same spec) is read. */
  private FfmpegTask create(KubernetesClient client, FfmpegTask child) {
    try {
      FfmpegTask created = client.resource(child).create();
      LOG.info("Created child task {}", name(created));
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      FfmpegTask existing = client.resource(child).get();
      return existing != null ? existing : child;
    }
  }

  private static void patch(KubernetesClient client, FfmpegTask child, String mergePatch) {
    try {
      client
          .resources(FfmpegTask.class)
          .inNamespace(child.getMetadata().getNamespace())
          .withName(name(child))
          .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** The parent Failed, naming the child, when that child failed or was cancelled. */
  private static Optional<FfmpegTaskStatus> failedChild(
      FfmpegTask parent,
      FfmpegTaskStatus status,
      long generation,
      FfmpegTask child,
      String what,
      Instant now) {
    TaskState state = child.getStatus() == null ? null : child.getStatus().getState();
    if (state != TaskState.Failed && state != TaskState.Cancelled) {
      return Optional.empty();
    }
    String message = what + " failed: " + child.getStatus().getMessage();
    LOG.info("Parallel task {}: {}", name(parent), message);
    return Optional.of(
        TaskStatuses.failed(status, generation, null, REASON_CHILD_FAILED, message, now));
  }

  private static FfmpegTaskStatus running(
      FfmpegTaskStatus status,
      long generation,
      ParallelStatus parallel,
      int progress,
      String message,
      Instant now) {
    String started =
        status != null && status.getStartTime() != null
            ? status.getStartTime()
            : Conditions.timestamp(now);
    FfmpegTaskStatus next =
        TaskStatuses.running(
            status, generation, null, started, progress, message, CHILDREN_RUNNING, now);
    next.setParallel(parallel);
    return next;
  }

  private static boolean isDone(FfmpegTask child) {
    return child.getStatus() != null && child.getStatus().getState() == TaskState.Completed;
  }

  private static int progressOf(FfmpegTask child) {
    if (isDone(child)) {
      return 100;
    }
    Integer progress = child.getStatus() == null ? null : child.getStatus().getProgress();
    return progress == null ? 0 : progress;
  }

  private static String name(FfmpegTask task) {
    return task.getMetadata().getName();
  }
}
