package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.JobRelease;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.crds.TrimInfo;
import io.ffmpegoperator.crds.TrimMode;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoOperation;
import io.ffmpegoperator.crds.VideoOrigin;
import io.ffmpegoperator.crds.VideoSpec;
import io.ffmpegoperator.media.MediaInfo;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VideoJob → FfmpegTask → output Video, with the FfmpegTask's status written by the test. */
class VideoJobReconcilerIT {
  private static final String NS = TestingCluster.NS;
  private static final AtomicLong IDS = new AtomicLong(1000);

  @RegisterExtension static final TestingCluster cluster = new TestingCluster();
  private static Operator operator;

  @BeforeAll
  static void start() throws Exception {
    operator = cluster.startOperator();
  }

  @AfterAll
  static void stop() throws Exception {
    operator.stop();
  }

  private static Video uploadedVideo() {
    long id = IDS.incrementAndGet();
    Video video = new Video();
    video.setMetadata(
        new ObjectMetaBuilder().withName(Video.nameFor(id)).withNamespace(NS).build());
    VideoSpec spec = new VideoSpec();
    spec.setId(id);
    spec.setOrigin(VideoOrigin.Upload);
    spec.setFileKey("origin/clip-" + id + ".mp4");
    MediaInfo media = new MediaInfo();
    media.setVideoCodec("h264");
    media.setAudioCodec("aac");
    spec.setMedia(media);
    video.setSpec(spec);
    return cluster.client.resource(video).create();
  }

  private static VideoJob trimJob(Video video, JobRelease release) {
    long id = IDS.incrementAndGet();
    VideoJob job = new VideoJob();
    job.setMetadata(
        new ObjectMetaBuilder().withName(VideoJob.nameFor(id)).withNamespace(NS).build());
    VideoJobSpec spec = new VideoJobSpec();
    spec.setJobId(id);
    spec.setRequestCode("user");
    spec.setOperation(VideoOperation.Trim);
    spec.setVideoIds(List.of(video.getSpec().getId()));
    TrimInfo trim = new TrimInfo();
    trim.setTrimStart(1000L);
    trim.setTrimEnd(2500L);
    trim.setMode(TrimMode.Accurate);
    spec.setTrim(trim);
    spec.setRelease(release);
    job.setSpec(spec);
    return cluster.client.resource(job).create();
  }

  private static VideoJob read(VideoJob job) {
    return cluster.resources(VideoJob.class, NS).withName(job.getMetadata().getName()).get();
  }

  private static VideoJobState stateOf(VideoJob job) {
    VideoJob fresh = read(job);
    return fresh.getStatus() == null ? null : fresh.getStatus().getState();
  }

