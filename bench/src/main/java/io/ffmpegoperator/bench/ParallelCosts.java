package io.ffmpegoperator.bench;

import io.ffmpegoperator.bench.ParallelRun.Child;
import io.ffmpegoperator.bench.ParallelRun.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What splitting costs, in two tables of item 10's section: where each pod's own time goes, and the
 * bytes moved through S3, for the one pod and each segment count.
 */
final class ParallelCosts {
  private ParallelCosts() {}

  /** Where each pod's own time goes, from the pods' logs and the watch. */
  /**
   * @param mainSingle the ordinary task on the main stack
   */
  static void pods(StringBuilder s, ParallelRun mainSingle, ParallelEncode.Alone alone) {
    s.append("### Where a pod's time goes (measured)\n\n");
    s.append(
        "Own time split by the pod's log: start (its Job named → the worker begins its steps:"
            + " node, worker JVM and work order, or a claimed warm worker's order), the fetch of"
            + " its inputs over pre-signed links, ffmpeg, the upload of its output, and the"
            + " rest (the worker's ffprobe checks, its report, the operator's status write). A"
            + " claimed warm worker can begin before the task's status names its Job, so its"
            + " start can be below zero.\n\n");
    s.append("| pod | start | fetch | ffmpeg | upload | rest | own (ms) |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|\n");
    pod(s, "one pod, main stack", List.of(mainSingle.task()));
    pod(s, "one pod alone, second stack", List.of(alone.single().task()));
    for (ParallelRun run : alone.runs()) {
      String n = "N = " + run.segments() + ": ";
      pod(s, n + "probe", List.of(run.probe()));
      List<Child> segments = new ArrayList<>(run.segmentChildren());
      segments.sort(Comparator.comparingDouble(Child::ownMs));
      Child median = segments.get((segments.size() - 1) / 2);
      Child slowest = segments.get(segments.size() - 1);
      pod(s, n + "median segment (" + median.shortName() + ")", List.of(median));
      pod(s, n + "slowest segment (" + slowest.shortName() + ")", List.of(slowest));
      if (run.audio() != null) {
        pod(s, n + "audio", List.of(run.audio()));
      }
      pod(s, n + "join", List.of(run.join()));
      pod(s, n + "**segments summed**", segments);
    }
    s.append('\n');
  }

  private static void pod(StringBuilder s, String name, List<Child> pods) {
    s.append(
        String.format(
            Locale.ROOT,
            "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n",
            name,
            sum(pods, Child::startMs),
            sum(pods, c -> c.log().fetchMs()),
            sum(pods, c -> c.log().ffmpegMs()),
            sum(pods, c -> c.log().storeMs()),
            sum(pods, Child::otherMs),
            sum(pods, Child::ownMs)));
  }

  /** S3 traffic, from the bytes each pod logged it fetched and stored. */
  static void traffic(StringBuilder s, ParallelEncode.Alone alone) {
    ParallelRun single = alone.single();
    List<ParallelRun> runs = alone.runs();
    s.append("### S3 traffic (measured: bytes the pods logged, and the output's size)\n\n");
    StringBuilder header = new StringBuilder("| bytes | one pod |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    for (ParallelRun run : runs) {
      header.append(" N = ").append(run.segments()).append(" |");
      rule.append("---:|");
    }
    s.append(header).append('\n').append(rule).append('\n');
    List<Role> before = List.of(Role.PROBE, Role.SEGMENT, Role.AUDIO);
    s.append(
        bytes(
            "the input read (the probe, each segment, the audio)",
            single.fetchedBytes(),
            runs,
            r -> fetched(r, before)));
    s.append(
        bytes(
            "written before the join (the probe's listing, the segments, the audio)",
            0,
            runs,
            r -> stored(r, before)));
    s.append(
        bytes(
            "read by the join (the segments and the audio)",
            0,
            runs,
            r -> fetched(r, List.of(Role.JOIN))));
    s.append(
        bytes(
            "the output written (by the one pod or the join)",
            single.storedBytes(),
            runs,
            r -> stored(r, List.of(Role.JOIN))));
    s.append(
        bytes("the output copied inside S3 to the task's key", 0, runs, ParallelRun::outputBytes));
    s.append(
        bytes(
            "**total moved**",
            single.fetchedBytes() + single.storedBytes(),
            runs,
            r -> r.fetchedBytes() + r.storedBytes() + r.outputBytes()));
    s.append('\n');
  }

  private static long fetched(ParallelRun run, List<Role> roles) {
    return run.children().stream()
        .filter(c -> roles.contains(c.role()))
        .mapToLong(c -> c.log().fetchedBytes())
        .sum();
  }

  private static long stored(ParallelRun run, List<Role> roles) {
    return run.children().stream()
        .filter(c -> roles.contains(c.role()))
        .mapToLong(c -> c.log().storedBytes())
        .sum();
  }

  private static String bytes(
      String name, long single, List<ParallelRun> runs, Function<ParallelRun, Long> value) {
    StringBuilder row = new StringBuilder("| ").append(name).append(" | ");
    row.append(single == 0 ? "–" : Report.bytes(single)).append(" |");
    for (ParallelRun run : runs) {
      row.append(' ').append(Report.bytes(value.apply(run))).append(" |");
    }
    return row.append('\n').toString();
  }

  private static double sum(List<Child> children, ToDoubleFunction<Child> value) {
    return children.stream().mapToDouble(value).sum();
  }
}
