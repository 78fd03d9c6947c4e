package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * 3. Throughput: many of item 2's small tasks registered at once, and the time until every one is
 * finished; then whether each one's REST status says it completed.
 */
final class Throughput implements Item {
  private final SmallTaskLatency latency;

  /**
   * @param latency item 2, whose p50 gives the rate the cores would allow if tasks only queued
   */
  Throughput(SmallTaskLatency latency) {
    this.latency = latency;
  }

  @Override
  public String run(BenchContext bench) throws Exception {
    Plan plan = bench.plan();
    ApiClient api = bench.api();
    String input = bench.tinyInput();
    String command = BenchContext.SMALL_COMMAND;
    List<Double> rates = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    List<Double> submits = new ArrayList<>();
    int lostTotal = 0;
    int failedTotal = 0;
    int warmTotal = 0;
    int n = plan.throughputTasks();
    for (int run = 0; run < plan.throughputRuns(); run++) {
      Log.line("3. throughput run " + (run + 1) + ": " + n + " tasks at once");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      double t0 = Clock.nowMs();
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> api.register(command, input, "out.mp4")));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : futures) {
        ids.add(f.get());
      }
      double submitted = Clock.nowMs();
      pool.shutdown();
      Set<String> waiting = new HashSet<>(ids);
      double deadline = Clock.nowMs() + n * 10_000.0 + 60_000;
      while (!waiting.isEmpty() && Clock.nowMs() < deadline) {
        for (FfmpegTask t : stackTasks(bench.stack())) {
          if (t.getStatus() != null
              && t.getStatus().getState() != null
              && t.getStatus().getState().isFinished()) {
            waiting.remove(t.getMetadata().getName());
          }
        }
        if (!waiting.isEmpty()) {
          Thread.sleep(100);
        }
      }
      double end = Clock.nowMs();
      int onWarm = 0;
      Set<String> ours = new HashSet<>(ids);
      for (FfmpegTask t : stackTasks(bench.stack())) {
        String id = t.getMetadata().getName();
        if (ours.contains(id)
            && t.getStatus() != null
            && WarmPool.ranOnWarmWorker(id, t.getStatus().getJobName())) {
          onWarm++;
        }
      }
      warmTotal += onWarm;
      int completed = 0;
      int failed = 0;
      for (String id : ids) {
        JsonNode st = api.taskStatus(id);
        String state = st == null ? "missing" : st.get("status").asText();
        if (state.equals("completed")) {
          completed++;
        } else if (state.equals("failed")) {
          failed++;
        }
      }
      int lost = n - completed - failed;
      lostTotal += lost;
      failedTotal += failed;
      double wall = end - t0;
      walls.add(wall / 1000);
      submits.add(submitted - t0);
      rates.add(completed / (wall / 1000));
      Log.line(
          String.format(
              Locale.ROOT,
              "   %d completed, %d failed, %d lost in %.1f s (submitting took %.0f ms; %d on a"
                  + " warm worker)",
              completed,
              failed,
              lost,
              wall / 1000,
              submitted - t0,
              onWarm));
    }
    Stats r = Stats.of(rates);
    boolean met = lostTotal == 0 && failedTotal == 0;
    StringBuilder s = new StringBuilder();
    s.append("## 3. Throughput\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "%d of the small tasks above registered at once (8 client threads), then time until"
                + " every one is finished (FfmpegTask list polled every 100 ms); each task's final"
                + " REST status is then checked. The local node runs at most %d pods at once"
                + " (`nproc` + %d for the warm workers), the rest wait Pending. %d of the %d tasks"
                + " (over all runs) claimed a warm worker, %d had a Job of their own.\n\n",
            n,
            bench.warmPool().nodeCapacity(),
            bench.warmPool().count(),
            warmTotal,
            n * plan.throughputRuns(),
            n * plan.throughputRuns() - warmTotal));
    s.append(Report.header());
    s.append(Report.row("tasks per second", r, "%.2f", "", null));
    s.append(Report.row("all finished after (s)", Stats.of(walls), "%.1f", "", null));
    s.append(Report.row("registering all took (ms)", Stats.of(submits), "%.0f", "", null));
    s.append(
        String.format(
            Locale.ROOT,
            "| lost or failed tasks (sum over runs) | %d lost, %d failed | | | %d | none | %s |\n\n",
            lostTotal,
            failedTotal,
            plan.throughputRuns(),
            Report.yesOrNo(met)));
    bench.finding(
        String.format(
            Locale.ROOT,
            "Throughput: %.2f tasks/s with %d tasks queued at once (%s; %d of %d on a warm"
                + " worker, %d on Jobs of their own). In a burst the pool makes a new warm Job for"
                + " each one claimed and the next task claims it while its pod is still starting,"
                + " so claimed warm pods, which work, can fill the room kept for idle ones: up to"
                + " %d pods run at once. %d pods at a time (one per core), each taking the"
                + " small-task p50 of %.0f ms, would give %.2f tasks/s; the difference is the pods"
                + " and the stack competing for the same %d cores (a task's pod in a burst is a"
                + " new JVM, warm worker or not). The control plane was not the limit: registering"
                + " all %d took %.0f ms.",
            r.median(),
            n,
            met ? "none lost or failed" : lostTotal + " lost, " + failedTotal + " failed",
            warmTotal,
            n * plan.throughputRuns(),
            n * plan.throughputRuns() - warmTotal,
            bench.warmPool().nodeCapacity(),
            Runtime.getRuntime().availableProcessors(),
            latency.p50Ms(),
            Runtime.getRuntime().availableProcessors() / (latency.p50Ms() / 1000),
            Runtime.getRuntime().availableProcessors(),
            n,
            Stats.of(submits).median()));
    return s.toString();
  }

  /** Every task in the stack's namespace, as the API server has it now. */
  private static List<FfmpegTask> stackTasks(EmbeddedStack stack) {
    return stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace(stack.config().namespace())
        .list()
        .getItems();
  }
}
