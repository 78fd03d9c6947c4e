package io.ffmpegoperator.dev.kube;

import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskState;
import java.util.Map;

/** Small FfmpegTasks and statuses for the API server's tests; what they say does not matter. */
final class TestingTasks {
  private TestingTasks() {}

  static FfmpegTask task(String name) {
    FfmpegTask task = new FfmpegTask();
    task.getMetadata().setName(name);
    task.setSpec(
        new FfmpegTaskSpec(
            "-i in_1 out_1",
            Map.of("in_1", "https://example.com/a.mp4"),
            Map.of("out_1", "o.mp4")));
    return task;
  }

  static FfmpegTaskStatus status(TaskState state, int progress) {
    FfmpegTaskStatus status = new FfmpegTaskStatus();
    status.setState(state);
    status.setProgress(progress);
    return status;
  }
}
