package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.ParallelPhase;
import io.ffmpegoperator.crds.TaskParallel;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.storage.StorageKeys;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A parallel task against a Kubernetes API in CRUD mode and a real S3: the children's Jobs are
 * driven by hand, and the parent is seen to move through its phases.
 */
class ParallelRunsIT {
  private static final String NS = TestingCluster.NS;
  private static final String BUCKET = TestingCluster.BUCKET;
  private static final String COMMAND = "-i in_1 -c:v libx264 -crf 23 -c:a aac out_1";

  /** Five frames at 25 fps, keyframes at 0 and 3, and an audio stream. */
  private static final String PROBE =
      String.join(
          "\n",
          "#tb 0: 1/25",
          "#media_type 0: video",
          "#tb 1: 1/44100",
          "#media_type 1: audio",
          "0,          0,          0,        1,      100, 0x00000001",
          "1,          0,          0,     1024,       10, 0x00000002",
          "0,          1,          1,        1,      100, 0x00000003, F=0x0",
          "0,          2,          2,        1,      100, 0x00000004, F=0x0",
          "0,          3,          3,        1,      100, 0x00000005",
          "0,          4,          4,        1,      100, 0x00000006, F=0x0",
          "");

  @RegisterExtension static final TestingCluster cluster = new TestingCluster();
  private Operator operator;

  @BeforeEach
  void startOperator() {
    operator = cluster.startOperator();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  private static FfmpegTask parallelTask(String command) {
    return parallelTask(command, 2);
  }

  private static FfmpegTask parallelTask(String command, int segments) {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(UUID.randomUUID().toString())
            .withNamespace(NS)
            .withLabels(Map.of(CrdConstants.LABEL_CLIENT, "alice"))
            .build());
    task.setSpec(
        new FfmpegTaskSpec(
            command,
            Map.of("in_1", "s3://" + BUCKET + "/samples/long.mp4"),
            Map.of("out_1", "film.mp4")));
    task.getSpec().setParallel(TaskParallel.ofSegments(segments));
    task.getSpec().setTimeoutSeconds(600L);
    return cluster.client.resource(task).create();
  }

  private static FfmpegTask read(String name) {
    return cluster.resources(FfmpegTask.class, NS).withName(name).get();
  }

