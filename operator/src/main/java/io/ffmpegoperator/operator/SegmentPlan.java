package io.ffmpegoperator.operator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a parallel task cuts its input's video: at keyframes, into segments of about equal frame
 * counts (or about equal lengths). Read from ffmpeg's framecrc of the first video stream, copied
 * without decoding ({@code -map 0:v:0 -c copy -f framecrc}): one line per packet, {@code 0, dts,
 * pts, duration, size, crc[, F=0x..][, S=..]}, where a line without {@code F=}, or whose flags hold
 * the key bit, is a keyframe.
 *
 * <p>A segment is given by its first frame's time and its frame count; each segment's run seeks its
 * input to that time and stops after that many frames ({@code -ss <start> -i in -frames:v <n>}).
 */
public final class SegmentPlan {
  private static final long KEY_FLAG = 0x1;
  private static final long NO_PTS = Long.MIN_VALUE;

  /**
   * One segment.
   *
   * @param index its place, from 0
   * @param start the time of its first frame, a keyframe, in seconds as a plain decimal: the
   *     keyframe's pts × num / den, rounded down to whole microseconds, which is what ffmpeg reads
   *     of {@code -ss} anyway (rounding up would let ffmpeg drop the keyframe itself)
   * @param frames how many frames it encodes, in presentation order
   */
  public record Segment(int index, String start, long frames) {}

  /** One packet of the framecrc: its presentation time and whether a decoder can start there. */
  private record Frame(long pts, boolean key) {}

  private final long num;
  private final long den;
  private final List<Frame> frames; // in presentation order
  private final long lastDuration;

  private SegmentPlan(long num, long den, List<Frame> frames, long lastDuration) {
    this.num = num;
    this.den = den;
    this.frames = frames;
    this.lastDuration = lastDuration;
  }

  /**
   * Reads ffmpeg's framecrc text of one video stream.
   *
   * @throws IllegalArgumentException when the text has no time base or no frames
   */
  public static SegmentPlan fromFramecrc(String framecrcText) {
    long num = 0;
    long den = 0;
    List<Frame> frames = new ArrayList<>();
    long maxPts = NO_PTS;
    long lastDuration = 0;
    for (String raw : framecrcText.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#tb 0:")) {
        String[] fraction = line.substring("#tb 0:".length()).strip().split("/");
        num = Long.parseLong(fraction[0].strip());
        den = Long.parseLong(fraction[1].strip());
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",");
      if (fields.length < 6 || !fields[0].strip().equals("0")) {
        continue; // another stream, which -map 0:v:0 never gives
      }
      long dts = Long.parseLong(fields[1].strip());
      long pts = Long.parseLong(fields[2].strip());
      long duration = Long.parseLong(fields[3].strip());
      boolean key = true;
      for (int i = 6; i < fields.length; i++) {
        String field = fields[i].strip();
        if (field.startsWith("F=0x")) {
          key = (Long.parseLong(field.substring(4), 16) & KEY_FLAG) != 0;
        }
      }
      // A packet without pts (raw streams) is shown at its dts.
      long time = pts == NO_PTS ? dts : pts;
      frames.add(new Frame(time, key));
      if (maxPts == NO_PTS || time >= maxPts) {
        maxPts = time;
        lastDuration = duration;
      }
    }
    if (num <= 0 || den <= 0) {
      throw new IllegalArgumentException("the framecrc text has no time base (#tb 0: num/den)");
    }
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("the framecrc text lists no video frames");
    }
    frames.sort((a, b) -> Long.compare(a.pts(), b.pts()));
    return new SegmentPlan(num, den, List.copyOf(frames), lastDuration);
  }

  /** How many video frames the input has. */
  public long frameCount() {
    return frames.size();
  }

  /** How many frames a decoder can start at; at most this many segments can be made. */
  public int keyframeCount() {
    int keys = 0;
    for (int i = 0; i < frames.size(); i++) {
      keys += isBoundary(i) ? 1 : 0;
    }
    return keys;
  }

  /**
   * The video's length in seconds, from its first frame's start to its last frame's end, as a plain
   * decimal rounded to microseconds.
   */
  public String duration() {
    long first = frames.get(0).pts();
    long end = frames.get(frames.size() - 1).pts() + lastDuration;
    return seconds(end - first, RoundingMode.HALF_EVEN);
  }

  /**
   * Cuts into {@code segments} segments of about equal frame counts, each starting on a keyframe.
   * There are fewer when the video has fewer keyframes ({@link #keyframeCount()}): a returned list
   * shorter than asked says so.
   */
  public List<Segment> split(int segments) {
    // Each cut is the keyframe nearest its share among those after the cut before, so sparse
    // keyframes still give as many segments as they can.
    if (segments < 1) {
      throw new IllegalArgumentException("segments must be at least 1, got " + segments);
    }
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int k = 1; k < segments; k++) {
      long target = Math.round((double) k * frames.size() / segments);
      int cut = nearestBoundary(target, starts.get(starts.size() - 1));
      if (cut > 0) {
        starts.add(cut);
      }
    }
    return segments(starts);
  }

  /**
   * Cuts into segments of about {@code seconds} each: each cut is the keyframe nearest to the next
   * multiple of {@code seconds}, so segments are longer where keyframes are far apart.
   */
  public List<Segment> splitEvery(double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("seconds must be above 0, got " + seconds);
    }
    long first = frames.get(0).pts();
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int k = 1; ; k++) {
      double at = k * seconds * den / num; // in time base units from the first frame
      int target = firstFrameAtOrAfter(first + at);
      if (target >= frames.size()) {
        break;
      }
      // Nearest over all keyframes, not only those after the last cut: where keyframes are
      // sparser than the segment length, several multiples share one cut.
      int cut = nearestBoundary(target, 0);
      if (cut > starts.get(starts.size() - 1)) {
        starts.add(cut);
      }
    }
    return segments(starts);
  }

  private List<Segment> segments(List<Integer> starts) {
    List<Segment> result = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      int from = starts.get(i);
      int to = i + 1 < starts.size() ? starts.get(i + 1) : frames.size();
      result.add(new Segment(i, seconds(frames.get(from).pts(), RoundingMode.FLOOR), to - from));
    }
    return result;
  }

  /**
   * The boundary (a keyframe after {@code previous}) nearest to frame {@code target}, ties to the
   * earlier one; -1 when there is none after {@code previous}.
   */
  private int nearestBoundary(long target, int previous) {
    int best = -1;
    for (int i = previous + 1; i < frames.size(); i++) {
      if (isBoundary(i) && (best < 0 || Math.abs(i - target) < Math.abs(best - target))) {
        best = i;
      }
    }
    return best;
  }

  private int firstFrameAtOrAfter(double pts) {
    int i = 0;
    while (i < frames.size() && frames.get(i).pts() < pts) {
      i++;
    }
    return i;
  }

  /** Whether a segment may start at frame {@code i}: the first frame always, else a keyframe. */
  private boolean isBoundary(int i) {
    return i == 0 || frames.get(i).key();
  }

  private String seconds(long ticks, RoundingMode rounding) {
    BigDecimal exact =
        new BigDecimal(BigInteger.valueOf(ticks).multiply(BigInteger.valueOf(num)))
            .divide(new BigDecimal(den), 6, rounding);
    String text = exact.stripTrailingZeros().toPlainString();
    return text.equals("-0") ? "0" : text;
  }
}
