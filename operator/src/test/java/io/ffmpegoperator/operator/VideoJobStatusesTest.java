package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoJobStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VideoJobStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:05Z");
  private static final Instant T2 = Instant.parse("2026-01-01T00:00:09Z");

  private static Condition succeeded(VideoJobStatus status) {
    assertThat(status.getConditions()).hasSize(1);
    return status.getConditions().get(0);
  }

  @Test
  void transitionTimeChangesOnlyWhenTheConditionFlips() {
    VideoJobStatus held = VideoJobStatuses.held(null, 1, T0);
    VideoJobStatus running = VideoJobStatuses.running(held, 2, "videojob-1", 40, T1);
    VideoJobStatus done = VideoJobStatuses.succeeded(running, 2, 7, T2);

    assertThat(succeeded(running).getStatus()).isEqualTo("Unknown");
    assertThat(succeeded(running).getReason()).isEqualTo("Running");
    assertThat(succeeded(running).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(succeeded(done).getStatus()).isEqualTo("True");
    assertThat(succeeded(done).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:09Z");
    assertThat(succeeded(done).getObservedGeneration()).isEqualTo(2);
    assertThat(done.getState()).isEqualTo(VideoJobState.Succeeded);
    assertThat(done.getOutputVideoId()).isEqualTo(7);
    assertThat(done.getProgress()).isEqualTo(100);
    // The builder never changes what it was given.
    assertThat(succeeded(running).getStatus()).isEqualTo("Unknown");
  }

  @Test
  void aFailureKeepsTheTaskItRan() {
    VideoJobStatus pending = VideoJobStatuses.pending(null, 1, "videojob-3", T0);
    VideoJobStatus failed = VideoJobStatuses.failed(pending, 1, "FfmpegFailed", "exit 1", T1);

    assertThat(failed.getTaskName()).isEqualTo("videojob-3");
    assertThat(failed.getCompletionTime()).isEqualTo("2026-01-01T00:00:05Z");
    assertThat(succeeded(failed).getStatus()).isEqualTo("False");
    assertThat(succeeded(failed).getMessage()).isEqualTo("exit 1");
  }
}
