package io.ffmpegoperator.bench;

import io.ffmpegoperator.bench.ParallelRun.Child;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Item 10's section of the report: the measured runs, the N-node model built from the children's
 * own times, where each pod's time goes, the S3 traffic, and what limits the speed-up towards the
 * issue's target, extrapolated to its 10-minute input. Every figure says whether it was measured or
 * modelled.
 */
final class ParallelReport {
  /** The target: a speed-up of at least this share of N. */
  static final double TARGET_EFFICIENCY = 0.8;

  /** The input length and segment count the target is for. */
  static final int TARGET_SECONDS = 600;

  static final int TARGET_SEGMENTS = 8;

  private ParallelReport() {}

  static String section(BenchContext bench, ParallelEncode.Result result) {
    ParallelEncode.Clip clip = result.clip();
    StringBuilder s = new StringBuilder("## 10. Parallel encode: one pod against N segments\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "A %d s %dx%d %d fps clip (testsrc2 with noise that changes every frame, H.264"
                + " ultrafast, a keyframe every %d frames, AAC; %s, %d video frames, %.3f s;"
                + " making it took %.1f s, not counted), in the stack's bucket, transcoded with"
                + " `%s`. Every output is downloaded through its link and decoded by `ffprobe"
                + " -count_frames`: it must have the input's %d video frames and an audio stream,"
                + " or the item fails. Times are from the bench's own watch on FfmpegTasks (ms)"
                + " and, inside a pod, from its log. One run of each. The machine's load averages"
                + " (1, 5, 15 min) were %s as the item began and %s as it ended: above %d, other"
                + " work shared the cores and stretched the times here, unevenly.\n\n",
            clip.seconds(),
            clip.width(),
            clip.height(),
            ParallelEncode.FPS,
            ParallelEncode.KEYFRAME_EVERY,
            Report.bytes(clip.media().bytes()),
            clip.media().videoFrames(),
            clip.media().seconds(),
            clip.makeMs() / 1000,
            ParallelEncode.COMMAND,
            clip.media().videoFrames(),
            result.loadAtStart(),
            result.loadAtEnd(),
            Runtime.getRuntime().availableProcessors()));
    measured(s, result.single(), result.measured(), bench);
    ParallelEncode.Alone alone = result.alone();
    ParallelModel model = new ParallelModel(alone.single(), alone.runs(), clip.seconds());
    modelledSection(s, model, result.single());
    ParallelCosts.pods(s, result.single(), alone);
    ParallelCosts.traffic(s, alone);
    ParallelLimits.section(s, model, clip, bench);
    return s.toString();
  }

