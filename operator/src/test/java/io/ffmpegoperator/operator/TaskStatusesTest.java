package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:05Z");
  private static final Instant T2 = Instant.parse("2026-01-01T00:00:09Z");

  private static Condition succeeded(FfmpegTaskStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals("Succeeded"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void transitionTimeChangesOnlyWhenTheConditionFlips() {
    FfmpegTaskStatus pending = TaskStatuses.pending(null, 1, "fft-x", T0);
    FfmpegTaskStatus running = TaskStatuses.running(pending, 1, "fft-x", "t", 40, T1);
    FfmpegTaskStatus done =
        TaskStatuses.completed(
            running, 1, "fft-x", "t", List.of(new StoredOutput("out_1", "b", "k", 5L)), T2);
    assertThat(succeeded(pending).getStatus()).isEqualTo("Unknown");
    assertThat(succeeded(running).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(succeeded(running).getReason()).isEqualTo("Running");
    assertThat(succeeded(done).getStatus()).isEqualTo("True");
    assertThat(succeeded(done).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:09Z");
    assertThat(done.getState()).isEqualTo(TaskState.Completed);
    assertThat(done.getProgress()).isEqualTo(100);
  }

  @Test
  void progressNeverGoesBackAndStaysBelow100WhileRunning() {
    FfmpegTaskStatus at60 = TaskStatuses.running(null, 1, "j", "t", 60, T0);
    assertThat(TaskStatuses.running(at60, 1, "j", "t", 10, T1).getProgress()).isEqualTo(60);
    assertThat(TaskStatuses.running(at60, 1, "j", "t", 100, T1).getProgress()).isEqualTo(99);
  }

  @Test
  void invalidTaskFailsWithReasonAndMessage() {
    FfmpegTaskStatus status = TaskStatuses.invalid(null, 3, "bad thing", T0);
    assertThat(status.getState()).isEqualTo(TaskState.Failed);
    assertThat(status.getReason()).isEqualTo("InvalidCommand");
    assertThat(status.getObservedGeneration()).isEqualTo(3);
    assertThat(succeeded(status).getStatus()).isEqualTo("False");
    assertThat(succeeded(status).getMessage()).isEqualTo("bad thing");
  }

  @Test
  void cancelledTaskSaysWhetherItHadStartedAndKeepsNoOutputs() {
    FfmpegTaskStatus pending = TaskStatuses.pending(null, 1, "fft-x", T0);
    FfmpegTaskStatus early = TaskStatuses.cancelled(pending, 2, T1);
    assertThat(early.getState()).isEqualTo(TaskState.Cancelled);
    assertThat(early.getMessage()).isEqualTo("cancelled before it started");
    assertThat(early.getObservedGeneration()).isEqualTo(2);
    assertThat(succeeded(early).getStatus()).isEqualTo("False");
    assertThat(succeeded(early).getReason()).isEqualTo("Cancelled");
    assertThat(early.getCompletionTime()).isEqualTo("2026-01-01T00:00:05Z");

    FfmpegTaskStatus running = TaskStatuses.running(pending, 1, "fft-x", "t", 40, T1);
    running.setOutputs(List.of(new StoredOutput("out_1", "b", "k", 5L)));
    FfmpegTaskStatus late = TaskStatuses.cancelled(running, 2, T2);
    assertThat(late.getMessage()).startsWith("cancelled while running");
    assertThat(late.getOutputs()).isEmpty();
    assertThat(late.getState().isFinished()).isTrue();
  }

  @Test
  void sameInputGivesAnEqualStatus() {
    FfmpegTaskStatus a = TaskStatuses.running(null, 1, "j", "t", 5, T0);
    FfmpegTaskStatus b = TaskStatuses.running(a, 1, "j", "t", 5, T1);
    assertThat(b).usingRecursiveComparison().isEqualTo(a);
  }
}
