package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.dev.ffmpeg.SeamCheck;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.operator.SegmentPlan.Segment;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.policy.SplitCommand;
import io.ffmpegoperator.policy.TaskCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The segment-parallel technique with real ffmpeg and no operator: probe, plan, encode segments and
 * the audio apart, join by stream copy, and check the seams against a single-run encode. Each child
 * command is checked and rendered by the ordinary policy, as the worker would run it.
 */
class SegmentSeamsIT {
  /**
   * How much more than the median frame a frame near a seam may lose against the single run: the
   * step x264 itself puts between its I- and P-frames (ipratio 1.4, about 3 QP), which viewers
   * accept in every stream.
   */
  private static final double MARGIN_DB = 3.0;

  private static final String COMMAND =
      "-i in_1 -vf scale=320:240 -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 96k out_1";

  private static FfmpegBinaries ffmpeg;
  @TempDir Path dir;

  @BeforeAll
  static void findFfmpeg() throws Exception {
    ffmpeg = TestingFfmpeg.binaries();
  }

  /**
   * Four scenes, 10 s + 7 frames at 25 fps: keyframes every 48 frames and at scene cuts, B-frames
   * (so the mp4 has an edit list and negative dts), AAC audio with its priming.
   */
  private Path makeClip(String rate) throws Exception {
    return TestingFfmpeg.make(
        dir.resolve("in.mp4"),
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=320x240:r=" + rate + ":d=2.8",
        "-f",
        "lavfi",
        "-i",
        "mandelbrot=s=320x240:r=" + rate + ",trim=duration=2.4",
        "-f",
        "lavfi",
        "-i",
        "testsrc=s=320x240:r=" + rate + ":d=2.56,hue=h=120,negate",
        "-f",
        "lavfi",
        "-i",
        "life=s=320x240:r=" + rate + ":mold=10:ratio=0.5:seed=1,trim=duration=2.52",
        "-f",
        "lavfi",
        "-i",
        "sine=f=440:d=10.28:beep_factor=4",
        "-filter_complex",
        "[0:v]format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1[b];"
            + "[2:v]format=yuv420p,setsar=1[c];[3:v]format=yuv420p,setsar=1[d];"
            + "[a][b][c][d]concat=n=4:v=1:a=0,noise=alls=12:allf=t:all_seed=1[v]",
        "-map",
        "[v]",
        "-map",
        "4:a",
        "-c:v",
        "libx264",
        "-preset",
        "fast",
        "-g",
        "48",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k");
  }

  // 25 fps frames last whole milliseconds, 30000/1001 fps frames do not.
  @ParameterizedTest
  @ValueSource(strings = {"25", "30000/1001"})
  void segmentsJoinedByStreamCopyCannotBeToldFromOneRun(String rate) throws Exception {
    SeamCheck.Report report = runInSegments(rate, "mp4");

    assertThat(report.problems(MARGIN_DB)).isEmpty();
    assertThat(report.outputVideo().count()).isEqualTo(report.inputVideo().count());
  }

  @Test
  void matroskaSegmentsStepUnevenlyWhereFramesAreNotWholeMilliseconds() throws Exception {
    SeamCheck.Report report = runInSegments("30000/1001", "matroska");

    assertThat(report.outputVideo().count()).isEqualTo(report.inputVideo().count());
    assertThat(report.problems(MARGIN_DB))
        .anySatisfy(problem -> assertThat(problem).contains("after the one before"));
  }

  /** Probes, plans four segments, runs them and the audio, joins them and measures the output. */
  private SeamCheck.Report runInSegments(String rate, String segmentFormat) throws Exception {
    Path clip = makeClip(rate);
    SplitCommand split =
        SplitCommand.parse(
            new TaskCommand.Request(
                COMMAND, Map.of("in_1", "s3://media/in.mp4"), Map.of("out_1", "out.mp4")));

    // The probe: every video packet, copied, no decoding.
    Path probe =
        TestingFfmpeg.make(
            dir.resolve("probe.framecrc"),
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
    if (rate.equals("25")) {
      assertThat(plan.frameCount()).isEqualTo(257);
    }
    assertThat(segments).hasSize(4);

    List<String> segmentNames = new ArrayList<>();
    for (Segment segment : segments) {
      // mp4 keeps the encoder's time base (1/25, 1001/30000), so the joined timestamps step
      // evenly; matroska's milliseconds make 30000/1001 fps steps of 33 and 34 ms. ffmpeg 5.1's
      // concat demuxer times each file by its movie duration, in the movie timescale: 120000
      // holds a whole number of ticks per frame at 24, 25, 30, 50 and 60 fps and their /1001.
      String name = "seg" + segment.index() + (segmentFormat.equals("mp4") ? ".mp4" : ".mkv");
      runChild(
          "-ss "
              + segment.start()
              + " -i in_1 -frames:v "
              + segment.frames()
              + " -map 0:v:0 "
              + String.join(" ", split.videoArgs())
              + " -an "
              + (segmentFormat.equals("mp4") ? "-movie_timescale 120000 " : "")
              + "-f "
              + segmentFormat
              + " out_1",
          Map.of("in_1", clip),
          name);
      segmentNames.add(name);
    }
    // The audio is written in the output's own container: an mp4 keeps AAC's priming as an
    // edit list, which the join copies; matroska would lose it and play it as sound.
    String audioName = "audio.mp4";
    runChild(
        "-i in_1 -map 0:a:0? " + String.join(" ", split.audioArgs()) + " -vn out_1",
        Map.of("in_1", clip),
        audioName);
    Path list = dir.resolve("list.ffconcat");
    StringBuilder text = new StringBuilder("ffconcat version 1.0\n");
    segmentNames.forEach(name -> text.append("file '").append(name).append("'\n"));
    Files.writeString(list, text.toString(), StandardCharsets.UTF_8);
    Map<String, Path> joinInputs = new LinkedHashMap<>();
    joinInputs.put("list", list);
    joinInputs.put("audio", dir.resolve(audioName));
    Path output =
        runChild(
            "-f concat -i list -i audio -map 0:v -map 1:a -c copy "
                + String.join(" ", split.muxArgs())
                + " out_1",
            joinInputs,
            "out.mp4");

    Path single = runChild(COMMAND, Map.of("in_1", clip), "single.mp4");

    SeamCheck.Report report =
        new SeamCheck(ffmpeg.ffmpeg(), ffmpeg.ffprobe())
            .check(
                clip,
                output,
                single,
                segments.stream().map(Segment::frames).toList(),
                "scale=320:240");
    printFigures(segments, report);
    return report;
  }

  /**
   * Checks one child's command with the ordinary policy, renders it as the worker would, and runs
   * it in {@code dir}; the output is {@code dir/<outputName>}.
   */
  private Path runChild(String command, Map<String, Path> inputs, String outputName)
      throws Exception {
    Map<String, String> urls = new LinkedHashMap<>();
    Map<String, List<String>> lists = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    inputs.forEach(
        (name, path) -> {
          paths.put(name, path.toString());
          if (name.equals("list")) {
            lists.put("list", new ArrayList<>());
          } else {
            urls.put(name, "s3://media/" + path.getFileName());
          }
        });
    if (!lists.isEmpty()) {
      // The segments the list names are inputs of the join too.
      for (String line : Files.readAllLines(inputs.get("list"))) {
        if (line.startsWith("file '")) {
          String file = line.substring(6, line.length() - 1);
          String name = file.substring(0, file.indexOf('.'));
          urls.put(name, "s3://media/" + file);
          lists.get("list").add(name);
        }
      }
    }
    TaskCommand.Request request =
        new TaskCommand.Request(command, urls, Map.of("out_1", outputName))
            .withConcatLists(lists.isEmpty() ? null : lists);
    TaskCommand parsed = TaskCommand.parse(request, "media");
    Path output = dir.resolve(outputName);
    List<String> argv =
        parsed.render(paths, Map.of("out_1", output.toString()), MediaPolicy.defaults());
    return TestingFfmpeg.make(output, argv.subList(0, argv.size() - 1).toArray(String[]::new));
  }

  private static void printFigures(List<Segment> segments, SeamCheck.Report report) {
    System.out.println("segments: " + segments);
    double[] between = report.betweenPsnr();
    System.out.printf(
        "median PSNR: parallel %.2f dB, single run %.2f dB, parallel vs single %.2f dB;"
            + " median loss %.2f dB%n",
        SeamCheck.median(report.parallelPsnr()),
        SeamCheck.median(report.singleRunPsnr()),
        SeamCheck.median(between),
        report.medianLoss());
    for (int seam : report.seams()) {
      System.out.printf(
          "seam at frame %d: lowest ±%d PSNR parallel %.2f, single run %.2f (loss %.2f dB),"
              + " parallel vs single %.2f; at the seam frame parallel %.2f, single %.2f%n",
          seam,
          SeamCheck.SEAM_WINDOW,
          SeamCheck.Report.lowest(report.parallelPsnr(), seam),
          SeamCheck.Report.lowest(report.singleRunPsnr(), seam),
          report.seamLoss(seam),
          SeamCheck.Report.lowest(between, seam),
          report.parallelPsnr()[seam],
          report.singleRunPsnr()[seam]);
    }
  }
}
