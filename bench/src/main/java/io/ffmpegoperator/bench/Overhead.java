package io.ffmpegoperator.bench;

import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * 1. The overhead ratio: a real transcode as a task through the platform against the same ffmpeg
 * run bare on the local file, run by run; and, from the worker's log, how much of the difference is
 * ffmpeg itself running slower beside the stack and how much the fixed cost around it.
 */
final class Overhead implements Item {
  @Override
  public String run(BenchContext bench) throws Exception {
    Plan plan = bench.plan();
    EmbeddedStack stack = bench.stack();
    int w = 1280;
    int h = 720;
    Path clip = bench.scratch().resolve("clip-" + plan.clipSeconds() + "s.mp4");
    Path ffmpeg = stack.ffmpeg().ffmpeg();
    Log.line("1. overhead: making a " + plan.clipSeconds() + " s " + w + "x" + h + " clip");
    TestClips.make(ffmpeg, clip, plan.clipSeconds(), w, h, 30, true);
    String key = "bench/inputs/" + clip.getFileName();
    stack.storage().put(key, clip);
    String input = "s3://" + stack.storage().bucket() + "/" + key;
    String args = "-c:v libx264 -preset veryfast";

    List<Double> bare = new ArrayList<>();
    List<Double> platform = new ArrayList<>();
    List<Double> podFfmpeg = new ArrayList<>();
    int onWarm = 0;
    for (int i = 0; i < plan.overheadRuns(); i++) {
      double b;
      double p;
      // Alternate which goes first, so neither always gets the warmer machine.
      if (i % 2 == 0) {
        b = BareFfmpeg.transcode(ffmpeg, clip, args, bench.scratch(), i);
        bench.warmPool().awaitReady();
        p =
            bench.platformTask(
                "-i in_1 " + args + " out_1", input, "out.mp4", Duration.ofMinutes(5));
      } else {
        bench.warmPool().awaitReady();
        p =
            bench.platformTask(
                "-i in_1 " + args + " out_1", input, "out.mp4", Duration.ofMinutes(5));
        // The claimed worker's replacement may start only now that its pod has finished: the bare
        // run must not share the cores with it either.
        bench.warmPool().awaitReady();
        b = BareFfmpeg.transcode(ffmpeg, clip, args, bench.scratch(), i);
      }
      String task = bench.completedTask();
      String jobName = bench.warmPool().jobNameOf(task);
      boolean claimed = WarmPool.ranOnWarmWorker(task, jobName);
      onWarm += claimed ? 1 : 0;
      // ffmpeg's own time inside the pod, from the worker's log, splits the difference into
      // ffmpeg running slower on the shared cores and the fixed cost around it.
      WorkerLog.of(stack.config().home(), jobName)
          .map(WorkerLog::ffmpegMs)
          .filter(ms -> !Double.isNaN(ms))
          .ifPresent(podFfmpeg::add);
      bare.add(b);
      platform.add(p);
      Log.line(
          String.format(
              Locale.ROOT,
              "   run %d: bare %.0f ms, platform %.0f ms (%s)",
              i + 1,
              b,
              p,
              claimed ? "claimed a warm worker" : "Job of its own"));
    }
    Stats r = Stats.ofPairs(platform, bare, (x, y) -> x / y);
    Stats b = Stats.of(bare);
    Stats p = Stats.of(platform);
    Stats difference = Stats.ofPairs(platform, bare, (x, y) -> x - y);
    Stats inPod = Stats.of(podFfmpeg);
    Stats inPodRatio = Stats.ofPairs(podFfmpeg, bare, (x, y) -> x / y);
    boolean met = r.median() <= 1.10;
    StringBuilder s = new StringBuilder();
    s.append("## 1. Overhead ratio: a real transcode through the platform vs bare ffmpeg\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "A %d s %dx%d 30 fps clip with AAC audio (%s), `%s` to MP4. Bare: `ffmpeg -hide_banner"
                + " -nostdin -y -loglevel error -nostats -i <local file> %s out.mp4`. Platform:"
                + " the same arguments as a task whose input is `%s`, register → completed (fetch"
                + " from S3, ffmpeg, upload of the output, status). Runs alternate which goes"
                + " first; before each run, bare or platform, the bench waits until the warm"
                + " workers are up, so that neither shares the cores with one starting."
                + " %d of %d platform runs claimed a warm worker, %d had a Job of their own.%s\n\n",
            plan.clipSeconds(),
            w,
            h,
            Report.size(clip),
            args,
            args,
            input,
            onWarm,
            plan.overheadRuns(),
            plan.overheadRuns() - onWarm,
            plan.mode().equals("quick")
                ? " Quick mode uses a 4 s clip instead of the 10 s one of the full bench; the fixed"
                    + " costs weigh more on a shorter clip."
                : ""));
    s.append(Report.header());
    s.append(Report.row("platform / bare (ratio)", r, "%.2f", "≤ 1.10", met));
    s.append(Report.row("bare ffmpeg (ms)", b, "%.0f", "", null));
    s.append(Report.row("platform, register → completed (ms)", p, "%.0f", "", null));
    s.append(Report.row("difference (ms)", difference, "%.0f", "", null));
    if (podFfmpeg.size() == bare.size()) {
      s.append(
          Report.row("ffmpeg alone inside the worker pod (ms, its log)", inPod, "%.0f", "", null));
      s.append(
          Report.row("ffmpeg inside the pod / bare ffmpeg (ratio)", inPodRatio, "%.2f", "", null));
    }
    s.append('\n');
    bench.finding(
        String.format(
            Locale.ROOT,
            "Overhead: a %d s 720p transcode took %.0f ms bare and %.0f ms through the platform"
                + " (median ratio %.2f, target ≤ 1.10 %s; %d of %d platform runs on a claimed warm"
                + " worker). The fixed part, about %.0f ms, is roughly the small-task latency"
                + " below (claiming a worker or starting one, S3 fetch and upload, status). If"
                + " that part stays fixed, the ratio falls as clips get longer; compare the quick"
                + " (4 s) and full (10 s) reports.",
            plan.clipSeconds(),
            b.median(),
            p.median(),
            r.median(),
            Report.metOrNot(met),
            onWarm,
            plan.overheadRuns(),
            difference.median()));
    if (podFfmpeg.size() == bare.size()) {
      bench.finding(
          String.format(
              Locale.ROOT,
              "Of that difference, ffmpeg itself ran %.0f ms inside the worker pod against %.0f ms"
                  + " bare (median ratio %.2f): on this machine the pod's ffmpeg shares the cores"
                  + " with the whole stack (API server, operator, bridge, S3)%s. The remaining %.0f"
                  + " ms is the cost around ffmpeg: claim, fetch, ffprobe of input and output,"
                  + " upload, status.",
              inPod.median(),
              b.median(),
              inPodRatio.median(),
              // Each run starts with the pool full, so a claim leaves count - 1 waiting.
              bench.warmPool().count() - 1 >= WarmWorkers.ALWAYS_WAITING
                  ? "; the warm worker replacing the claimed one starts only after it (the claim"
                      + " left "
                      + (bench.warmPool().count() - 1)
                      + " waiting)"
                  : " and with the warm worker started to replace the claimed one",
              Stats.ofPairs(platform, podFfmpeg, (x, y) -> x - y).median()));
    }
    return s.toString();
  }
}