  private static FfmpegTask awaitChild(String name) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> read(name), t -> t != null);
  }

  private static FfmpegTaskStatus awaitState(String name, TaskState state) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(name).getStatus(), s -> s != null && s.getState() == state);
  }

  /** Ends the child's Job as Complete with its output stored, as its worker would. */
  private static void complete(FfmpegTask child, String output) {
    cluster.storage.putText(StorageKeys.taskOutput(name(child), output), "0123456789");
    endJob(child, "Complete", null);
  }

  private static void endJob(FfmpegTask child, String type, String reason) {
    String jobName = "fft-" + name(child);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.jobs(NS).withName(jobName).get() != null);
    Job job = cluster.jobs(NS).withName(jobName).get();
    job.setStatus(
        new JobStatusBuilder()
            .withStartTime("2026-01-01T00:00:00Z")
            .withActive(0)
            .addToConditions(
                new JobConditionBuilder()
                    .withType(type)
                    .withStatus("True")
                    .withReason(reason)
                    .build())
            .build());
    cluster.jobs(NS).resource(job).updateStatus();
  }

  private static String name(FfmpegTask task) {
    return task.getMetadata().getName();
  }

  /** The parent with its probe done: its two segments and its audio child exist. */
  private static FfmpegTask probed() {
    FfmpegTask parent = parallelTask(COMMAND);
    FfmpegTask probe = awaitChild(name(parent) + "-probe");
    cluster.storage.putText(StorageKeys.taskOutput(name(probe), "probe.crc"), PROBE);
    endJob(probe, "Complete", null);
    awaitChild(name(parent) + "-seg-0");
    awaitChild(name(parent) + "-seg-1");
    awaitChild(name(parent) + "-audio");
    return parent;
  }

  @Test
  void parentRunsThroughProbeSegmentsAndJoinThenKeepsTheOutputAlone() {
    FfmpegTask parent = parallelTask(COMMAND);
    String id = name(parent);
    FfmpegTask probe = awaitChild(id + "-probe");
    OwnerReference owner = probe.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getName()).isEqualTo(id);
    assertThat(owner.getUid()).isEqualTo(parent.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(probe.getMetadata().getLabels())
        .containsEntry(CrdConstants.LABEL_PARENT, id)
        .containsEntry(CrdConstants.LABEL_CLIENT, "alice");
    assertThat(probe.getSpec().getCommand()).contains("-f framecrc");
    assertThat(probe.getSpec().getTimeoutSeconds()).isEqualTo(600L);
    assertThat(awaitState(id, TaskState.Running).getParallel().getPhase())
        .isEqualTo(ParallelPhase.Probe);

    cluster.storage.putText(StorageKeys.taskOutput(name(probe), "probe.crc"), PROBE);
    endJob(probe, "Complete", null);
    FfmpegTask first = awaitChild(id + "-seg-0");
    FfmpegTask second = awaitChild(id + "-seg-1");
    FfmpegTask audio = awaitChild(id + "-audio");
    assertThat(first.getSpec().getCommand()).startsWith("-ss 0 -i in_1 -frames:v 3 ");
    assertThat(second.getSpec().getCommand()).startsWith("-ss 0.12 -i in_1 -frames:v 2 ");
    assertThat(audio.getSpec().getCommand()).contains("-c:a aac").contains("-vn");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(id).getStatus().getParallel().getSegmentsTotal() != null);
    assertThat(read(id).getStatus().getParallel().getPhase()).isEqualTo(ParallelPhase.Segments);

    complete(first, "segment.mp4");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(id).getStatus().getParallel().getSegmentsDone() == 1);
    int progress = read(id).getStatus().getProgress();
    assertThat(progress).isBetween(ParallelStatuses.PROBE_SHARE + 1, 99);
    complete(second, "segment.mp4");
    complete(audio, "audio.m4a");

    FfmpegTask join = awaitChild(id + "-join");
    assertThat(join.getSpec().getConcatLists())
        .containsEntry("segments", List.of("seg_0", "seg_1"));
    assertThat(join.getSpec().getInputs())
        .containsEntry("seg_1", "s3://" + BUCKET + "/ffmpeg-outputs/" + id + "-seg-1/segment.mp4")
        .containsEntry("audio", "s3://" + BUCKET + "/ffmpeg-outputs/" + id + "-audio/audio.m4a");
    assertThat(join.getSpec().getOutputs()).containsEntry("out_1", "film.mp4");
    complete(join, "film.mp4");

    FfmpegTaskStatus done = awaitState(id, TaskState.Completed);
    assertThat(done.getJobName()).isNull();
    assertThat(done.getOutputs())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKey()).isEqualTo("ffmpeg-outputs/" + id + "/film.mp4");
              assertThat(o.getSize()).isEqualTo(10L);
            });
    assertThat(done.getParallel().getPhase()).isEqualTo(ParallelPhase.Done);
    assertThat(done.getParallel().getPhases())
        .containsOnlyKeys("Probe", "Segments", "Join", "Store")
        .allSatisfy((phase, time) -> assertThat(time.getEndTime()).isNotNull());
    assertThat(cluster.storage.size("ffmpeg-outputs/" + id + "/film.mp4")).contains(10L);
    // The parent itself never had a Job.
    assertThat(cluster.jobs(NS).withName("fft-" + id).get()).isNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                cluster
                    .resources(FfmpegTask.class, NS)
                    .withLabel(CrdConstants.LABEL_PARENT, id)
                    .list()
                    .getItems()
                    .isEmpty());
    assertThat(cluster.storage.size(StorageKeys.taskOutput(id + "-join", "film.mp4"))).isEmpty();
  }

  @Test
  void anInputWithFewerKeyframesThanSegmentsAskedIsCutAtEachAndSaysSo() {
    FfmpegTask parent = parallelTask(COMMAND, 4);
    String id = name(parent);
    FfmpegTask probe = awaitChild(id + "-probe");
    cluster.storage.putText(StorageKeys.taskOutput(name(probe), "probe.crc"), PROBE);
    endJob(probe, "Complete", null);

    awaitChild(id + "-seg-1");
    awaitChild(id + "-audio");
    assertThat(read(id + "-seg-2")).isNull();
    String message =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                        .filter(e -> id.equals(e.getInvolvedObject().getName()))
                        .filter(e -> ParallelPlans.REASON_FEWER_SEGMENTS.equals(e.getReason()))
                        .map(e -> e.getMessage())
                        .findFirst(),
                Optional::isPresent)
            .get();
    assertThat(message)
        .isEqualTo(
            "Planned 2 segment(s), not 4: the input has 2 keyframe(s) to start a segment on");
  }

  @Test
  void aRestartedOperatorCarriesOnWithTheChildrenItMadeBefore() {
    FfmpegTask parent = probed();
    String id = name(parent);
    String segmentUid = read(id + "-seg-0").getMetadata().getUid();
    operator.stop();
    operator = cluster.startOperator();

    complete(read(id + "-seg-0"), "segment.mp4");
    complete(read(id + "-seg-1"), "segment.mp4");
    complete(read(id + "-audio"), "audio.m4a");
    complete(awaitChild(id + "-join"), "film.mp4");

    awaitState(id, TaskState.Completed);
    assertThat(read(id).getStatus().getParallel().getChildren())
        .containsOnlyKeys(id + "-probe", id + "-seg-0", id + "-seg-1", id + "-audio", id + "-join")
        .containsEntry(id + "-seg-1", "segment");
    assertThat(segmentUid).isNotNull();
  }

  @Test
  void aFailedSegmentFailsTheParentNamingIt() {
    FfmpegTask parent = probed();
    endJob(read(name(parent) + "-seg-1"), "Failed", "BackoffLimitExceeded");

    FfmpegTaskStatus failed = awaitState(name(parent), TaskState.Failed);
    assertThat(failed.getReason()).isEqualTo(ParallelRuns.REASON_CHILD_FAILED);
    assertThat(failed.getMessage()).startsWith("segment 2 of 2 failed: ");
  }

  @Test
  void cancelOfTheParentCancelsEveryChild() {
    FfmpegTask parent = probed();
    String id = name(parent);
    // A merge patch, as kubectl patch sends: the operator writes the status meanwhile.
    cluster
        .resources(FfmpegTask.class, NS)
        .withName(id)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"cancel\":true}}");

    awaitState(id, TaskState.Cancelled);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                cluster
                    .resources(FfmpegTask.class, NS)
                    .withLabel(CrdConstants.LABEL_PARENT, id)
                    .list()
                    .getItems()
                    .isEmpty());
  }

  @Test
  void aDeletedParentTakesItsChildrenWithIt() {
    FfmpegTask parent = probed();
    String id = name(parent);

    cluster.resources(FfmpegTask.class, NS).withName(id).delete();

    await().atMost(Duration.ofSeconds(20)).until(() -> read(id) == null);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                cluster
                    .resources(FfmpegTask.class, NS)
                    .withLabel(CrdConstants.LABEL_PARENT, id)
                    .list()
                    .getItems()
                    .isEmpty());
    assertThat(cluster.storage.size(StorageKeys.taskOutput(id + "-probe", "probe.crc"))).isEmpty();
  }

  @Test
  void anUnsplittableCommandFailsAsInvalidWithoutChildren() {
    FfmpegTask parent = parallelTask("-i in_1 -vf tmix=frames=3 -c:v libx264 out_1");

    FfmpegTaskStatus failed = awaitState(name(parent), TaskState.Failed);
    assertThat(failed.getReason()).isEqualTo(TaskStatuses.REASON_INVALID_COMMAND);
    assertThat(failed.getMessage()).contains("tmix");
    assertThat(read(name(parent) + "-probe")).isNull();
  }
}
