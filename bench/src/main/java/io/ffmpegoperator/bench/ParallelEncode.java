package io.ffmpegoperator.bench;

import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.StackConfig;
import io.ffmpegoperator.settings.ApiClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * 10. A long clip transcoded by one pod against the same task split into segments ({@code parallel:
 * {segments: N}}). Measured on the main stack in the same run: both wall times and the parallel
 * task's phases. On two cores segments cannot run faster side by side, so the time on N nodes is
 * modelled: a second stack whose only API key runs one task at a time runs the ordinary task and
 * every child alone on the machine, as each would run on a node of its own, and the model adds the
 * phases up with the slowest segment in place of all of them ({@link ParallelReport} says which
 * figure is which).
 */
final class ParallelEncode implements Item {
  /** A CPU encode, the case splitting is for; audio is encoded too, once, by its own child. */
  static final String COMMAND =
      "-i in_1 -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k out_1";

  /** Segments of the parallel task measured beside the single pod on the main stack. */
  static final int MEASURED_SEGMENTS = 4;

  /** Segment counts modelled on nodes of their own. */
  static final List<Integer> MODELLED_SEGMENTS = List.of(4, 8);

  static final int FPS = 25;

  /**
   * Keyframes as often as streaming sources have them: segments start on keyframes, and ffmpeg's
   * default spacing would leave a clip this long few places to cut.
   */
  static final int KEYFRAME_EVERY = 2 * FPS;

  /**
   * Noise that changes every frame, so the encoder works on every frame as on filmed content rather
   * than skipping a test pattern's still background; stronger noise makes the input's bitrate, and
   * so every child's fetch, unlike a real source's.
   */
  private static final int NOISE = 6;

  private static final String CLIP_KEY = "bench/inputs/parallel.mp4";
  private static final Duration CLIP_TIMEOUT = Duration.ofMinutes(10);

  /**
   * The clip and what was measured of it.
   *
   * @param makeMs how long making it took, not counted anywhere
   */
  record Clip(Path file, int seconds, int width, int height, Media media, double makeMs) {}

  /**
   * What the item measured.
   *
   * @param loadAtStart the machine's load averages as the item began ({@link
   *     Machine#loadAverage()}): the machine is shared, and other work inflates every time here
   * @param loadAtEnd the same as the item ended
   */
  record Result(
      Clip clip,
      ParallelRun single,
      ParallelRun measured,
      Alone alone,
      String loadAtStart,
      String loadAtEnd) {}

  /**
   * What the second stack measured, every task and child alone on the machine.
   *
   * @param single the ordinary task: the one-pod time the model compares with, taken under the
   *     conditions its children meet (a Job of its own, the same minutes of a shared machine)
   * @param runs the parallel task, one run per segment count
   */
  record Alone(ParallelRun single, List<ParallelRun> runs) {}

  @Override
  public String run(BenchContext bench) throws Exception {
    String loadAtStart = Machine.loadAverage();
    Path dir = bench.dir("parallel");
    Clip clip = clip(bench, dir);
    EmbeddedStack main = bench.stack();
    String input = BenchContext.store(main, CLIP_KEY, clip.file());
    ParallelRun single;
    ParallelRun measured;
    try (TaskWatch watch = new TaskWatch(main.kubernetesClient(), main.config().namespace());
        PodLogs logs = new PodLogs(main.config().home(), dir.resolve("main-pods"))) {
      ParallelRunner.On on =
          new ParallelRunner.On(main, bench.api(), bench.finishes(), watch, logs, dir);
      Log.line("10. parallel: one pod");
      bench.warmPool().awaitReady();
      single = ParallelRunner.measure(on, COMMAND, input, 0, clip.media());
      Log.line(String.format(Locale.ROOT, "   %.1f s", single.wallMs() / 1000));
      Log.line("10. parallel: " + MEASURED_SEGMENTS + " segments on this machine");
      bench.warmPool().awaitReady();
      measured = ParallelRunner.measure(on, COMMAND, input, MEASURED_SEGMENTS, clip.media());
      Log.line(String.format(Locale.ROOT, "   %.1f s", measured.wallMs() / 1000));
    }
    Alone alone = alone(bench, clip, dir);
    return ParallelReport.section(
        bench, new Result(clip, single, measured, alone, loadAtStart, Machine.loadAverage()));
  }

