package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskParallel;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.policy.SplitCommand;
import io.ffmpegoperator.policy.TaskCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every child a parallel task makes is a task the platform's own checks let run. */
class ParallelChildrenTest {
  private static final String BUCKET = "platform";

  private static FfmpegTask parent() {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName("film")
            .withNamespace("media")
            .withUid("uid-1")
            .withLabels(Map.of(CrdConstants.LABEL_CLIENT, "alice"))
            .withAnnotations(Map.of(CrdConstants.ANNOTATION_SUBMITTED, "2026-12-06T08:00:00.123Z"))
            .build());
    task.setSpec(
        new FfmpegTaskSpec(
            "-i src -vf scale=1280:720 -c:v libx264 -crf 20 -c:a aac -b:a 128k -movflags +faststart"
                + " dst",
            Map.of("src", "https://example.com/film.mp4"),
            Map.of("dst", "film.mp4")));
    task.getSpec().setParallel(TaskParallel.ofSegments(32));
    task.getSpec().setResources(new TaskResources(Map.of("cpu", "2"), Map.of("cpu", "2")));
    task.getSpec().setTimeoutSeconds(900L);
    return task;
  }

  private static SplitCommand split(FfmpegTask parent) throws Exception {
    return SplitCommand.parse(WorkerJobFactory.request(parent.getSpec()));
  }

  private static void assertRuns(FfmpegTask child) {
    assertThatCode(() -> TaskCommand.parse(WorkerJobFactory.request(child.getSpec()), BUCKET))
        .as(child.getSpec().getCommand())
        .doesNotThrowAnyException();
  }

  @Test
  void probeSegmentAudioAndJoinAreTasksThatMayRun() throws Exception {
    FfmpegTask parent = parent();
    SplitCommand split = split(parent);
    List<FfmpegTask> children = new ArrayList<>();
    children.add(ParallelChildren.probe(parent, split));
    children.add(ParallelChildren.segment(parent, split, new SegmentPlan.Segment(3, "12.48", 301)));
    children.add(ParallelChildren.audio(parent, split));
    // As many segments as the default maximum: more inputs than a task may name directly.
    children.add(ParallelChildren.join(parent, split, 32, true, BUCKET));

    children.forEach(ParallelChildrenTest::assertRuns);
  }

  @Test
  void childrenAreNamedOwnedAndLabelledAfterTheirParent() throws Exception {
    FfmpegTask parent = parent();
    FfmpegTask segment =
        ParallelChildren.segment(parent, split(parent), new SegmentPlan.Segment(3, "12.48", 301));

    assertThat(segment.getMetadata().getName()).isEqualTo("film-seg-3");
    assertThat(segment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(segment.getMetadata().getLabels())
        .containsEntry(CrdConstants.LABEL_PARENT, "film")
        .containsEntry(CrdConstants.LABEL_CLIENT, "alice");
    assertThat(segment.getMetadata().getAnnotations())
        .containsEntry(CrdConstants.ANNOTATION_SUBMITTED, "2026-12-06T08:00:00.123Z");
    assertThat(segment.getSpec().getResources()).isEqualTo(parent.getSpec().getResources());
    assertThat(segment.getSpec().getTimeoutSeconds()).isEqualTo(900L);
    assertThat(segment.getSpec().getParallel()).isNull();
    assertThat(segment.getSpec().getCommand())
        .isEqualTo(
            "-ss 12.48 -i in_1 -frames:v 301 -map 0:v:0 -vf scale=1280:720 -c:v libx264 -crf 20"
                + " -an -movie_timescale 120000 -f mp4 out_1");
    assertThat(segment.getSpec().getInputs()).containsEntry("in_1", "https://example.com/film.mp4");
  }

  @Test
  void joinCopiesTheSegmentsAndMuxesTheAudioIntoTheParentsFile() throws Exception {
    FfmpegTask parent = parent();
    FfmpegTask join = ParallelChildren.join(parent, split(parent), 2, true, BUCKET);

    assertThat(join.getSpec().getCommand())
        .isEqualTo(
            "-f concat -i segments -i audio -map 0:v -map 1:a -c copy -movflags +faststart out_1");
    assertThat(join.getSpec().getConcatLists())
        .containsEntry("segments", List.of("seg_0", "seg_1"));
    assertThat(join.getSpec().getInputs())
        .containsEntry("seg_0", "s3://platform/ffmpeg-outputs/film-seg-0/segment.mp4")
        .containsEntry("audio", "s3://platform/ffmpeg-outputs/film-audio/audio.m4a");
    assertThat(join.getSpec().getOutputs()).containsEntry("out_1", "film.mp4");

    FfmpegTask silent = ParallelChildren.join(parent, split(parent), 2, false, BUCKET);
    assertThat(silent.getSpec().getCommand()).doesNotContain("audio").contains("-map 0:v -c copy");
    assertRuns(silent);
  }
}
