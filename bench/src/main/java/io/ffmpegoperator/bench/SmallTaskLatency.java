package io.ffmpegoperator.bench;

import static io.ffmpegoperator.bench.SmallTask.OWN_STEPS;
import static io.ffmpegoperator.bench.SmallTask.OWN_WORKER_STEPS;
import static io.ffmpegoperator.bench.SmallTask.WARM_STEPS;
import static io.ffmpegoperator.bench.SmallTaskTables.biggest;
import static io.ffmpegoperator.bench.SmallTaskTables.medianMs;
import static io.ffmpegoperator.bench.SmallTaskTables.medians;
import static io.ffmpegoperator.bench.SmallTaskTables.ms;
import static io.ffmpegoperator.bench.SmallTaskTables.pathRow;
import static io.ffmpegoperator.bench.SmallTaskTables.sequence;
import static io.ffmpegoperator.bench.SmallTaskTables.stepTable;
import static io.ffmpegoperator.bench.SmallTaskTables.totals;
import static io.ffmpegoperator.bench.SmallTaskTables.values;

import io.ffmpegoperator.dev.stack.EmbeddedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * 2. Small-task latency: a trivial task on a tiny clip, one after another, register → completed;
 * where its time goes on each path (a claimed warm worker or a Job of its own), from the bench's
 * own watches and the worker pod's log; and the same task alone on an idle stack.
 */
final class SmallTaskLatency implements Item {
  /** Pause after the warm workers are up before a task that runs alone. */
  private static final Duration SPACED_SETTLE = Duration.ofMillis(1000);

  private double p50Ms = Double.NaN;

  /** The p50 of register → completed once {@link #run} has measured it, which item 3 uses. */
  double p50Ms() {
    return p50Ms;
  }

