package io.ffmpegoperator.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Summaries of real ffmpeg 7.1 stderr (run with {@code -loglevel error}). */
class FfmpegErrorSummaryTest {
  private static final Path WORK = Path.of("/work");

  @Test
  void unknownEncoder() {
    String stderr =
        """
        [vost#0:0 @ 0x55bda95c4780] Unknown encoder 'libfoo'
        [vost#0:0 @ 0x55bda95c4780] Error selecting an encoder
        Error opening output file out/o.mp4.
        Error opening output files: Encoder not found
        """;
    assertThat(FfmpegErrorSummary.summarize(8, stderr, WORK))
        .isEqualTo("ffmpeg failed (exit 8): Unknown encoder 'libfoo'");
  }

  @Test
  void invalidOption() {
    String stderr =
        """
        Unrecognized option 'frobnicate'.
        Error splitting the argument list: Option not found
        """;
    assertThat(FfmpegErrorSummary.summarize(8, stderr, WORK))
        .isEqualTo("ffmpeg failed (exit 8): Unrecognized option 'frobnicate'.");
  }

  @Test
  void noSuchFilter() {
    String simple =
        """
        [AVFilterGraph @ 0x55b06b687600] No such filter: 'foo'
        Error opening output file out/o.mp4.
        Error opening output files: Filter not found
        """;
    String complex =
        """
        [AVFilterGraph @ 0x559994a4b8c0] No such filter: 'bar'
        Failed to set value '[0:v]bar[x]' for option 'filter_complex': Filter not found
        Error parsing global options: Filter not found
        """;
    assertThat(FfmpegErrorSummary.cause(simple, WORK)).isEqualTo("No such filter: 'foo'");
    assertThat(FfmpegErrorSummary.cause(complex, WORK)).isEqualTo("No such filter: 'bar'");
  }

  @Test
  void invalidDataInInputWithAbsolutePathsStripped() {
    String stderr =
        """
        [mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d95717a680] moov atom not found
        [in#0 @ 0x55d95717a340] Error opening input: Invalid data found when processing input
        Error opening input file /work/in/junk.mp4.
        Error opening input files: Invalid data found when processing input
        """;
    assertThat(FfmpegErrorSummary.summarize(183, stderr, WORK))
        .isEqualTo(
            "ffmpeg failed (exit 183): Error opening input: Invalid data found when processing"
                + " input");
  }

  @Test
  void outputWithoutStreams() {
    String stderr =
        """
        [out#0/mp4 @ 0x55f799e22540] Output file does not contain any stream
        Error opening output file out/o.mp4.
        Error opening output files: Invalid argument
        """;
    assertThat(FfmpegErrorSummary.cause(stderr, WORK))
        .isEqualTo("Output file does not contain any stream");
  }

  @Test
  void encoderFailureAfterThreadTrailers() {
    String stderr =
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
        """;
    assertThat(FfmpegErrorSummary.cause(stderr, WORK))
        .isEqualTo("width not divisible by 2 (161x121)");
  }

  @Test
  void streamMapMatchingNothing() {
    String stderr =
        """
        Stream map '' matches no streams.
        To ignore this, add a trailing '?' to the map.
        Failed to set value '0:a' for option 'map': Invalid argument
        Error parsing options for output file out/o.mp4.
        Error opening output files: Invalid argument
        """;
    assertThat(FfmpegErrorSummary.cause(stderr, WORK))
        .isEqualTo("Stream map '' matches no streams.");
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
  void onlyGenericLinesFallBackToTheLastOne() {
    assertThat(FfmpegErrorSummary.cause("Conversion failed!\n", WORK))
        .isEqualTo("Conversion failed!");
  }

  @Test
  void emptyStderrGivesTheExitCodeOnly() {
    assertThat(FfmpegErrorSummary.summarize(137, "\n\n", WORK))
        .isEqualTo("ffmpeg failed (exit 137)");
    assertThat(FfmpegErrorSummary.summarize(1, null, WORK)).isEqualTo("ffmpeg failed (exit 1)");
  }
}
