package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.operator.SegmentPlan.Segment;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentPlanTest {
  private static final String HEADER =
      "#software: Lavf61.7.100\n#tb 0: 1/12800\n#media_type 0: video\n#codec_id 0: h264\n"
          + "#dimensions 0: 320x240\n#sar 0: 1/1\n";

  /**
   * A framecrc of {@code frames} frames at 25 fps (512 ticks of 1/12800) in H.264's decode order
   * with one B-frame (I P B P B ...), keyframes where {@code keys} says.
   */
  private static String framecrc(int frames, TreeSet<Integer> keys) {
    StringBuilder text = new StringBuilder(HEADER);
    List<Integer> decodeOrder = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      boolean reorder = i + 1 < frames && !keys.contains(i) && !keys.contains(i + 1) && i % 2 == 1;
      if (reorder) {
        decodeOrder.add(i + 1);
        decodeOrder.add(i);
        i++;
      } else {
        decodeOrder.add(i);
      }
    }
    long dts = -512;
    for (int frame : decodeOrder) {
      text.append(String.format("0, %10d, %10d, %8d, %8d, 0x12345678", dts, frame * 512L, 512, 99));
      text.append(keys.contains(frame) ? "\n" : ", F=0x0\n");
      dts += 512;
    }
    return text.toString();
  }

  private static TreeSet<Integer> keys(Integer... frames) {
    return new TreeSet<>(List.of(frames));
  }

  @Test
  void framesAreCountedAndTimedInPresentationOrder() {
    SegmentPlan plan = SegmentPlan.fromFramecrc(framecrc(257, keys(0, 48, 96, 144, 192, 240)));

    assertThat(plan.frameCount()).isEqualTo(257);
    assertThat(plan.keyframeCount()).isEqualTo(6);
    assertThat(plan.duration()).isEqualTo("10.28");
  }

  @Test
  void segmentsStartOnKeyframesWithBalancedFrameCounts() {
    SegmentPlan plan = SegmentPlan.fromFramecrc(framecrc(257, keys(0, 48, 70, 96, 130, 144, 192)));

    List<Segment> segments = plan.split(4);

    // Targets 64, 128 and 193 frames: the nearest keyframes are 70, 130 and 192.
    assertThat(segments)
        .containsExactly(
            new Segment(0, "0", 70),
            new Segment(1, "2.8", 60),
            new Segment(2, "5.2", 62),
            new Segment(3, "7.68", 65));
  }

  @Test
  void fewerKeyframesThanSegmentsGiveFewerSegments() {
    SegmentPlan plan = SegmentPlan.fromFramecrc(framecrc(100, keys(0, 50)));

    assertThat(plan.split(8)).containsExactly(new Segment(0, "0", 50), new Segment(1, "2", 50));
    assertThat(plan.split(1)).containsExactly(new Segment(0, "0", 100));
  }

  @Test
  void splitEveryCutsAtTheKeyframeNearestEachMultiple() {
    SegmentPlan plan = SegmentPlan.fromFramecrc(framecrc(257, keys(0, 48, 96, 144, 192, 240)));

    // 4 s is frame 100: keyframe 96; 8 s is frame 200: keyframe 192.
    assertThat(plan.splitEvery(4))
        .containsExactly(
            new Segment(0, "0", 96), new Segment(1, "3.84", 96), new Segment(2, "7.68", 65));
  }

  @Test
  void splitEveryMakesOneCutWhereKeyframesAreSparserThanTheLength() {
    SegmentPlan plan = SegmentPlan.fromFramecrc(framecrc(300, keys(0, 250)));

    assertThat(plan.splitEvery(2))
        .containsExactly(new Segment(0, "0", 250), new Segment(1, "10", 50));
  }

  @Test
  void theKeyBitMakesAKeyframeWhateverElseTheFlagsSay() {
    String text =
        HEADER
            + "0, 0, 0, 512, 9, 0x1\n"
            + "0, 512, 512, 512, 9, 0x1, F=0x0\n"
            + "0, 1024, 1024, 512, 9, 0x1, F=0x3\n"
            + "0, 1536, 1536, 512, 9, 0x1, F=0x0, S=1, 8, 0x2\n"
            + "0, 2048, 2048, 512, 9, 0x1, F=0x9\n";

    List<Segment> segments = SegmentPlan.fromFramecrc(text).split(3);

    assertThat(segments)
        .containsExactly(
            new Segment(0, "0", 2), new Segment(1, "0.08", 2), new Segment(2, "0.16", 1));
  }

  @Test
  void startsAreRoundedDownToMicrosecondsSoTheKeyframeIsNeverTrimmed() {
    String text =
        "#tb 0: 1/30000\n"
            + "0, 0, 0, 1001, 9, 0x1\n"
            + "0, 1001, 1001, 1001, 9, 0x1\n"
            + "0, 2002, 2002, 1001, 9, 0x1\n";

    List<Segment> segments = SegmentPlan.fromFramecrc(text).split(3);

    // 1001/30000 = 0.0333666..., 2002/30000 = 0.0667333...
    assertThat(segments).extracting(Segment::start).containsExactly("0", "0.033366", "0.066733");
  }

  @Test
  void textWithoutTimeBaseOrFramesIsRefused() {
    assertThatThrownBy(() -> SegmentPlan.fromFramecrc("0, 0, 0, 1, 1, 0x1\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("time base");
    assertThatThrownBy(() -> SegmentPlan.fromFramecrc(HEADER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no video frames");
  }

  @Test
  void aRealFramecrcIsPlannedOnItsKeyframes(@TempDir Path dir) throws Exception {
    // 10 s + 7 frames at 25 fps with B-frames, a keyframe at least every 48 frames.
    Path clip =
        TestingFfmpeg.make(
            dir.resolve("clip.mp4"),
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=160x120:r=25:d=10.28",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-bf",
            "2",
            "-g",
            "48",
            "-pix_fmt",
            "yuv420p");
    Path probe =
        TestingFfmpeg.make(
            dir.resolve("probe.txt"),
            "-i",
            clip.toString(),
            "-map",
            "0:v:0",
            "-c",
            "copy",
            "-f",
            "framecrc");

    SegmentPlan plan = SegmentPlan.fromFramecrc(Files.readString(probe));
    List<Segment> segments = plan.split(4);

    assertThat(plan.frameCount()).isEqualTo(257);
    assertThat(plan.duration()).isEqualTo("10.28");
    assertThat(segments).hasSize(4);
    assertThat(segments.stream().mapToLong(Segment::frames).sum()).isEqualTo(257);
    // Keyframes every 48 frames: each cut is at most half a GOP from an even share.
    for (Segment segment : segments) {
      assertThat(segment.frames()).isBetween(257 / 4 - 48L, 257 / 4 + 48L);
      BigDecimal frame = new BigDecimal(segment.start()).multiply(BigDecimal.valueOf(25));
      assertThat(frame.remainder(BigDecimal.valueOf(48)).signum()).isZero();
    }
  }
}
