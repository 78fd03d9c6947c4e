package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WarmJobsTest {

  @Test
  void aTokenIsCheckedAgainstTheHashTheJobKeeps() {
    String token = WarmJobs.newToken(new SecureRandom());
    assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
    assertThat(WarmJobs.newToken(new SecureRandom())).isNotEqualTo(token);
    Job job =
        warm()
            .addToAnnotations(WarmJobs.TOKEN_HASH_ANNOTATION, WarmJobs.hash(token))
            .endMetadata()
            .build();

    assertThat(WarmJobs.hash(token)).hasSize(64).isNotEqualTo(token);
    assertThat(WarmJobs.tokenMatches(job, "Bearer " + token)).isTrue();
    assertThat(WarmJobs.tokenMatches(job, "Bearer " + token + "x")).isFalse();
    assertThat(WarmJobs.tokenMatches(job, token)).isFalse();
    assertThat(WarmJobs.tokenMatches(job, null)).isFalse();
    // A Job without a hash (made before tokens were hashed) takes no token at all.
    assertThat(WarmJobs.tokenMatches(warm().endMetadata().build(), "Bearer " + token)).isFalse();
  }

  @Test
  void onlyAnUnclaimedLiveJobWhosePodAskedMayBeClaimed() {
    Job fresh = warm().endMetadata().build();
    Job asked =
        warm()
            .addToAnnotations(WarmJobs.ASKED_AT_ANNOTATION, "2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    Job claimed =
        new JobBuilder(asked)
            .editMetadata()
            .addToAnnotations(WarmJobs.TASK_ANNOTATION, "task-1")
            .endMetadata()
            .build();
    Job finished =
        new JobBuilder(asked)
            .withNewStatus()
            .addToConditions(
                new JobConditionBuilder().withType("Failed").withStatus("True").build())
            .endStatus()
            .build();
    Job deleting =
        new JobBuilder(asked)
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:01Z")
            .endMetadata()
            .build();

    assertThat(WarmJobs.isUnclaimed(fresh)).isTrue();
    assertThat(WarmJobs.isClaimable(fresh)).isFalse();
    assertThat(WarmJobs.isClaimable(asked)).isTrue();
    assertThat(WarmJobs.taskOf(claimed)).isEqualTo("task-1");
    assertThat(WarmJobs.isClaimable(claimed)).isFalse();
    assertThat(WarmJobs.isClaimable(finished)).isFalse();
    assertThat(WarmJobs.isClaimable(deleting)).isFalse();
  }

  private static JobBuilder.MetadataNested<JobBuilder> warm() {
    return new JobBuilder().withNewMetadata().withName("fft-warm-1").withNamespace("media");
  }
}