  /**
   * The job's task once the operator has written its first status: a status the test writes before
   * that would race the operator's own (a merge patch, last writer wins).
   */
  private static FfmpegTask awaitTask(VideoJob job) {
    String name = VideoJob.nameFor(job.getSpec().getJobId());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              FfmpegTask task = cluster.resources(FfmpegTask.class, NS).withName(name).get();
              return task != null
                  && task.getStatus() != null
                  && task.getStatus().getState() != null;
            });
    return cluster.resources(FfmpegTask.class, NS).withName(name).get();
  }

  private static void finishTask(FfmpegTask task, FfmpegTaskStatus status) {
    FfmpegTask fresh =
        cluster.resources(FfmpegTask.class, NS).withName(task.getMetadata().getName()).get();
    fresh.setStatus(status);
    cluster.client.resource(fresh).updateStatus();
  }

  @Test
  void heldJobWaitsAndMakesNoTask() {
    VideoJob job = trimJob(uploadedVideo(), JobRelease.Held);
    await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(job) == VideoJobState.Held);
    assertThat(
            cluster
                .resources(FfmpegTask.class, NS)
                .withName(VideoJob.nameFor(job.getSpec().getJobId()))
                .get())
        .isNull();
  }

  @Test
  void releasedJobRunsItsTaskAndStoresOneVideo() {
    Video source = uploadedVideo();
    VideoJob job = trimJob(source, JobRelease.Held);
    await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(job) == VideoJobState.Held);
    VideoJob held = read(job);
    held.getSpec().setRelease(JobRelease.Released);
    cluster.client.resource(held).update();

    FfmpegTask task = awaitTask(job);
    assertThat(task.getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(job.getMetadata().getUid());
    assertThat(task.getSpec().getCommand())
        .startsWith("-ss 1.000 -i in_1 -t 1.500 ")
        .contains("-c:v libx264");
    assertThat(task.getSpec().getInputs())
        .containsEntry(
            "in_1", "s3://" + TestingCluster.BUCKET + "/" + source.getSpec().getFileKey());
    String file = task.getSpec().getOutputs().get("out_1");
    assertThat(file).matches("video_trim_\\d{14}_" + job.getSpec().getJobId() + "\\.mp4");

    // The library key, named after the source as the API's contract shows, came with the task.
    String key = task.getMetadata().getAnnotations().get(ResultKeys.ANNOTATION);
    assertThat(key).matches("modi/clip-" + source.getSpec().getId() + "_trim_\\d{14}\\.mp4");

    String outputKey = completeWithOutput(task, file);

    await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(job) == VideoJobState.Succeeded);
    long videoId = read(job).getStatus().getOutputVideoId();
    Video result = cluster.resources(Video.class, NS).withName(Video.nameFor(videoId)).get();
    assertThat(result.getSpec().getOrigin()).isEqualTo(VideoOrigin.Trim);
    assertThat(result.getSpec().getFileKey()).isEqualTo(key);
    assertThat(result.getSpec().getTrimInfo().getTrimEnd()).isEqualTo(2500L);
    assertThat(result.getSpec().getMedia().getDurationMillis()).isEqualTo(1500L);
    assertThat(cluster.storage.readText(key)).contains("trimmed bytes");
    assertThat(cluster.storage.size(outputKey)).isEmpty();
    assertThat(
            cluster
                .resources(Video.class, NS)
                .withLabel(Video.JOB_LABEL, String.valueOf(job.getSpec().getJobId()))
                .list()
                .getItems())
        .hasSize(1);
  }

  @Test
  void aTaskMadeByAnEarlierVersionStoresItsResultUnderTheOldName() {
    Video source = uploadedVideo();
    VideoJob job = trimJob(source, JobRelease.Held);
    await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(job) == VideoJobState.Held);
    // Such a task has no library key annotation, and an output named as that version named it;
    // it has the component label every version gave a VideoJob's task.
    String file = "video_trim_20240910161824_" + job.getSpec().getJobId() + ".mkv";
    FfmpegTask old = new FfmpegTask();
    old.setMetadata(
        new ObjectMetaBuilder()
            .withName(VideoJob.nameFor(job.getSpec().getJobId()))
            .withNamespace(NS)
            .withLabels(
                Map.of(CrdConstants.LABEL_COMPONENT, VideoJobReconciler.VIDEO_JOB_COMPONENT))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(job.getApiVersion())
                    .withKind(job.getKind())
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .build())
            .build());
    old.setSpec(
        new FfmpegTaskSpec(
            "-i in_1 -c copy out_1",
            Map.of("in_1", "s3://" + TestingCluster.BUCKET + "/" + source.getSpec().getFileKey()),
            Map.of("out_1", file)));
    cluster.client.resource(old).create();
    VideoJob held = read(job);
    held.getSpec().setRelease(JobRelease.Released);
    cluster.client.resource(held).update();

    completeWithOutput(awaitTask(job), file);

    await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(job) == VideoJobState.Succeeded);
    long videoId = read(job).getStatus().getOutputVideoId();
    Video result = cluster.resources(Video.class, NS).withName(Video.nameFor(videoId)).get();
    assertThat(result.getSpec().getFileKey()).isEqualTo("modi/" + file);
    assertThat(cluster.storage.readText("modi/" + file)).contains("trimmed bytes");
  }

  /** Stores an output for the task and marks it completed; returns the output's key. */
  private static String completeWithOutput(FfmpegTask task, String file) {
    String outputKey = "ffmpeg-outputs/" + task.getMetadata().getName() + "/" + file;
    cluster.storage.putText(outputKey, "trimmed bytes");
    FfmpegTaskStatus done = new FfmpegTaskStatus();
    done.setState(TaskState.Completed);
    MediaInfo media = new MediaInfo();
    media.setVideoCodec("h264");
    media.setDurationMillis(1500L);
    StoredOutput out = new StoredOutput("out_1", TestingCluster.BUCKET, outputKey, 13L);
    out.setMedia(media);
    done.setOutputs(List.of(out));
    finishTask(task, done);
    return outputKey;
  }

  @Test
  void failedTaskFailsTheJobWithItsMessage() {
    VideoJob job = trimJob(uploadedVideo(), JobRelease.Released);
    FfmpegTask task = awaitTask(job);
    FfmpegTaskStatus failed = new FfmpegTaskStatus();
    failed.setState(TaskState.Failed);
    failed.setReason("FfmpegFailed");
    failed.setMessage("ffmpeg failed (exit 1): something broke");
    finishTask(task, failed);
    await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(job) == VideoJobState.Failed);
    assertThat(read(job).getStatus().getMessage())
        .isEqualTo("ffmpeg failed (exit 1): something broke");
  }

  @Test
  void jobOfAMissingVideoFailsWithoutATask() {
    Video gone = uploadedVideo();
    cluster.client.resource(gone).delete();
    VideoJob job = trimJob(gone, JobRelease.Released);
    await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(job) == VideoJobState.Failed);
    assertThat(read(job).getStatus().getReason()).isEqualTo("VideoMissing");
  }
}
