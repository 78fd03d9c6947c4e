package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.storage.StorageKeys;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Finished tasks and their outputs go when their time to live has passed, and not before. */
class TaskRetentionIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();

  private static final String COMMAND =
      "-i in_1 -t 1 -vf scale=160:90 -c:v libx264 -preset ultrafast -an out_1";

  @Test
  void aFinishedTaskAndItsOutputsAreDeletedAfterItsTimeToLive() throws Exception {
    String id = create(2L);
    assertThat(stack.api().awaitTaskFinished(id).get("status").asText()).isEqualTo("completed");
    String output = StorageKeys.taskOutput(id, "kept-briefly.mp4");
    assertThat(stack.storage().size(output)).isPresent();

    await().atMost(Duration.ofSeconds(30)).until(() -> stack.task(id) == null);
    assertThat(stack.storage().size(output)).isEmpty();
    assertThat(stack.api().get("/ffmpeg/status/" + id).status()).isEqualTo(404);
  }

  @Test
  void aTaskWithoutItsOwnTimeToLiveIsKeptForTheDefaultWeek() throws Exception {
    String id = stack.registerOnSample(COMMAND, "kept.mp4");
    assertThat(stack.api().awaitTaskFinished(id).get("status").asText()).isEqualTo("completed");
    // Long past the short time to live of the test above: this one is still there.
    Thread.sleep(4_000);
    assertThat(stack.task(id)).isNotNull();
    assertThat(stack.storage().size(StorageKeys.taskOutput(id, "kept.mp4"))).isPresent();
  }

  /** A task as kubectl would create it, with {@code spec.ttlSecondsAfterFinished}. */
  private static String create(Long ttlSeconds) {
    String id = UUID.randomUUID().toString();
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder().withName(id).withNamespace(stack.config().namespace()).build());
    task.setSpec(
        new FfmpegTaskSpec(
            COMMAND, Map.of("in_1", stack.sampleInput()), Map.of("out_1", "kept-briefly.mp4")));
    task.getSpec().setTtlSecondsAfterFinished(ttlSeconds);
    stack.kubernetesClient().resource(task).create();
    return id;
  }
}
