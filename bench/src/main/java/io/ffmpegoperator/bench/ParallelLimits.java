package io.ffmpegoperator.bench;

import io.ffmpegoperator.bench.ParallelRun.Child;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The last part of item 10: what limits the speed-up towards the target, with the N-node
 * time of the target's input length split into its parts ({@link ParallelModel}), and the item's
 * findings.
 */
final class ParallelLimits {
  /** One part of the modelled N-node time at the target's length. */
  private record Part(String name, double ms, boolean encode) {}

  /** The frame height of the target input. */
  private static final int TARGET_HEIGHT = 1080;

  private ParallelLimits() {}

  static void section(
      StringBuilder s, ParallelModel model, ParallelEncode.Clip clip, BenchContext bench) {
    int n = ParallelReport.TARGET_SEGMENTS;
    int length = ParallelReport.TARGET_SECONDS;
    ParallelRun run = model.run(n);
    double scale = (double) length / model.clipSeconds();
    s.append(
        String.format(
            Locale.ROOT,
            "### What limits the speed-up towards %.1f·N (modelled, N = %d)\n\n",
            ParallelReport.TARGET_EFFICIENCY,
            run.segments()));
    s.append(
        String.format(
            Locale.ROOT,
            "Extrapolated from the %d s clip to a %d s input of the same kind (%s), modelled: each"
                + " time T(L) = F + P · L / %d, where P is the measured part that moves or encodes"
                + " media (one pod: its fetch, ffmpeg and upload; N nodes: the fetch, ffmpeg and"
                + " upload of the probe, the slowest segment or audio child and the join, plus the"
                + " store step, a copy of the output) and F the rest of the measured time (pod"
                + " starts, hand-offs, checks, status writes).%s\n\n",
            model.clipSeconds(),
            length,
            clip.width() + "x" + clip.height(),
            model.clipSeconds(),
            clip.height() < TARGET_HEIGHT
                ? " This mode's clip is smaller than 1080p, so the target's 1080p input is"
                    + " further off than its length: run `make bench` for that."
                : ""));
    s.append(
        String.format(
            Locale.ROOT,
            "| N = %d | this clip, %d s | %d s input | kind |\n|---|---:|---:|---|\n",
            run.segments(),
            model.clipSeconds(),
            length));
    s.append(
        String.format(
            Locale.ROOT,
            "| one pod, register → completed (s) | %.1f | %.1f | measured; modelled |\n",
            model.singleMs() / 1000,
            model.singleMs(length) / 1000));
    s.append(
        String.format(
            Locale.ROOT,
            "| %d nodes, register → completed (s) | %.1f | %.1f | modelled |\n",
            run.segments(),
            run.modelMs() / 1000,
            model.modelMs(run, length) / 1000));
    s.append(
        String.format(
            Locale.ROOT,
            "| speed-up (×) | %.2f | %.2f | modelled |\n",
            model.speedUp(run),
            model.speedUp(run, length)));
    boolean met = model.efficiency(run, length) >= ParallelReport.TARGET_EFFICIENCY;
    s.append(
        String.format(
            Locale.ROOT,
            "| efficiency (target ≥ %.1f) | %.2f | %.2f (%s) | modelled |\n\n",
            ParallelReport.TARGET_EFFICIENCY,
            model.efficiency(run),
            model.efficiency(run, length),
            Report.metOrNot(met)));

    List<Part> parts = parts(model, run, scale);
    double total = model.modelMs(run, length);
    s.append(
        String.format(
            Locale.ROOT,
            "| part of the %d-node time for the %d s input (modelled) | s | share |\n"
                + "|---|---:|---:|\n",
            run.segments(),
            length));
    for (Part part : parts) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.0f%% |\n",
              part.name(),
              part.ms() / 1000,
              100 * part.ms() / total));
    }
    double ideal = model.singleMs(length) / run.segments();
    s.append(
        String.format(
            Locale.ROOT,
            "| for comparison: one pod / %d, the ideal (modelled) | %.1f | |\n\n",
            run.segments(),
            ideal / 1000));
    double limit = model.longInputSpeedUp(run);
    s.append(
        String.format(
            Locale.ROOT,
            "Only the slowest child's ffmpeg is the encode being shared out; the rest is the"
                + " price of splitting. The fixed parts (pod starts, hand-offs) fade as the input"
                + " grows, but the probe, each segment's fetch of the whole input, the join and the"
                + " store grow with it and are not divided among the nodes: however long the input,"
                + " the speed-up stays under P(one pod) / P(%d nodes) = %.2f× (efficiency %.2f),"
                + " modelled. The encode itself is not shared out evenly either: the slowest"
                + " child's ffmpeg took %.2f× an even share (one pod's ffmpeg / %d, measured). The"
                + " largest segment has %d video frames against an even share of %.0f: cuts fall on"
                + " keyframes, one every %d frames, and the extrapolation keeps that imbalance,"
                + " which a longer input, with more keyframes to each segment, would shrink. The"
                + " rest of that factor is per-frame speed: each segment's encoder starts afresh"
                + " at its seam, and on a shared machine each child met whatever else ran at the"
                + " time. Summed, the segments' ffmpeg took %.2f× one pod's and their fetches"
                + " moved %s against one pod's %s (measured).\n\n",
            run.segments(),
            limit,
            limit / run.segments(),
            model.evenShareFactor(run),
            run.segments(),
            run.segmentChildren().stream().mapToLong(Child::frames).max().orElseThrow(),
            (double) run.segmentChildren().stream().mapToLong(Child::frames).sum() / run.segments(),
            ParallelEncode.KEYFRAME_EVERY,
            run.segmentSum(c -> c.log().ffmpegMs()) / model.single().task().log().ffmpegMs(),
            Report.bytes(
                run.segmentChildren().stream().mapToLong(c -> c.log().fetchedBytes()).sum()),
            Report.bytes(model.single().task().log().fetchedBytes())));
    findings(bench, model, run, parts, total, length, met);
  }

  /** The N-node time at the target length, part by part; they add up to the whole. */
  private static List<Part> parts(ParallelModel model, ParallelRun run, double scale) {
    Child probe = run.probe();
    Child slowest = run.slowest();
    Child join = run.join();
    String which = slowest.shortName();
    List<Part> parts = new ArrayList<>();
    parts.add(
        new Part(
            "probe: pod start, fetch of the whole input, packet listing",
            run.modelProbeMs() - probe.lengthBoundMs() + probe.lengthBoundMs() * scale,
            false));
    parts.add(
        new Part(
            "hand-off to the segments (planning, children, Jobs)", run.modelHandOffMs(), false));
    parts.add(
        new Part(
            "slowest child (" + which + "): pod and worker JVM start", slowest.startMs(), false));
    parts.add(
        new Part(
            "slowest child: fetch of the whole input", slowest.log().fetchMs() * scale, false));
    parts.add(
        new Part(
            "slowest child: ffmpeg, its share of the encode",
            slowest.log().ffmpegMs() * scale,
            true));
    parts.add(new Part("slowest child: upload", slowest.log().storeMs() * scale, false));
    parts.add(new Part("slowest child: checks and report", slowest.otherMs(), false));
    parts.add(
        new Part(
            "join: its start, fetch of every segment, stream copy, upload",
            run.modelJoinMs() - join.lengthBoundMs() + join.lengthBoundMs() * scale,
            false));
    parts.add(new Part("store: copy of the output, completion", run.modelStoreMs() * scale, false));
    return parts;
  }

  private static void findings(
      BenchContext bench,
      ParallelModel model,
      ParallelRun run,
      List<Part> parts,
      double total,
      int length,
      boolean met) {
    List<Part> overheads =
        parts.stream()
            .filter(p -> !p.encode())
            .sorted(Comparator.comparingDouble(Part::ms).reversed())
            .limit(3)
            .toList();
    StringBuilder largest = new StringBuilder();
    for (Part p : overheads) {
      largest.append(largest.isEmpty() ? "" : "; ");
      largest.append(String.format(Locale.ROOT, "%s %.0f%%", p.name(), 100 * p.ms() / total));
    }
    bench.finding(
        String.format(
            Locale.ROOT,
            "Parallel encode: modelled on %d nodes of this machine's size, a %d s input would be"
                + " %.2f× faster than one pod (efficiency %.2f; the issue asks ≥ %.1f: %s). What"
                + " keeps it from N: the parts of the time that are not the slowest segment's"
                + " encode, largest first: %s of the modelled time; and the slowest child's encode"
                + " took %.2f× an even share of one pod's (measured). Probe, whole-input fetch per"
                + " segment, join and store grow with the input and are not divided among nodes,"
                + " which caps the speed-up at %.2f× however long the input (modelled).",
            run.segments(),
            length,
            model.speedUp(run, length),
            model.efficiency(run, length),
            ParallelReport.TARGET_EFFICIENCY,
            Report.metOrNot(met),
            largest,
            model.evenShareFactor(run),
            model.longInputSpeedUp(run)));
  }
}
