package io.ffmpegoperator.dev.kube;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskState;
import java.util.List;
import java.util.Map;

/**
 * Small FfmpegTasks, statuses and Jobs for the API server's tests; what they say does not matter.
 */
final class TestingTasks {
  private TestingTasks() {}

  static FfmpegTask task(String name) {
    return task(name, Map.of());
  }

  static FfmpegTask task(String name, Map<String, String> labels) {
    FfmpegTask task = new FfmpegTask();
    task.getMetadata().setName(name);
    task.getMetadata().setLabels(labels);
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

  /** A Job with one container, owned by {@code owner} unless it is null. */
  static Job job(String name, OwnerReference owner) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withOwnerReferences(owner == null ? List.of() : List.of(owner))
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("worker")
        .withImage("worker")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
