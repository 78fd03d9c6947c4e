package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The pool's decisions, from the warm Jobs of a namespace alone. */
class WarmPoolTest {
  private static final String URL = "http://127.0.0.1:8081";
  private static final S3Storage STORAGE =
      new S3Storage(
          new S3Settings("media", "us-east-1", URI.create("http://127.0.0.1:9"), "id", "secret"));
  private static final WorkerJobFactory FACTORY =
      new WorkerJobFactory(OperatorConfig.defaults(), STORAGE);

  @AfterAll
  static void close() {
    STORAGE.close();
  }

  @Test
  void missingJobsAreCreatedCountingThoseNotSeenYet() {
    Job one = warm("a", URL, "2026-01-01T00:00:00Z", true);

    assertThat(WarmPool.plan(List.of(), 3, URL + "/", 0).create()).isEqualTo(3);
    assertThat(WarmPool.plan(List.of(one), 3, URL + "/", 0).create()).isEqualTo(2);
    // Two made a moment ago, not shown by the watch yet: they count.
    WarmPool.Plan plan = WarmPool.plan(List.of(one), 3, URL + "/", 2);
    assertThat(plan.create()).isZero();
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.retire()).isEmpty();
  }

  @Test
  void claimedJobsAreNotThePoolsAndTheirPlacesAreFilled() {
    Job claimed =
        new JobBuilder(warm("a", URL, "2026-01-01T00:00:00Z", true))
            .editMetadata()
            .addToAnnotations(WarmJobs.TASK_ANNOTATION, "task-1")
            .endMetadata()
            .build();
    Job deleting =
        new JobBuilder(warm("b", URL, "2026-01-01T00:00:00Z", true))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:01:00Z")
            .endMetadata()
            .build();

    WarmPool.Plan plan = WarmPool.plan(List.of(claimed, deleting), 1, URL + "/", 0);

    assertThat(plan.create()).isEqualTo(1);
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.retire()).isEmpty();
  }

  @Test
  void aRunningClaimIsReplacedWhenItEndsWhileTwoOthersWait() {
    Job a = warm("a", URL, "2026-01-01T00:00:00Z", true);
    Job b = warm("b", URL, "2026-01-01T00:00:01Z", true);
    Job running = claimed(warm("c", URL, "2026-01-01T00:00:02Z", true));
    Job done =
        new JobBuilder(running)
            .withNewStatus()
            .addToConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .endStatus()
            .build();

    // Two still wait: the third's replacement would start beside its task's ffmpeg.
    assertThat(WarmPool.plan(List.of(a, b, running), 3, URL + "/", 0).create()).isZero();
    assertThat(WarmPool.plan(List.of(a, b, done), 3, URL + "/", 0).create()).isEqualTo(1);
    // Fewer than two wait: every replacement starts at once, running claims or not.
    Job another = claimed(warm("d", URL, "2026-01-01T00:00:03Z", true));
    assertThat(WarmPool.plan(List.of(a, running, another), 3, URL + "/", 0).create()).isEqualTo(2);
    assertThat(WarmPool.plan(List.of(running), 1, URL + "/", 0).create()).isEqualTo(1);
    assertThat(WarmPool.plan(List.of(a, running), 2, URL + "/", 0).create()).isEqualTo(1);
  }

  private static Job claimed(Job job) {
    return new JobBuilder(job)
        .editMetadata()
        .addToAnnotations(WarmJobs.TASK_ANNOTATION, "task-1")
        .endMetadata()
        .build();
  }

  @Test
  void finishedUnclaimedJobsAreDeletedAndReplaced() {
    Job finished =
        new JobBuilder(warm("a", URL, "2026-01-01T00:00:00Z", true))
            .withNewStatus()
            .addToConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("DeadlineExceeded")
                    .build())
            .endStatus()
            .build();

    WarmPool.Plan plan = WarmPool.plan(List.of(finished), 1, URL + "/", 0);

    assertThat(plan.delete()).containsExactly(finished);
    assertThat(plan.create()).isEqualTo(1);
  }

  @Test
  void jobsMadeForAnotherOrderUrlAreRetiredAndReplaced() {
    Job elsewhere = warm("a", "http://127.0.0.1:9999", "2026-01-01T00:00:00Z", true);

    WarmPool.Plan plan = WarmPool.plan(List.of(elsewhere), 1, URL + "/", 0);

    assertThat(plan.retire()).containsExactly(elsewhere);
    assertThat(plan.create()).isEqualTo(1);
  }

  @Test
  void theSurplusGoesPodsThatNeverAskedFirstThenTheYoungest() {
    Job oldAsked = warm("old", URL, "2026-01-01T00:00:00Z", true);
    Job youngAsked = warm("young", URL, "2026-01-01T00:05:00Z", true);
    Job neverAsked = warm("silent", URL, "2026-01-01T00:00:00Z", false);

    WarmPool.Plan plan = WarmPool.plan(List.of(oldAsked, youngAsked, neverAsked), 1, URL + "/", 0);

    assertThat(plan.retire()).containsExactly(neverAsked, youngAsked);
    assertThat(plan.create()).isZero();
  }

  private static Job warm(String name, String url, String created, boolean asked) {
    Job job =
        FACTORY.buildWarm(
            "media",
            "fft-warm-" + name,
            WarmJobs.hash("t"),
            url + "/warm/v1/namespaces/media/jobs/fft-warm-" + name + "/order");
    job.getMetadata().setCreationTimestamp(created);
    if (asked) {
      job.getMetadata().getAnnotations().put(WarmJobs.ASKED_AT_ANNOTATION, created);
    }
    return job;
  }
}
