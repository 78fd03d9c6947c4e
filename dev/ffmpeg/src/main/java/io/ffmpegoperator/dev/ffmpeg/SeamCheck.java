package io.ffmpegoperator.dev.ffmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Checks that a video encoded in segments and joined cannot be told from one encoded in one run:
 * the same frame count and duration as the input, timestamps that step evenly across the joins, a
 * keyframe where each segment starts, audio that ends with the video, and, around each join, a
 * picture as close to a single-run encode of the same command as anywhere else.
 *
 * <p>It measures with ffprobe (packets, no decoding) and ffmpeg's {@code psnr} filter; {@link
 * Report#problems} says what does not hold.
 */
public final class SeamCheck {
  /** How many frames either side of a join the picture check looks at. */
  public static final int SEAM_WINDOW = 3;

  private final Path ffmpeg;
  private final Path ffprobe;

  public SeamCheck(Path ffmpeg, Path ffprobe) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
  }

  /**
   * The packets of one stream, in presentation order.
   *
   * @param pts presentation times in seconds
   * @param ends each packet's presentation time plus its duration, in seconds
   * @param keys whether each packet is a keyframe
   */
  public record Packets(double[] pts, double[] ends, boolean[] keys) {
    public int count() {
      return pts.length;
    }

    /** When the last packet ends, in seconds; 0 without packets. */
    public double end() {
      return Arrays.stream(ends).max().orElse(0);
    }

    /** The time from each packet to the next. */
    public double[] steps() {
      double[] steps = new double[Math.max(0, pts.length - 1)];
      for (int i = 0; i < steps.length; i++) {
        steps[i] = pts[i + 1] - pts[i];
      }
      return steps;
    }
  }

  /**
   * What was measured.
   *
   * @param inputVideo the input's video packets
   * @param outputVideo the joined output's video packets
   * @param inputAudio the input's audio packets (none without audio)
   * @param outputAudio the joined output's audio packets (none without audio)
   * @param seams the first frame of each segment after the first, as frame numbers from 0
   * @param parallelPsnr per-frame PSNR (dB, all planes) of the joined output against the input as
   *     the command's video filter leaves it
   * @param singleRunPsnr the same for the single-run encode
   * @param betweenPsnr per-frame PSNR of the joined output against the single-run encode
   */
  public record Report(
      Packets inputVideo,
      Packets outputVideo,
      Packets inputAudio,
      Packets outputAudio,
      List<Integer> seams,
      double[] parallelPsnr,
      double[] singleRunPsnr,
      double[] betweenPsnr) {

    /**
     * How much worse than the single run the joined output's worst frame within {@link
     * #SEAM_WINDOW} frames of {@code seam} is, in dB: the lowest single-run PSNR there minus the
     * lowest parallel PSNR there. Comparing worst with worst leaves out what the content does (a
     * hard scene is hard in both) and what a single run does at its own keyframes.
     */
    public double seamLoss(int seam) {
      return lowest(singleRunPsnr, seam) - lowest(parallelPsnr, seam);
    }

    /** The median over all frames of how much worse the joined output is than the single run. */
    public double medianLoss() {
      int frames = Math.min(parallelPsnr.length, singleRunPsnr.length);
      double[] losses = new double[frames];
      for (int i = 0; i < frames; i++) {
        losses[i] = singleRunPsnr[i] - parallelPsnr[i];
      }
      return median(losses);
    }

    /** The lowest of {@code psnr} within {@link #SEAM_WINDOW} frames of {@code seam}. */
    public static double lowest(double[] psnr, int seam) {
      double lowest = Double.MAX_VALUE;
      for (int i = seam - SEAM_WINDOW; i <= seam + SEAM_WINDOW; i++) {
        if (i >= 0 && i < psnr.length) {
          lowest = Math.min(lowest, psnr[i]);
        }
      }
      return lowest;
    }

    /** The length of one audio frame of the output, in seconds (the longest packet); 0 if none. */
    public double audioFrame() {
      double longest = 0;
      for (int i = 0; i < outputAudio.count(); i++) {
        longest = Math.max(longest, outputAudio.ends()[i] - outputAudio.pts()[i]);
      }
      return longest;
    }

    /** The length of one video frame of the input (its median step), in seconds. */
    public double videoFrame() {
      return median(inputVideo.steps());
    }

    /**
     * Every way the output can be told from a single run, each a sentence with the figures; empty
     * when none.
     *
     * @param marginDb how much more than the median frame a frame near a seam may lose against the
     *     single run
     */
    public List<String> problems(double marginDb) {
      List<String> problems = new ArrayList<>();
      if (outputVideo.count() != inputVideo.count()) {
        problems.add(
            "the output has " + outputVideo.count() + " frames, the input " + inputVideo.count());
      }
      double frame = videoFrame();
      double[] steps = outputVideo.steps();
      for (int i = 0; i < steps.length; i++) {
        if (Math.abs(steps[i] - frame) > TOLERANCE) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "the output's frame %d comes %.6f s after the one before, not %.6f s",
                  i + 1,
                  steps[i],
                  frame));
        }
      }
      for (int seam : seams) {
        if (seam >= outputVideo.count() || !outputVideo.keys()[seam]) {
          problems.add("the segment starting at frame " + seam + " does not start on a keyframe");
        }
      }
      if (Math.abs(outputVideo.end() - inputVideo.end()) > TOLERANCE) {
        problems.add(
            String.format(
                Locale.ROOT,
                "the output's video ends at %.6f s, the input's at %.6f s",
                outputVideo.end(),
                inputVideo.end()));
      }
      if (inputAudio.count() > 0) {
        double audioFrame = audioFrame();
        if (Math.abs(outputAudio.end() - inputAudio.end()) > audioFrame + TOLERANCE) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "the output's audio ends at %.6f s, the input's at %.6f s: more than one audio"
                      + " frame (%.6f s) apart",
                  outputAudio.end(),
                  inputAudio.end(),
                  audioFrame));
        }
        if (Math.abs(outputAudio.end() - outputVideo.end()) > frame + TOLERANCE) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "the output's audio ends at %.6f s and its video at %.6f s: more than one video"
                      + " frame apart",
                  outputAudio.end(),
                  outputVideo.end()));
        }
      }
      if (parallelPsnr.length != singleRunPsnr.length) {
        problems.add(
            "the PSNR was measured on "
                + parallelPsnr.length
                + " frames of the output and "
                + singleRunPsnr.length
                + " of the single run");
      }
      double median = medianLoss();
      for (int seam : seams) {
        double loss = seamLoss(seam);
        if (loss > median + marginDb) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "around the seam at frame %d the output's worst frame is %.2f dB below the"
                      + " single run's, more than %.1f dB beyond the median frame's %.2f dB",
                  seam,
                  loss,
                  marginDb,
                  median));
        }
      }
      return problems;
    }
  }

  /**
   * How far two times may differ and still be the same: ffprobe prints seconds rounded to
   * microseconds, and a difference of two rounded times may be off by two of them.
   */
  public static final double TOLERANCE = 2e-6;

  /** The PSNR given to a frame identical to its reference, which ffmpeg reports as "inf". */
  public static final double IDENTICAL_DB = 100;

  /**
   * Measures a joined output.
   *
   * @param input what the segments were cut from
   * @param output the joined output
   * @param singleRun the same command run on the whole input in one go
   * @param segmentFrames the frame count of each segment, in order
   * @param videoFilter the command's {@code -vf} (null for none), applied to the input so that it
   *     matches the outputs' frames for the PSNR
   */
  public Report check(
      Path input, Path output, Path singleRun, List<Long> segmentFrames, String videoFilter)
      throws IOException {
    List<Integer> seams = new ArrayList<>();
    long frame = 0;
    for (int i = 0; i + 1 < segmentFrames.size(); i++) {
      frame += segmentFrames.get(i);
      seams.add((int) frame);
    }
    return new Report(
        packets(input, "v:0"),
        packets(output, "v:0"),
        packets(input, "a:0"),
        packets(output, "a:0"),
        List.copyOf(seams),
        psnr(output, input, videoFilter),
        psnr(singleRun, input, videoFilter),
        psnr(output, singleRun, null));
  }

  /** The packets of one stream ({@code v:0}, {@code a:0}) of a file, in presentation order. */
  public Packets packets(Path file, String stream) throws IOException {
    String csv =
        run(
            List.of(
                ffprobe.toString(),
                "-v",
                "error",
                "-select_streams",
                stream,
                "-show_entries",
                "packet=pts_time,duration_time,flags",
                "-of",
                "csv=p=0",
                file.toString()));
    record Packet(double pts, double end, boolean key) {}
    List<Packet> packets = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] fields = line.strip().split(",");
      if (fields.length < 3 || fields[0].equals("N/A")) {
        continue;
      }
      double pts = Double.parseDouble(fields[0]);
      double duration = fields[1].equals("N/A") ? 0 : Double.parseDouble(fields[1]);
      packets.add(new Packet(pts, pts + duration, fields[2].startsWith("K")));
    }
    packets.sort((a, b) -> Double.compare(a.pts(), b.pts()));
    double[] pts = new double[packets.size()];
    double[] ends = new double[packets.size()];
    boolean[] keys = new boolean[packets.size()];
    for (int i = 0; i < packets.size(); i++) {
      pts[i] = packets.get(i).pts();
      ends[i] = packets.get(i).end();
      keys[i] = packets.get(i).key();
    }
    return new Packets(pts, ends, keys);
  }

  /**
   * The PSNR of each frame of {@code distorted} against the same frame of {@code reference}, by
   * ffmpeg's {@code psnr} filter (its {@code psnr_avg}, over all planes).
   *
   * @param referenceFilter a video filter applied to the reference first (null for none)
   */
  public double[] psnr(Path distorted, Path reference, String referenceFilter) throws IOException {
    Path stats = Files.createTempFile("psnr-", ".log");
    try {
      String filter = referenceFilter == null ? "null" : referenceFilter;
      run(
          List.of(
              ffmpeg.toString(),
              "-hide_banner",
              "-nostdin",
              "-v",
              "error",
              "-i",
              distorted.toString(),
              "-i",
              reference.toString(),
              "-lavfi",
              "[1:v:0]"
                  + filter
                  + "[reference];[0:v:0][reference]psnr=stats_file="
                  + escapeFilterPath(stats),
              "-f",
              "null",
              "-"));
      List<Double> values = new ArrayList<>();
      for (String line : Files.readAllLines(stats)) {
        for (String field : line.split(" ")) {
          if (field.startsWith("psnr_avg:")) {
            String value = field.substring("psnr_avg:".length());
            values.add(value.equals("inf") ? IDENTICAL_DB : Double.parseDouble(value));
          }
        }
      }
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    } finally {
      Files.deleteIfExists(stats);
    }
  }

  /** The median of {@code values}; 0 when there are none. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static String escapeFilterPath(Path path) {
    // A filter option value: ':' and '\' and quotes would end or change it.
    return path.toString().replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'");
  }

  private static String run(List<String> command) throws IOException {
    Path log = Files.createTempFile("seam-check-", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(false)
              .redirectError(log.toFile())
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(
            command.get(0) + " failed: " + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
