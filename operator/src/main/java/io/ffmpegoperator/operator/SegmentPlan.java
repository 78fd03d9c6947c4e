package io.ffmpegoperator.operator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a video is cut for a parallel encode: read from ffmpeg's framecrc listing of its packets,
 * cut on keyframes into segments of a start time and a frame count.
 *
 * <p>A deliberately small version, enough to build the orchestration against: stream 0 only, pts
 * taken as given, segments of about equal frame counts. The full planner replaces it.
 */
final class SegmentPlan {
  /** One segment: its place, the exact time its first (key) frame starts at, its frames. */
  record Segment(int index, String start, long frames) {}

  private final List<Long> pts;
  private final TreeSet<Long> keyframes;
  private final long lastDuration;
  private final BigDecimal timeBase;

  private SegmentPlan(List<Long> pts, TreeSet<Long> keyframes, long lastDuration, BigDecimal tb) {
    this.pts = pts;
    this.keyframes = keyframes;
    this.lastDuration = lastDuration;
    this.timeBase = tb;
  }

  /**
   * @throws IllegalArgumentException when the text lists no frame of stream 0
   */
  static SegmentPlan fromFramecrc(String text) {
    BigDecimal timeBase = BigDecimal.ONE;
    List<Long> pts = new ArrayList<>();
    TreeSet<Long> keyframes = new TreeSet<>();
    long lastDuration = 0;
    long lastPts = Long.MIN_VALUE;
    for (String line : text.split("\n")) {
      line = line.trim();
      if (line.startsWith("#tb 0:")) {
        String[] fraction = line.substring(6).trim().split("/");
        timeBase =
            new BigDecimal(fraction[0]).divide(new BigDecimal(fraction[1]), 20, RoundingMode.DOWN);
      } else if (line.startsWith("0,")) {
        String[] fields = line.split(",");
        long framePts = Long.parseLong(fields[2].trim());
        pts.add(framePts);
        if (!line.contains("F=")) {
          keyframes.add(framePts);
        }
        if (framePts >= lastPts) {
          lastPts = framePts;
          lastDuration = Long.parseLong(fields[3].trim());
        }
      }
    }
    if (pts.isEmpty()) {
      throw new IllegalArgumentException("the probe lists no video frame");
    }
    pts.sort(null);
    return new SegmentPlan(pts, keyframes, lastDuration, timeBase);
  }

  long frameCount() {
    return pts.size();
  }

  /** Seconds from the first frame's start to the last frame's end. */
  double duration() {
    long span = pts.get(pts.size() - 1) + lastDuration - pts.get(0);
    return timeBase.multiply(BigDecimal.valueOf(span)).doubleValue();
  }

  /** At most {@code count} segments of about equal frame counts, each starting on a keyframe. */
  List<Segment> split(int count) {
    List<Long> starts = new ArrayList<>();
    starts.add(pts.get(0));
    for (int k = 1; k < count; k++) {
      long wanted = pts.get((int) ((long) pts.size() * k / count));
      Long key = keyframes.ceiling(wanted);
      if (key != null && key > starts.get(starts.size() - 1)) {
        starts.add(key);
      }
    }
    return segmentsFrom(starts);
  }

  /** Segments of about {@code seconds} each, each starting on a keyframe. */
  List<Segment> splitEvery(double seconds) {
    int count = (int) Math.max(1, Math.round(duration() / seconds));
    return split(count);
  }

  private List<Segment> segmentsFrom(List<Long> starts) {
    List<Segment> segments = new ArrayList<>();
    long first = pts.get(0);
    for (int i = 0; i < starts.size(); i++) {
      long from = starts.get(i);
      long to = i + 1 < starts.size() ? starts.get(i + 1) : Long.MAX_VALUE;
      long frames = pts.stream().filter(p -> p >= from && p < to).count();
      BigDecimal start =
          timeBase
              .multiply(BigDecimal.valueOf(from - first))
              .setScale(6, RoundingMode.DOWN)
              .stripTrailingZeros();
      segments.add(new Segment(i, start.toPlainString(), frames));
    }
    return segments;
  }
}
