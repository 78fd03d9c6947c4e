package io.ffmpegoperator.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stored objects that do not fit the model still decode, flagged; unknown fields are ignored. */
class TolerantResourceTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static String task(String name, String spec, String status) {
    return "{\"apiVersion\":\"media.ffmpeg-operator.io/v1alpha1\",\"kind\":\"FfmpegTask\","
        + "\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"default\",\"labels\":{\"team\":\"a\"}},"
        + "\"spec\":"
        + spec
        + (status == null ? "" : ",\"status\":" + status)
        + "}";
  }

  private static final String GOOD_SPEC =
      "{\"command\":\"-i in_1 out_1\",\"inputs\":{\"in_1\":\"http://h/a.mp4\"},"
          + "\"outputs\":{\"out_1\":\"o.mp4\"}}";

  @Test
  void aWellFormedTaskHasNoProblem() {
    FfmpegTask task =
        JSON.unmarshal(task("good", GOOD_SPEC, "{\"state\":\"Running\"}"), FfmpegTask.class);

    assertThat(task.decodeProblem()).isEmpty();
    assertThat(task.getSpec().getInputs()).containsEntry("in_1", "http://h/a.mp4");
    assertThat(task.getStatus().getState()).isEqualTo(TaskState.Running);
  }

  @Test
  void aSpecOfTheWrongShapeLeavesTheSpecNullAndSaysWhere() {
    String spec = "{\"command\":\"-i in_1 out_1\",\"inputs\":\"http://h/a.mp4\"}";
    FfmpegTask task = JSON.unmarshal(task("broken", spec, null), FfmpegTask.class);

    assertThat(task.getMetadata().getName()).isEqualTo("broken");
    assertThat(task.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(task.getSpec()).isNull();
    assertThat(task.decodeProblem()).contains("spec.inputs: expected an object, got a string");
  }

  @Test
  void aStatusOfTheWrongShapeKeepsTheSpec() {
    FfmpegTask task =
        JSON.unmarshal(task("odd", GOOD_SPEC, "{\"state\":\"Bogus\"}"), FfmpegTask.class);

    assertThat(task.getSpec().getCommand()).isEqualTo("-i in_1 out_1");
    assertThat(task.getStatus()).isNull();
    assertThat(task.decodeProblem())
        .hasValueSatisfying(
            problem -> assertThat(problem).startsWith("status.state: expected one of [Pending"));
  }

  @Test
  void fieldsOfANewerVersionAreIgnored() {
    String spec =
        GOOD_SPEC.replace(
            "}}", "},\"resources\":{\"limits\":{\"cpu\":\"4\"}},\"parallel\":{\"segments\":4}}");
    String status = "{\"state\":\"Pending\",\"webhook\":{\"attempts\":2}}";
    String json =
        task("newer", spec, status).replace("{\"apiVersion\"", "{\"extra\":1,\"apiVersion\"");

    FfmpegTask task = JSON.unmarshal(json, FfmpegTask.class);

    assertThat(task.decodeProblem()).isEmpty();
    assertThat(task.getSpec().getOutputs()).containsEntry("out_1", "o.mp4");
    assertThat(task.getStatus().getState()).isEqualTo(TaskState.Pending);
  }

  @Test
  void oneBrokenItemDoesNotSpoilAList() {
    String list =
        "["
            + task("a", GOOD_SPEC, null)
            + ","
            + task("b", "[1,2]", null)
            + ","
            + task("c", GOOD_SPEC.replace("\"o.mp4\"", "{\"x\":1}"), null)
            + "]";

    List<FfmpegTask> tasks =
        JSON.unmarshal(
            new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)),
            new TypeReference<List<FfmpegTask>>() {});

    assertThat(tasks)
        .extracting(t -> t.decodeProblem().orElse("ok"))
        .containsExactly(
            "ok",
            "spec: expected an object, got an array",
            "spec.outputs.out_1: expected a string, got an object");
  }

  @Test
  void theOtherKindsAreTolerantToo() {
    String video =
        "{\"apiVersion\":\"media.ffmpeg-operator.io/v1alpha1\",\"kind\":\"Video\","
            + "\"metadata\":{\"name\":\"video-1\"},\"spec\":{\"id\":\"one\"}}";
    String job =
        "{\"apiVersion\":\"media.ffmpeg-operator.io/v1alpha1\",\"kind\":\"VideoJob\","
            + "\"metadata\":{\"name\":\"videojob-1\"},\"spec\":{\"jobId\":1,\"videoIds\":7}}";

    assertThat(JSON.unmarshal(video, Video.class).decodeProblem())
        .contains("spec.id: expected an integer, got \"one\"");
    assertThat(JSON.unmarshal(job, VideoJob.class).decodeProblem())
        .contains("spec.videoIds: expected an array, got a number");
  }

  @Test
  void theProblemIsNeverWrittenBack() {
    FfmpegTask task = JSON.unmarshal(task("broken", "\"x\"", null), FfmpegTask.class);

    assertThat(task.decodeProblem()).isPresent();
    assertThat(JSON.asJson(task)).doesNotContain("decodeProblem").doesNotContain("expected");
  }
}
