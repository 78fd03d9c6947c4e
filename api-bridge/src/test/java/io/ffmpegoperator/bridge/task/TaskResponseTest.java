package io.ffmpegoperator.bridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskResponseTest {
  private static final String ID = "3f6c1d7e-1111-4222-8333-444455556666";

  @Test
  void aTaskWithoutStatusIsPending() {
    assertThat(responseTo(null)).isEqualTo(new TaskResponse(ID, "pending", null, null));
  }

  @Test
  void aCompletedTaskLinksItsOutputsInSpecOrder() {
    FfmpegTaskStatus status = status(TaskState.Completed, "done");
    status.setOutputs(
        List.of(
            new StoredOutput("thumb", "b", "ffmpeg-outputs/" + ID + "/t.jpg", 1L),
            new StoredOutput("video", "b", null, 2L)));

    TaskResponse response = responseTo(status);

    assertThat(response.status()).isEqualTo("completed");
    assertThat(response.errorMessage()).isNull();
    assertThat(response.outputUrls())
        .containsExactly(
            Map.entry("video", "url:ffmpeg-outputs/" + ID + "/v.mp4"),
            Map.entry("thumb", "url:ffmpeg-outputs/" + ID + "/t.jpg"));
  }

  @Test
  void aFailedTaskCarriesItsMessageAndNoLinks() {
    FfmpegTaskStatus status =
        status(TaskState.Failed, "input 'in_1' could not be downloaded: HTTP 404");

    assertThat(responseTo(status))
        .isEqualTo(
            new TaskResponse(ID, "failed", null, "input 'in_1' could not be downloaded: HTTP 404"));
  }

  @Test
  void aCancelledTaskIsFailedToTheSeedApiWithItsCancelMessage() {
    FfmpegTaskStatus status = status(TaskState.Cancelled, "cancelled before it started");

    assertThat(responseTo(status))
        .isEqualTo(new TaskResponse(ID, "failed", null, "cancelled before it started"));
  }

  @Test
  void aRunningTaskHasNeitherLinksNorMessage() {
    FfmpegTaskStatus status = status(TaskState.Running, "ffmpeg is running");

    assertThat(responseTo(status)).isEqualTo(new TaskResponse(ID, "running", null, null));
  }

  /** The response for the task with {@code status}, its links "url:" and the object key. */
  private static TaskResponse responseTo(FfmpegTaskStatus status) {
    return TaskResponse.of(task(status), key -> "url:" + key);
  }

  private static FfmpegTaskStatus status(TaskState state, String message) {
    FfmpegTaskStatus status = new FfmpegTaskStatus();
    status.setState(state);
    status.setMessage(message);
    return status;
  }

  private static FfmpegTask task(FfmpegTaskStatus status) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("video", "v.mp4");
    outputs.put("thumb", "t.jpg");
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(new ObjectMetaBuilder().withName(ID).withNamespace("ns").build());
    task.setSpec(new FfmpegTaskSpec("-i in_1 video -frames:v 1 thumb", Map.of(), outputs));
    task.setStatus(status);
    return task;
  }
}
