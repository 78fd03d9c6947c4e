package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a claim writes, and which Job it tries first. */
class WarmClaimTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theClaimMakesTheTaskTheJobsOwnerOnlyIfTheJobIsUnchanged() throws Exception {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder().withName("task-1").withNamespace("media").withUid("uid-1").build());
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName("fft-warm-1")
            .withNamespace("media")
            .withResourceVersion("42")
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    // Idle for ten minutes when claimed.
    Instant now = Instant.parse("2026-01-01T00:10:00.500Z");

    JsonNode patch = JSON.readTree(WarmClaim.claimPatch(job, task, Duration.ofHours(1), now));

    JsonNode metadata = patch.get("metadata");
    assertThat(metadata.get("resourceVersion").asText()).isEqualTo("42");
    assertThat(metadata.get("labels").get(CrdConstants.LABEL_INSTANCE).asText())
        .isEqualTo("task-1");
    assertThat(metadata.get("annotations").get(WarmJobs.TASK_ANNOTATION).asText())
        .isEqualTo("task-1");
    assertThat(metadata.get("annotations").get(WarmJobs.CLAIMED_AT_ANNOTATION).asText())
        .isEqualTo("2026-01-01T00:10:00Z");
    JsonNode owner = metadata.get("ownerReferences").get(0);
    assertThat(owner.get("uid").asText()).isEqualTo("uid-1");
    assertThat(owner.get("name").asText()).isEqualTo("task-1");
    assertThat(owner.get("controller").asBoolean()).isTrue();
    // Its deadline counts from the Job's start: the idle time so far plus the task's timeout.
    assertThat(patch.get("spec").get("activeDeadlineSeconds").asLong()).isEqualTo(600 + 3600 + 1);
  }

  @Test
  void aParallelTasksChildLabelsTheClaimedJobWithItsParent() throws Exception {
    FfmpegTask segment = new FfmpegTask();
    segment.setMetadata(
        new ObjectMetaBuilder()
            .withName("film-seg-3")
            .withUid("uid-3")
            .addToLabels(CrdConstants.LABEL_PARENT, "film")
            .build());
    Job job = new JobBuilder().withNewMetadata().withName("fft-warm-2").endMetadata().build();

    JsonNode patch =
        JSON.readTree(WarmClaim.claimPatch(job, segment, Duration.ofHours(1), Instant.now()));

    // kubectl get jobs -l media.ffmpeg-operator.io/parent=film lists it.
    assertThat(patch.at("/metadata/labels").get(CrdConstants.LABEL_PARENT).asText())
        .isEqualTo("film");
  }

  @Test
  void theOldestWaitingJobIsTriedFirst() {
    Job older = job("b", "2026-01-01T00:00:00Z");
    Job newer = job("a", "2026-01-01T00:05:00Z");
    Job sameAge = job("c", "2026-01-01T00:00:00Z");

    assertThat(WarmClaim.candidates(Stream.of(newer, sameAge, older)))
        .containsExactly(older, sameAge, newer);
  }

  private static Job job(String name, String created) {
    return new JobBuilder()
        .withNewMetadata()
        .withName("fft-warm-" + name)
        .withCreationTimestamp(created)
        .endMetadata()
        .build();
  }
}