  private static void measured(
      StringBuilder s, ParallelRun single, ParallelRun run, BenchContext bench) {
    s.append("### Measured on this machine, main stack, same run\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "The ordinary task first, then the same with `\"parallel\": {\"segments\": %d}`, each"
                + " after the %d warm workers were ready; the %d segments, the audio and the"
                + " warm workers' replacements share the machine's %d cores.\n\n",
            run.segments(),
            bench.warmPool().count(),
            run.segmentChildren().size(),
            Runtime.getRuntime().availableProcessors()));
    s.append(
        "| run (measured) | register → completed (ms) | one pod / this | output lasts (s) |\n");
    s.append("|---|---:|---:|---:|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| one ordinary task, one pod (%s) | %.0f | 1.00 | %.3f |\n",
            single.task().warm() ? "claimed a warm worker" : "a Job of its own",
            single.wallMs(),
            single.outputSeconds()));
    s.append(
        String.format(
            Locale.ROOT,
            "| %d segments on this machine (%d of %d children claimed a warm worker) | %.0f |"
                + " %.2f | %.3f |\n\n",
            run.segments(),
            run.children().stream().filter(Child::warm).count(),
            run.children().size(),
            run.wallMs(),
            single.wallMs() / run.wallMs(),
            run.outputSeconds()));
    s.append(
        "| step of the parallel task, each from the end of the one before (measured) | ms |\n");
    s.append("|---|---:|\n");
    row(s, "register → probe child created", run.registerToProbeMs());
    row(s, "probe: child created → finished", run.probeMs());
    row(s, "probe finished → first segment or audio child created", run.probeToSegmentsMs());
    row(s, "segments and audio side by side: first created → last finished", run.sideBySideMs());
    row(s, "&nbsp;&nbsp;the segments alone: first created → last finished", run.segmentsMs());
    if (run.audio() != null) {
      row(
          s,
          "&nbsp;&nbsp;the audio child alone: created → finished",
          run.audio().finishedMs() - run.audio().createdMs());
    }
    row(s, "last segment or audio finished → join child created", run.segmentsToJoinMs());
    row(s, "join: child created → finished", run.joinMs());
    row(
        s,
        "store: join finished → task finished (the join's output copied to the task's key)",
        run.storeMs());
    row(s, "task finished → REST answers completed", run.finishedToCompletedMs());
    row(s, "**register → completed**", run.wallMs());
    s.append('\n');
    bench.finding(
        String.format(
            Locale.ROOT,
            "Parallel encode on this machine: %d segments took %.1f s against %.1f s for one pod"
                + " (%.2f×, measured, same run). Here the segments and the audio share the same"
                + " %d cores: side by side they can only use what one ffmpeg leaves idle of them"
                + " and what the pods' fetches and uploads leave between encodes, while each child"
                + " adds a pod and a fetch of the whole input. A speed-up near N needs N nodes"
                + " (modelled in item 10).",
            run.segments(),
            run.wallMs() / 1000,
            single.wallMs() / 1000,
            single.wallMs() / run.wallMs(),
            Runtime.getRuntime().availableProcessors()));
  }

  /**
   * @param mainSingle the ordinary task on the main stack, for reference
   */
  private static void modelledSection(
      StringBuilder s, ParallelModel model, ParallelRun mainSingle) {
    s.append("### Modelled: each child on a node of its own\n\n");
    s.append(
        "A second embedded stack whose only API key has `max-running=1` and which keeps no warm"
            + " workers: each child of the parallel task waits for the one before it and then"
            + " runs alone on this machine, with a Job and worker JVM of its own, as it would on a"
            + " node of its own of this machine's size. The ordinary task runs there too, alone,"
            + " just before: the one-pod time the speed-up is against is then taken under the"
            + " conditions the children meet (a Job of its own, the same minutes of a shared"
            + " machine); the main stack's one-pod time is given for reference. A child's own time is from its status"
            + " naming its Job (the Job made) to the watch seeing it finished. The time on N"
            + " nodes is modelled as the steps that ran with nothing else waiting (register →"
            + " probe finished; probe finished → the first segment or audio child's Job; last"
            + " of them finished → join finished; join finished → completed) plus the own time of"
            + " the slowest segment or audio child in place of all of them. Each node is assumed"
            + " to fetch from S3 as fast as this machine's s3proxy served one reader; real S3"
            + " would serve N whole-input fetches at once from the network.\n\n");
    StringBuilder header = new StringBuilder("| figure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (ParallelRun run : model.runs()) {
      header.append(" N = ").append(run.segments()).append(" |");
      rule.append("---:|");
    }
    s.append(header).append(" kind |\n").append(rule).append("---|\n");
    List<ParallelRun> runs = model.runs();
    s.append(line("register → probe finished (ms)", runs, ParallelRun::modelProbeMs, "measured"));
    s.append(
        line(
            "probe finished → first segment or audio child had a Job (ms)",
            runs,
            ParallelRun::modelHandOffMs,
            "measured"));
    s.append(
        line(
            "slowest segment or audio child, own time (ms)",
            runs,
            r -> r.slowest().ownMs(),
            "measured"));
    s.append(text("&nbsp;&nbsp;which child", runs, r -> r.slowest().shortName(), "measured"));
    s.append(
        text(
            "segments' video frames, fewest – most (cut at keyframes)",
            runs,
            r -> range(r.segmentChildren(), Child::frames),
            "the operator's plan"));
    s.append(
        text(
            "segments' own times, fastest – slowest (ms)",
            runs,
            r -> range(r.segmentChildren(), Child::ownMs),
            "measured"));
    s.append(
        line(
            "last segment or audio finished → join finished (ms)",
            runs,
            ParallelRun::modelJoinMs,
            "measured"));
    s.append(
        line(
            "join finished → REST answers completed (ms)",
            runs,
            ParallelRun::modelStoreMs,
            "measured"));
    s.append(
        line("**register → completed on N nodes** (ms)", runs, ParallelRun::modelMs, "modelled"));
    s.append(
        line(
            "one pod alone on this stack, register → completed (ms)",
            runs,
            r -> model.singleMs(),
            "measured"));
    s.append(line("speed-up = one pod / N nodes (×)", runs, model::speedUp, "modelled", "%.2f"));
    s.append(
        line(
            "efficiency = speed-up / N (issue's target ≥ "
                + TARGET_EFFICIENCY
                + " for a 10-minute 1080p input, N = 8)",
            runs,
            model::efficiency,
            "modelled",
            "%.2f"));
    s.append(
        line(
            "for reference: one pod on the main stack / N nodes (×)",
            runs,
            r -> mainSingle.wallMs() / r.modelMs(),
            "modelled",
            "%.2f"));
    s.append(
        line("segments' own times summed (ms)", runs, r -> r.segmentSum(Child::ownMs), "measured"));
    s.append(
        line(
            "segments summed / one pod's own time (extra work of splitting, ×)",
            runs,
            r -> r.segmentSum(Child::ownMs) / model.single().task().ownMs(),
            "measured",
            "%.2f"));
    s.append(
        line(
            "all children one after another on this machine, register → completed (ms)",
            runs,
            ParallelRun::wallMs,
            "measured"));
    s.append('\n');
  }

  private static void row(StringBuilder s, String name, double ms) {
    s.append(String.format(Locale.ROOT, "| %s | %.0f |\n", name, ms));
  }

  private static String line(
      String name, List<ParallelRun> runs, ToDoubleFunction<ParallelRun> value, String kind) {
    return line(name, runs, value, kind, "%.0f");
  }

  private static String line(
      String name,
      List<ParallelRun> runs,
      ToDoubleFunction<ParallelRun> value,
      String kind,
      String fmt) {
    return text(name, runs, r -> String.format(Locale.ROOT, fmt, value.applyAsDouble(r)), kind);
  }

  private static String text(
      String name, List<ParallelRun> runs, Function<ParallelRun, String> value, String kind) {
    StringBuilder row = new StringBuilder("| ").append(name).append(" |");
    for (ParallelRun run : runs) {
      row.append(' ').append(value.apply(run)).append(" |");
    }
    return row.append(' ').append(kind).append(" |\n").toString();
  }

  static String range(List<Child> children, ToDoubleFunction<Child> value) {
    Stats stats = Stats.of(children.stream().map(c -> value.applyAsDouble(c)).toList());
    return String.format(Locale.ROOT, "%.0f – %.0f", stats.min(), stats.max());
  }
}
