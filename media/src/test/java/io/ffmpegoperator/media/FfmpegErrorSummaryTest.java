package io.ffmpegoperator.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Summaries of real ffmpeg 7.1 stderr (run with {@code -loglevel error}). */
class FfmpegErrorSummaryTest {
  private static final Path WORK = Path.of("/work");

  /** Each case: what failed, ffmpeg's exit code and stderr, and the summary. */
  static Stream<Arguments> summaries() {
    return Stream.of(
        arguments(
            "unknown encoder",
            8,
            """
            [vost#0:0 @ 0x55bda95c4780] Unknown encoder 'libfoo'
            [vost#0:0 @ 0x55bda95c4780] Error selecting an encoder
            Error opening output file out/o.mp4.
            Error opening output files: Encoder not found
            """,
            "ffmpeg failed (exit 8): Unknown encoder 'libfoo'"),
        arguments(
            "invalid option",
            8,
            """
            Unrecognized option 'frobnicate'.
            Error splitting the argument list: Option not found
            """,
            "ffmpeg failed (exit 8): Unrecognized option 'frobnicate'."),
        arguments(
            "invalid data in an input, its absolute path stripped",
            183,
            """
            [mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d95717a680] moov atom not found
            [in#0 @ 0x55d95717a340] Error opening input: Invalid data found when processing input
            Error opening input file /work/in/junk.mp4.
            Error opening input files: Invalid data found when processing input
            """,
            "ffmpeg failed (exit 183): Error opening input: Invalid data found when processing"
                + " input"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("summaries")
  void summarizesWithTheExitCode(String failure, int exit, String stderr, String summary) {
    assertThat(FfmpegErrorSummary.summarize(exit, stderr, WORK)).isEqualTo(summary);
  }

  /** Each case: what failed, ffmpeg's stderr, and the cause the summary names. */
  static Stream<Arguments> causes() {
    return Stream.of(
        arguments(
            "no such filter",
            """
            [AVFilterGraph @ 0x55b06b687600] No such filter: 'foo'
            Error opening output file out/o.mp4.
            Error opening output files: Filter not found
            """,
            "No such filter: 'foo'"),
        arguments(
            "no such filter in a complex filter graph",
            """
            [AVFilterGraph @ 0x559994a4b8c0] No such filter: 'bar'
            Failed to set value '[0:v]bar[x]' for option 'filter_complex': Filter not found
            Error parsing global options: Filter not found
            """,
            "No such filter: 'bar'"),
        arguments(
            "output without streams",
            """
            [out#0/mp4 @ 0x55f799e22540] Output file does not contain any stream
            Error opening output file out/o.mp4.
            Error opening output files: Invalid argument
            """,
            "Output file does not contain any stream"),
        arguments(
            "encoder failure followed by the threads' trailers",
            """
            [libx264 @ 0x56276b3666c0] width not divisible by 2 (161x121)
            [vost#0:0/libx264 @ 0x56276b368100] Error while opening encoder - maybe incorrect \
            parameters such as bit_rate, rate, width or height.
            [vf#0:0 @ 0x56276b3a1240] Error sending frames to consumers: Generic error in an external library
            [vf#0:0 @ 0x56276b3a1240] Task finished with error code: -542398533 (Generic error in an external library)
            [vf#0:0 @ 0x56276b3a1240] Terminating thread with return code -542398533 (Generic error in an external library)
            [vost#0:0/libx264 @ 0x56276b368100] Could not open encoder before EOF
            [vost#0:0/libx264 @ 0x56276b368100] Task finished with error code: -22 (Invalid argument)
            [vost#0:0/libx264 @ 0x56276b368100] Terminating thread with return code -22 (Invalid argument)
            [out#0/mp4 @ 0x56276b369480] Nothing was written into output file, because at least one \
            of its streams received no packets.
            Conversion failed!
            """,
            "width not divisible by 2 (161x121)"),
        arguments(
            "stream map matching nothing",
            """
            Stream map '' matches no streams.
            To ignore this, add a trailing '?' to the map.
            Failed to set value '0:a' for option 'map': Invalid argument
            Error parsing options for output file out/o.mp4.
            Error opening output files: Invalid argument
            """,
            "Stream map '' matches no streams."),
        arguments(
            "only generic lines: the last one", "Conversion failed!\n", "Conversion failed!"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("causes")
  void namesTheCause(String failure, String stderr, String cause) {
    assertThat(FfmpegErrorSummary.cause(stderr, WORK)).isEqualTo(cause);
  }

  @Test
  void queryStringsAreRemoved() {
    String stderr =
        "[https @ 0x1] HTTP error 403 Forbidden for"
            + " https://bucket.s3.amazonaws.com/k.mp4?X-Amz-Signature=abc&X-Amz-Expires=60\n";
    assertThat(FfmpegErrorSummary.cause(stderr, WORK))
        .isEqualTo("HTTP error 403 Forbidden for https://bucket.s3.amazonaws.com/k.mp4")
        .doesNotContain("Signature");
  }

  @Test
  void longLinesAreCutAndControlCharactersRemoved() {
    String stderr = "\u001b[0;31m" + "x".repeat(500) + "\u0007\n";
    String cause = FfmpegErrorSummary.cause(stderr, WORK);
    assertThat(cause).hasSize(FfmpegErrorSummary.MAX_LENGTH).endsWith("...");
    assertThat(cause.chars()).noneMatch(Character::isISOControl);
  }

  @Test
  void emptyStderrGivesTheExitCodeOnly() {
    assertThat(FfmpegErrorSummary.summarize(137, "\n\n", WORK))
        .isEqualTo("ffmpeg failed (exit 137)");
    assertThat(FfmpegErrorSummary.summarize(1, null, WORK)).isEqualTo("ffmpeg failed (exit 1)");
  }
}