  /** Makes the clip with the stack's ffmpeg and probes it. */
  private static Clip clip(BenchContext bench, Path dir) throws Exception {
    int seconds = bench.plan().parallelClipSeconds();
    int height = bench.plan().parallelClipHeight();
    int width = height * 16 / 9;
    Log.line("10. parallel: making a " + seconds + " s " + height + "p clip");
    Path file = dir.resolve("clip.mp4");
    double t = Clock.nowMs();
    BareFfmpeg.run(
        bench.stack().ffmpeg().ffmpeg(),
        List.of(
            "-f",
            "lavfi",
            "-i",
            String.format(
                Locale.ROOT,
                "testsrc2=size=%dx%d:rate=%d:duration=%d",
                width,
                height,
                FPS,
                seconds),
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=" + seconds,
            "-vf",
            "noise=alls=" + NOISE + ":allf=t,format=yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            Integer.toString(KEYFRAME_EVERY),
            "-c:a",
            "aac",
            "-shortest",
            file.toString()),
        dir.resolve("clip.log"),
        CLIP_TIMEOUT);
    double makeMs = Clock.nowMs() - t;
    Media media = Media.probe(bench.stack().ffmpeg().ffprobe(), file, dir);
    return new Clip(file, seconds, width, height, media, makeMs);
  }

  /**
   * The ordinary task, then the parallel task with each of {@link #MODELLED_SEGMENTS}, on a stack
   * of its own whose only API key may run one task at a time: every child then runs alone on the
   * machine. It keeps no warm workers: a warm worker's replacement would start its JVM beside the
   * child being timed, and a parallel task has more children than a pool has warm workers, so on a
   * cluster its slowest segment would most likely start a pod of its own anyway. The ordinary task
   * runs here too because the machine is shared: a one-pod time taken minutes apart, under other
   * load, would make the model's speed-up say more about that load than about splitting.
   */
  private static Alone alone(BenchContext bench, Clip clip, Path dir) throws Exception {
    String key = ClientSharing.randomKey();
    StackConfig config =
        StackConfig.forTest(bench.scratch().resolve("stack-parallel"))
            .withApiClients(ApiClients.of(key + " name=nodes max-running=1"));
    Log.line("10. parallel: a stack whose one API key runs one task at a time");
    List<ParallelRun> runs = new ArrayList<>();
    try (EmbeddedStack stack = EmbeddedStack.start(config);
        TaskFinishes finishes =
            new TaskFinishes(stack.kubernetesClient(), stack.config().namespace());
        TaskWatch watch = new TaskWatch(stack.kubernetesClient(), stack.config().namespace());
        PodLogs logs = new PodLogs(stack.config().home(), dir.resolve("alone-pods"))) {
      ApiClient api = new ApiClient(stack.apiUri(), key);
      // Not timed: the first start of anything on a new stack.
      ClientSharing.lone(api, bench.tinyInput(stack), finishes);
      String input = BenchContext.store(stack, CLIP_KEY, clip.file());
      ParallelRunner.On on = new ParallelRunner.On(stack, api, finishes, watch, logs, dir);
      Log.line("10. parallel: one pod alone");
      ParallelRun single = ParallelRunner.measure(on, COMMAND, input, 0, clip.media());
      Log.line(String.format(Locale.ROOT, "   %.1f s", single.wallMs() / 1000));
      for (int n : MODELLED_SEGMENTS) {
        Log.line("10. parallel: " + n + " segments, each child alone");
        ParallelRun run = ParallelRunner.measure(on, COMMAND, input, n, clip.media());
        Log.line(
            String.format(Locale.ROOT, "   modelled on %d nodes: %.1f s", n, run.modelMs() / 1000));
        runs.add(run);
      }
      return new Alone(single, runs);
    }
  }
}
