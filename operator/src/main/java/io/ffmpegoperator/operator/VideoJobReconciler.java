package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.ConcatInfo;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.JobRelease;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoJobStatus;
import io.ffmpegoperator.crds.VideoOrigin;
import io.ffmpegoperator.crds.VideoSpec;
import io.ffmpegoperator.ids.FileNameClaims;
import io.ffmpegoperator.ids.IdAllocator;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a released VideoJob as one FfmpegTask it owns, and when the task completes stores the result
 * under {@code modi/} as a new library Video, exactly once.
 */
@ControllerConfiguration(name = VideoJobReconciler.NAME)
public class VideoJobReconciler implements Reconciler<VideoJob> {
  public static final String NAME = "videojob";
  private static final Logger LOG = LoggerFactory.getLogger(VideoJobReconciler.class);

  /**
   * The component label of the FfmpegTask each VideoJob runs as; it has been there from the first.
   */
  static final String VIDEO_JOB_COMPONENT = "video-job";

  private final S3Storage storage;
  private final KubernetesClient client;
  private final ResourceEvents events;
  private final Clock clock;
  private final UnreadableResources unreadable;
  private final OperatorMetrics metrics;

  VideoJobReconciler(
      S3Storage storage,
      KubernetesClient client,
      Clock clock,
      ResourceEvents events,
      UnreadableResources unreadable,
      OperatorMetrics metrics) {
    this.storage = storage;
    this.client = client;
    this.events = events;
    this.clock = clock;
    this.unreadable = unreadable;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, VideoJob>> prepareEventSources(EventSourceContext<VideoJob> context) {
    metrics.countUnreadableIn("VideoJob", () -> context.getPrimaryCache().list());
    // Only the tasks of VideoJobs: without the selector this cache held every FfmpegTask a second
    // time beside the task controller's own. A task not cached (none is, yet) is read by name.
    var tasksOfJobs =
        InformerEventSourceConfiguration.from(FfmpegTask.class, VideoJob.class)
            .withNamespacesInheritedFromController()
            .withLabelSelector(CrdConstants.LABEL_COMPONENT + "=" + VIDEO_JOB_COMPONENT)
            .build();
    return List.of(new InformerEventSource<>(tasksOfJobs, context));
  }

  @Override
  public UpdateControl<VideoJob> reconcile(VideoJob job, Context<VideoJob> context) {
    Optional<UpdateControl<VideoJob>> skipped = unreadable.skip(job);
    if (skipped.isPresent()) {
      return skipped.get();
    }
    VideoJobStatus status = job.getStatus();
    if (status != null && status.getState() != null && status.getState().isFinished()) {
      return UpdateControl.noUpdate();
    }
    long generation =
        job.getMetadata().getGeneration() == null ? 1 : job.getMetadata().getGeneration();
    if (job.getSpec().getRelease() != JobRelease.Released) {
      return update(job, VideoJobStatuses.held(status, generation, clock.instant()));
    }
    String taskName = VideoJob.nameFor(job.getSpec().getJobId());
    FfmpegTask task =
        context.getSecondaryResource(FfmpegTask.class).orElseGet(() -> readTask(job, taskName));
    if (task == null) {
      return startTask(job, status, generation, taskName);
    }
    FfmpegTaskStatus taskStatus = task.getStatus();
    VideoJobStatus next;
    if (taskStatus == null || taskStatus.getState() == null) {
      next = VideoJobStatuses.pending(status, generation, taskName, clock.instant());
    } else {
      next =
          switch (taskStatus.getState()) {
            case Pending -> VideoJobStatuses.pending(status, generation, taskName, clock.instant());
            case Running ->
                VideoJobStatuses.running(
                    status, generation, taskName, progressOf(taskStatus), clock.instant());
            // A task cancelled with kubectl is a failure of its job: its result will never come.
            case Failed, Cancelled ->
                VideoJobStatuses.failed(
                    status,
                    generation,
                    taskStatus.getReason(),
                    taskStatus.getMessage(),
                    clock.instant());
            case Completed ->
                VideoJobStatuses.succeeded(
                    status, generation, storeResult(job, task), clock.instant());
          };
    }
    return update(job, next);
  }

  private UpdateControl<VideoJob> startTask(
      VideoJob job, VideoJobStatus status, long generation, String taskName) {
    List<Video> videos = new ArrayList<>();
    for (Long id : job.getSpec().getVideoIds()) {
      Video video =
          client
              .resources(Video.class)
              .inNamespace(namespace(job))
              .withName(Video.nameFor(id))
              .get();
      if (video == null) {
        return update(
            job,
            VideoJobStatuses.failed(
                status,
                generation,
                VideoJobStatuses.REASON_VIDEO_MISSING,
                "video " + id + " does not exist",
                clock.instant()));
      }
      if (video.decodeProblem().isPresent()) {
        return update(
            job,
            VideoJobStatuses.failed(
                status,
                generation,
                UnreadableResources.REASON,
                "video " + id + " cannot be read: " + video.decodeProblem().get(),
                clock.instant()));
      }
      videos.add(video);
    }
    VideoCommands.Rendered rendered = VideoCommands.render(job, videos, storage.bucket());
    // Claimed before the task exists: a claim whose task turns out to exist already is only a name
    // never used.
    String resultKey =
        ResultKeys.claim(
            new FileNameClaims(client, namespace(job), clock),
            storage,
            job,
            videos.get(0),
            rendered.outputFile());
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(taskName)
            .withNamespace(namespace(job))
            .withAnnotations(Map.of(ResultKeys.ANNOTATION, resultKey))
            .withLabels(
                Map.of(
                    CrdConstants.LABEL_MANAGED_BY,
                    WorkerJobFactory.MANAGED_BY,
                    CrdConstants.LABEL_COMPONENT,
                    VIDEO_JOB_COMPONENT))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(job.getApiVersion())
                    .withKind(job.getKind())
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    task.setSpec(rendered.spec());
    try {
      client.resource(task).create();
      events.normal(job, VideoJobStatuses.REASON_TASK_CREATED, "Created FfmpegTask " + taskName);
    } catch (KubernetesClientException e) {
      // Made by an earlier reconcile: the same job renders the same task.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    return update(job, VideoJobStatuses.pending(status, generation, taskName, clock.instant()));
  }

  /**
   * Moves the task's output under {@code modi/}, to the key claimed with the task, and records it
   * as a Video. A Video carrying this job's label means an earlier reconcile got that far: it is
   * reused, never made twice.
   */
  private long storeResult(VideoJob job, FfmpegTask task) {
    StoredOutput output = task.getStatus().getOutputs().get(0);
    String jobId = String.valueOf(job.getSpec().getJobId());
    List<Video> made =
        client
            .resources(Video.class)
            .inNamespace(namespace(job))
            .withLabel(Video.JOB_LABEL, jobId)
            .list()
            .getItems();
    long videoId;
    if (!made.isEmpty()) {
      videoId = made.get(0).getSpec().getId();
    } else {
      String key = ResultKeys.of(task, output.getKey());
      storage.copy(output.getKey(), key);
      videoId = new IdAllocator(client, namespace(job)).next(IdAllocator.VIDEOS);
      Video video = new Video();
      video.setMetadata(
          new ObjectMetaBuilder()
              .withName(Video.nameFor(videoId))
              .withNamespace(namespace(job))
              .withLabels(
                  Map.of(Video.JOB_LABEL, jobId, CrdConstants.LABEL_MANAGED_BY, "ffmpeg-operator"))
              .build());
      video.setSpec(resultSpec(job.getSpec(), videoId, key, output));
      client.resource(video).create();
      events.normal(
          job, VideoJobStatuses.REASON_VIDEO_STORED, "Stored video " + videoId + " as " + key);
      LOG.info("VideoJob {} produced video {} ({})", jobId, videoId, key);
    }
    // The copy under modi/ is the library's; the task's own output would only be a duplicate.
    storage.delete(output.getKey());
    return videoId;
  }

  private static VideoSpec resultSpec(
      VideoJobSpec job, long videoId, String key, StoredOutput output) {
    VideoSpec spec = new VideoSpec();
    spec.setId(videoId);
    spec.setFileKey(key);
    spec.setJobId(job.getJobId());
    spec.setMedia(output.getMedia());
    switch (job.getOperation()) {
      case Trim -> {
        spec.setOrigin(VideoOrigin.Trim);
        spec.setTrimInfo(job.getTrim());
      }
      case Concat -> {
        spec.setOrigin(VideoOrigin.Concat);
        ConcatInfo info = new ConcatInfo();
        info.setVideoIds(List.copyOf(job.getVideoIds()));
        spec.setConcatInfo(info);
      }
      case Encode -> {
        spec.setOrigin(VideoOrigin.Encode);
        spec.setEncodeInfo(job.getEncode());
      }
    }
    return spec;
  }

  private FfmpegTask readTask(VideoJob job, String taskName) {
    return client.resources(FfmpegTask.class).inNamespace(namespace(job)).withName(taskName).get();
  }

  private static int progressOf(FfmpegTaskStatus status) {
    return status.getProgress() == null ? 0 : status.getProgress();
  }

  private static String namespace(VideoJob job) {
    return job.getMetadata().getNamespace();
  }

  private UpdateControl<VideoJob> update(VideoJob job, VideoJobStatus next) {
    return StatusWriter.patchIfChanged(job, next, (current, after) -> tell(job, current, after));
  }

  private void tell(VideoJob job, VideoJobStatus current, VideoJobStatus next) {
    VideoJobState before = current == null ? null : current.getState();
    if (before == next.getState()) {
      return;
    }
    if (next.getState() == VideoJobState.Failed) {
      events.warning(job, next.getReason(), next.getMessage());
    }
    LOG.info("VideoJob {} is {}: {}", job.getSpec().getJobId(), next.getState(), next.getMessage());
  }
}
