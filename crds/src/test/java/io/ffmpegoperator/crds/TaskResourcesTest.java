package io.ffmpegoperator.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A task's resources as kubectl may write them: quantities as numbers or text, good or bad. */
class TaskResourcesTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static FfmpegTask task(String resources) {
    return JSON.unmarshal(
        "{\"apiVersion\":\"media.ffmpeg-operator.io/v1alpha1\",\"kind\":\"FfmpegTask\","
            + "\"metadata\":{\"name\":\"t\",\"namespace\":\"default\"},"
            + "\"spec\":{\"command\":\"-i in_1 out_1\",\"outputs\":{\"out_1\":\"o.mp4\"},"
            + "\"resources\":"
            + resources
            + "}}",
        FfmpegTask.class);
  }

  @Test
  void quantitiesAreReadAsWrittenWhetherNumbersOrText() {
    FfmpegTask task =
        task("{\"requests\":{\"cpu\":\"500m\"},\"limits\":{\"cpu\":2,\"memory\":\"1Gi\"}}");

    assertThat(task.decodeProblem()).isEmpty();
    TaskResources resources = task.getSpec().getResources();
    assertThat(TaskResources.text(resources.getRequests())).isEqualTo(Map.of("cpu", "500m"));
    assertThat(TaskResources.text(resources.getLimits()))
        .isEqualTo(Map.of("cpu", "2", "memory", "1Gi"));
  }

  @Test
  void aMalformedQuantityOrAnUnknownNameStillDecodesForThePolicyToRefuse() {
    FfmpegTask task = task("{\"limits\":{\"memory\":\"lots\",\"gpu\":1}}");

    assertThat(task.decodeProblem()).isEmpty();
    assertThat(TaskResources.text(task.getSpec().getResources().getLimits()))
        .isEqualTo(Map.of("memory", "lots", "gpu", "1"));
  }

  @Test
  void resourcesWrittenFromTextRoundTrip() {
    FfmpegTaskSpec spec = new FfmpegTaskSpec("-i in_1 out_1", Map.of(), Map.of("out_1", "o.mp4"));
    spec.setResources(new TaskResources(Map.of("memory", "256Mi"), null));

    FfmpegTaskSpec read = JSON.unmarshal(JSON.asJson(spec), FfmpegTaskSpec.class);
    assertThat(JSON.asJson(spec)).contains("\"resources\":{\"requests\":{\"memory\":\"256Mi\"}");
    assertThat(TaskResources.text(read.getResources().getRequests()))
        .isEqualTo(Map.of("memory", "256Mi"));
    assertThat(read.getResources().getLimits()).isEmpty();
  }
}
