package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private final OperatorMetrics metrics = new OperatorMetrics();

  private static FfmpegTask task(TaskState state) {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder().withName("t").withCreationTimestamp(CREATED.toString()).build());
    if (state != null) {
      task.setStatus(status(state, null));
    }
    return task;
  }

  private static FfmpegTaskStatus status(TaskState state, String startTime) {
    FfmpegTaskStatus status = new FfmpegTaskStatus();
    status.setState(state);
    status.setStartTime(startTime);
    return status;
  }

  private Timer timer(String name, String... tags) {
    return metrics.registry().find(name).tags(tags).timer();
  }

  @Test
  void queueTimeIsCreationToStartAndRunTimeIsStartToEnd() {
    FfmpegTask task = task(null);
    metrics.taskChanged(task, null, status(TaskState.Pending, null), CREATED.plusSeconds(1));
    assertThat(timer(OperatorMetrics.TASK_QUEUE)).isNull();

    metrics.taskChanged(
        task,
        TaskState.Pending,
        status(TaskState.Running, "2026-01-01T00:00:30Z"),
        CREATED.plusSeconds(31));
    metrics.taskChanged(
        task,
        TaskState.Running,
        status(TaskState.Completed, "2026-01-01T00:00:30Z"),
        CREATED.plusSeconds(90));

    Timer queue = timer(OperatorMetrics.TASK_QUEUE);
    assertThat(queue.count()).isEqualTo(1);
    assertThat(queue.totalTime(TimeUnit.SECONDS)).isEqualTo(30);
    Timer run = timer(OperatorMetrics.TASK_DURATION, "state", "Completed");
    assertThat(run.count()).isEqualTo(1);
    assertThat(run.totalTime(TimeUnit.SECONDS)).isEqualTo(60);
  }

  @Test
  void aChangeSeenAgainFromAStaleCacheIsCountedOnce() {
    FfmpegTask task = task(TaskState.Running);
    for (int i = 0; i < 2; i++) {
      metrics.taskChanged(
          task,
          TaskState.Running,
          status(TaskState.Completed, "2026-01-01T00:00:10Z"),
          CREATED.plusSeconds(20));
    }
    assertThat(timer(OperatorMetrics.TASK_DURATION, "state", "Completed").count()).isEqualTo(1);
  }

  @Test
  void aTaskSeenFinishedAtOnceIsCountedOnceInEach() {
    metrics.taskChanged(
        task(TaskState.Pending),
        TaskState.Pending,
        status(TaskState.Failed, "2026-01-01T00:00:10Z"),
        CREATED.plusSeconds(20));
    assertThat(timer(OperatorMetrics.TASK_QUEUE).count()).isEqualTo(1);
    assertThat(timer(OperatorMetrics.TASK_DURATION, "state", "Failed").count()).isEqualTo(1);
  }

  @Test
  void unchangedStatesTasksThatNeverStartedAndBadTimestampsRecordNothing() {
    FfmpegTask task = task(TaskState.Running);
    metrics.taskChanged(
        task, TaskState.Running, status(TaskState.Running, "2026-01-01T00:00:10Z"), CREATED);
    // An invalid command fails before any pod starts: it has no run time.
    metrics.taskChanged(task(null), null, status(TaskState.Failed, null), CREATED);
    metrics.taskChanged(task, TaskState.Pending, status(TaskState.Failed, "yesterday"), CREATED);
    assertThat(metrics.registry().find(OperatorMetrics.TASK_QUEUE).timers()).isEmpty();
    assertThat(metrics.registry().find(OperatorMetrics.TASK_DURATION).timers()).isEmpty();
  }

  @Test
  void clockSkewNeverRecordsANegativeTime() {
    metrics.taskChanged(
        task(null), null, status(TaskState.Completed, "2026-01-01T00:01:00Z"), CREATED);
    Timer run = timer(OperatorMetrics.TASK_DURATION, "state", "Completed");
    assertThat(run.count()).isEqualTo(1);
    assertThat(run.totalTime(TimeUnit.SECONDS)).isZero();
  }

  @Test
  void tasksAreCountedByStateWithUnseenOnesPending() {
    metrics.countTasksIn(
        () ->
            List.of(
                task(null),
                task(TaskState.Pending),
                task(TaskState.Running),
                task(TaskState.Completed),
                task(TaskState.Completed))
                .stream());
    PrometheusText text = PrometheusText.parse(metrics.scrape());
    assertThat(text.sum("ffmpeg_tasks", "state", "Pending")).isEqualTo(2);
    assertThat(text.sum("ffmpeg_tasks", "state", "Running")).isEqualTo(1);
    assertThat(text.sum("ffmpeg_tasks", "state", "Completed")).isEqualTo(2);
    assertThat(text.sum("ffmpeg_tasks", "state", "Failed")).isZero();
  }
}
