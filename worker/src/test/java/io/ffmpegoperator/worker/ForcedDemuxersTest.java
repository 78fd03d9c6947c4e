package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForcedDemuxersTest {
  @Test
  void forcesTheDemuxerRightBeforeEachReadOfAProbedInput() {
    List<String> args =
        args(
            "-protocol_whitelist file -i in/in_1.mp4 -f concat -i in/parts.ffconcat"
                + " -f hls -i in/in_2.mkv -i in/in_1.mp4 -map 0 out/o.mp4");

    assertThat(ForcedDemuxers.apply(args, Map.of("in/in_1.mp4", "mov", "in/in_2.mkv", "matroska")))
        .containsExactlyElementsOf(
            args(
                "-protocol_whitelist file -f mov -i in/in_1.mp4 -f concat -i in/parts.ffconcat"
                    + " -f hls -f matroska -i in/in_2.mkv -f mov -i in/in_1.mp4 -map 0 out/o.mp4"));
  }

  @Test
  void matchesThePathExactlyAndLeavesOtherArgumentsAlone() {
    List<String> args = args("-i ./in/in_1.mp4 -i in/in_1.mp4.bak out/in/in_1.mp4");

    assertThat(ForcedDemuxers.apply(args, Map.of("in/in_1.mp4", "mov"))).isEqualTo(args);
    assertThat(ForcedDemuxers.apply(List.of("out.mp4", "-i"), Map.of("in/in_1.mp4", "mov")))
        .containsExactly("out.mp4", "-i");
  }

  /** Arguments as written on a command line (none of them holds a space). */
  private static List<String> args(String commandLine) {
    return List.of(commandLine.split(" "));
  }
}
