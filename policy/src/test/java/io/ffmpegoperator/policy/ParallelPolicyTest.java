package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.settings.EnvSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParallelPolicyTest {
  private final ParallelPolicy policy = ParallelPolicy.defaults();

  @Test
  void segmentsFromTwoToTheMaximumOrAtLeastOneSecond() {
    assertThat(policy.problems(2, null)).isEmpty();
    assertThat(policy.problems(32, null)).isEmpty();
    assertThat(policy.problems(null, 1L)).isEmpty();
    assertThat(policy.problems(1, null)).singleElement().asString().contains("between 2 and 32");
    assertThat(policy.problems(33, null)).singleElement().asString().contains("not 33");
    assertThat(policy.problems(null, 0L)).singleElement().asString().contains("at least 1");
  }

  @Test
  void exactlyOneOfSegmentsAndSeconds() {
    assertThat(policy.problems(4, 30L)).singleElement().asString().contains("exactly one");
    assertThat(policy.problems(null, null)).singleElement().asString().contains("exactly one");
  }

  @Test
  void theMaximumComesFromTheEnvironmentWithinTheSchemasCeiling() {
    assertThat(ParallelPolicy.fromEnv(EnvSettings.of(Map.of())).maxSegments()).isEqualTo(32);
    assertThat(
            ParallelPolicy.fromEnv(EnvSettings.of(Map.of("PARALLEL_MAX_SEGMENTS", "8")))
                .problems(9, null))
        .isNotEmpty();
    assertThatThrownBy(
            () -> ParallelPolicy.fromEnv(EnvSettings.of(Map.of("PARALLEL_MAX_SEGMENTS", "1000"))))
        .hasMessageContaining("PARALLEL_MAX_SEGMENTS");
  }

  @Test
  void inputsReadOnlyThroughAConcatListHaveTheListsBoundNotTheInputsOne() throws Exception {
    Map<String, String> inputs = new LinkedHashMap<>();
    List<String> members = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      inputs.put("seg_" + k, "s3://b/parts/" + k + ".mkv");
      members.add("seg_" + k);
    }
    TaskCommand.Request request =
        new TaskCommand.Request(
                "-f concat -i parts -c copy out_1", inputs, Map.of("out_1", "joined.mp4"))
            .withConcatLists(Map.of("parts", members));

    TaskCommand.parse(request, "b");

    for (int k = 0; k < 17; k++) {
      inputs.put("direct_" + k, "s3://b/direct/" + k + ".mp4");
    }
    assertThatThrownBy(() -> TaskCommand.parse(request, "b"))
        .hasMessageContaining("at most 16 inputs are allowed, got 17");
  }
}