  @Override
  public String run(BenchContext bench) throws Exception {
    Plan plan = bench.plan();
    EmbeddedStack stack = bench.stack();
    WarmPool pool = bench.warmPool();
    String input = bench.tinyInput();
    Path tiny = bench.tinyClip();
    String command = BenchContext.SMALL_COMMAND;
    Log.line("2. small-task latency: " + plan.latencyTasks() + " sequential tasks (+2 warm-up)");
    for (int i = 0; i < 2; i++) {
      bench.platformTask(command, input, "out.mp4", Duration.ofMinutes(2));
    }
    List<SmallTask> tasks = SmallTaskSeries.run(bench, plan.latencyTasks());
    // The same task once more, each alone: the stack idle, the warm workers up and the one started
    // to replace the last claimed one done, so no other work shares the cores.
    Log.line("   then " + plan.spacedTasks() + " of them one at a time on an idle stack");
    List<Double> spaced = new ArrayList<>();
    for (int i = 0; i < plan.spacedTasks(); i++) {
      pool.awaitReady();
      Thread.sleep(SPACED_SETTLE.toMillis());
      spaced.add(bench.platformTask(command, input, "out.mp4", Duration.ofMinutes(2)));
    }
    List<SmallTask> warmTasks = tasks.stream().filter(SmallTask::warm).toList();
    List<SmallTask> ownTasks = tasks.stream().filter(x -> !x.warm()).toList();
    List<SmallTask> waitingTasks =
        warmTasks.stream().filter(x -> Boolean.TRUE.equals(x.podWaiting())).toList();
    List<SmallTask> startingTasks =
        warmTasks.stream().filter(x -> Boolean.FALSE.equals(x.podWaiting())).toList();
    Stats total = totals(tasks);
    Stats warmTotal = totals(warmTasks);
    Stats ownTotal = totals(ownTasks);
    p50Ms = total.percentile(50);
    boolean met = total.percentile(50) <= 500;
    StringBuilder s = new StringBuilder();
    s.append("## 2. Small-task latency\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "`%s` on a 1 s 160x120 clip (%s) from S3, %d tasks one after another (after 2 warm-up"
                + " tasks not counted, then a wait until the %d warm workers are up; none between"
                + " the tasks), register → completed.\n\n",
            command,
            Report.size(tiny),
            plan.latencyTasks(),
            pool.count()));
    s.append("| metric | value | target | met |\n|---|---:|---|---|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| p50 (ms) | %.0f | ≤ 500 | %s |\n| p95 (ms) | %.0f | | |\n| min (ms) | %.0f | | |\n"
                + "| max (ms) | %.0f | | |\n| N | %d | | |\n\n",
            total.percentile(50),
            Report.yesOrNo(met),
            total.percentile(95),
            total.min(),
            total.max(),
            total.n()));
    s.append(
        String.format(
            Locale.ROOT,
            "**%d of %d ran on a warm worker** (claimed its Job), %d on a Job of their own (no warm"
                + " worker could be claimed). Task by task, in order (`W` claimed a warm worker"
                + " whose pod was waiting, `S` one whose pod was still starting, `w` a warm worker"
                + " whose log did not tell, `J` a Job of its own): `%s`.\n\n",
            warmTasks.size(),
            tasks.size(),
            ownTasks.size(),
            sequence(tasks)));
    s.append("| path | N | p50 (ms) | p95 | min | max |\n|---|---:|---:|---:|---:|---:|\n");
    s.append(pathRow("claimed a warm worker", warmTotal));
    if (!waitingTasks.isEmpty() && !startingTasks.isEmpty()) {
      s.append(pathRow("… whose pod was waiting", totals(waitingTasks)));
      s.append(pathRow("… whose pod was still starting", totals(startingTasks)));
    }
    s.append(pathRow("Job of its own", ownTotal));
    s.append('\n');
    if (!warmTasks.isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              "Where the time goes on a claimed warm worker (%d tasks; the bench's own watches, and"
                  + " the pod's own log under `<stack home>/node/<pod>/logs/stderr.log` with"
                  + " millisecond timestamps for the order's arrival and the worker's steps; the"
                  + " pod's start and warm-up happened before the task and are not in it):\n\n",
              warmTasks.size()));
      s.append(stepTable(warmTasks, WARM_STEPS, warmTotal.median()));
    }
    if (!ownTasks.isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              "Where the time goes on a Job of its own (%d tasks; the bench's own watches):\n\n",
              ownTasks.size()));
      s.append(stepTable(ownTasks, OWN_STEPS, ownTotal.median()));
      s.append(
          "Inside \"Running → Pod finished\", from each such pod's own log (the local node keeps"
              + " it under `<stack home>/node/<pod>/logs/stderr.log`; log lines have millisecond"
              + " timestamps, the process start is the pod's stdout file's creation):\n\n");
      s.append(stepTable(ownTasks, OWN_WORKER_STEPS, Double.NaN));
    }
    List<Double> bareTiny = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bareTiny.add(
          BareFfmpeg.transcode(
              stack.ffmpeg().ffmpeg(), tiny, "-t 0.1 -c copy", bench.scratch(), 100 + i));
    }
    Stats bt = Stats.of(bareTiny);
    List<Double> bareProbe = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bareProbe.add(
          BareFfmpeg.probe(
              stack.ffmpeg().ffprobe(),
              tiny,
              bench.scratch().resolve("bare-probe-" + (100 + i) + ".log")));
    }
    Stats bp = Stats.of(bareProbe);
    Stats alone = Stats.of(spaced);
    s.append(
        String.format(
            Locale.ROOT,
            "For reference, the same command with bare ffmpeg on the local file (process start"
                + " to exit): median %.0f ms, min %.0f, max %.0f, N %d.\n\n",
            bt.median(),
            bt.min(),
            bt.max(),
            bt.n()));
    s.append(
        String.format(
            Locale.ROOT,
            "The worker also runs ffprobe twice (the input's check before ffmpeg, the output's"
                + " media info after it, beside the upload); ffprobe as it runs there, bare on the"
                + " local file: median %.0f ms, min %.0f, max %.0f, N %d.\n\n",
            bp.median(),
            bp.min(),
            bp.max(),
            bp.n()));
    s.append(
        String.format(
            Locale.ROOT,
            "Each task alone: %d more of the same tasks, one at a time, each once the %d warm"
                + " workers are waiting and %d ms later, so that nothing else runs on the machine"
                + " (above, the warm worker started to replace a claimed one starts while the next"
                + " task runs).\n\n",
            alone.n(),
            pool.count(),
            SPACED_SETTLE.toMillis()));
    s.append("| metric | value |\n|---|---:|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| p50 (ms) | %.0f |\n| min (ms) | %.0f |\n| max (ms) | %.0f |\n| N | %d |\n\n",
            alone.percentile(50),
            alone.min(),
            alone.max(),
            alone.n()));

    bench.finding(
        String.format(
            Locale.ROOT,
            "Small tasks: p50 %.0f ms, p95 %.0f ms (target p50 ≤ 500 ms %s). %d of %d claimed a"
                + " warm worker%s, %d had a Job of their own%s.%s%s",
            total.percentile(50),
            total.percentile(95),
            Report.metOrNot(met),
            warmTasks.size(),
            tasks.size(),
            warmTasks.isEmpty() ? "" : " (p50 " + ms(warmTotal.percentile(50)) + ")",
            ownTasks.size(),
            ownTasks.isEmpty() ? "" : " (p50 " + ms(ownTotal.percentile(50)) + ")",
            biggest(" On a warm worker", warmTasks, WARM_STEPS, warmTotal.median()),
            biggest(" On a Job of its own", ownTasks, OWN_STEPS, ownTotal.median())));
    bench.finding(
        String.format(
            Locale.ROOT,
            "Each small task alone on an idle stack (warm workers up, nothing else running): p50"
                + " %.0f ms over %d, against %.0f ms one after another; the difference is the"
                + " work that overlaps a task when tasks follow each other, above all the warm"
                + " worker started to replace the claimed one (a JVM start). Alone, the task"
                + " still runs three processes of this machine's ffmpeg build (ffprobe, ffmpeg,"
                + " ffprobe: about %.0f ms bare) and its worker's Java around them.",
            alone.percentile(50),
            alone.n(),
            total.percentile(50),
            bt.median() + 2 * bp.median()));
    if (!warmTasks.isEmpty()) {
      // Every step after the answer, in the sentence's order; the input's size goes with the fetch.
      List<Object> args =
          new ArrayList<>(medians(warmTasks, WARM_STEPS.subList(1, WARM_STEPS.size())));
      args.add(4, Report.size(tiny));
      args.addAll(
          List.of(
              ms(
                  Stats.of(
                          warmTasks.stream()
                              .map(SmallTask::warmUpMs)
                              .filter(d -> !d.isNaN())
                              .toList())
                      .median()),
              WorkerLog.WAITING,
              startingTasks.size(),
              warmTasks.size()));
      bench.finding(
          String.format(
              Locale.ROOT,
              "On a claimed warm worker (median): %s for the operator to claim it after the API"
                  + " answered, %s until its pod logged the order, %s of set-up, %s to fetch a %s"
                  + " input, %s for the ffprobe check of the input and ffmpeg's start, %s of"
                  + " ffmpeg, %s of upload, %s from the stored output to the task marked Completed"
                  + " (the output's probe, the pod's `/done` with its final report, the"
                  + " operator's check of the output), %s until the REST API said so. The JVM start,"
                  + " class loading and"
                  + " warm-up (%s from process start to `%s` in these pods' logs) were paid before"
                  + " the task. %d of the %d claimed a pod that was still starting, whose start"
                  + " then counts in the order's delivery.",
              args.toArray()));
    }
    if (!ownTasks.isEmpty()) {
      bench.finding(
          String.format(
              Locale.ROOT,
              "On a Job of its own (median, %d tasks): %s from process start to the worker's first"
                  + " log line (JVM start and class loading), %s of set-up before the work begins,"
                  + " %s to fetch a %s input, %s of ffmpeg, %s of progress reports and the ffprobe"
                  + " input check; the Job and pod before it take %s. A task gets its own Job when"
                  + " no warm worker can be claimed, and then pays a fresh worker JVM however"
                  + " small its ffmpeg work is.",
              ownTasks.size(),
              medianMs(ownTasks, OWN_WORKER_STEPS.get(0)),
              medianMs(ownTasks, OWN_WORKER_STEPS.get(1)),
              medianMs(ownTasks, OWN_WORKER_STEPS.get(2)),
              Report.size(tiny),
              medianMs(ownTasks, OWN_WORKER_STEPS.get(3)),
              medianMs(ownTasks, OWN_WORKER_STEPS.get(5)),
              ms(
                  Stats.of(values(ownTasks, OWN_STEPS.get(1))).median()
                      + Stats.of(values(ownTasks, OWN_STEPS.get(2))).median()
                      + Stats.of(values(ownTasks, OWN_STEPS.get(3))).median())));
    }
    return s.toString();
  }
}
