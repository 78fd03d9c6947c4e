package io.ffmpegoperator.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * 6. The operator with many FfmpegTasks in its cache: a fresh operator process (what a restart is)
 * against a namespace full of finished tasks; how long until it is ready and until it has
 * reconciled every task, and the heap and RSS it then holds.
 */
final class ControlPlaneScale implements Item {
  /** Only the operators started here watch it; the stack's own operator watches its namespace. */
  static final String NAMESPACE = "bench-scale";

  private static final int CREATE_THREADS = 16;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);
  private static final long POLL_MS = 200;

  /**
   * Making the tasks: the whole time, and the rate of the first and of the last tenth of them, to
   * show whether the API server slows down as it holds more.
   */
  private record Creation(double ms, double firstTenthPerSecond, double lastTenthPerSecond) {
    double perSecond(int n) {
      return n / (ms / 1000);
    }
  }

  /** One operator process, from its start until it was measured. */
  private record Run(
      double readyMs,
      double reconciledMs,
      double failed,
      long liveHeap,
      long peakHeap,
      long rss,
      long peakRss) {}

  @Override
  public String run(BenchContext bench) throws Exception {
    // A completed task of the stack's namespace: every task made here is a copy of its spec and
    // status, so the cache holds what real finished tasks hold.
    String templateTaskId = bench.completedTask();
    EmbeddedStack stack = bench.stack();
    Path dir = bench.dir("scale");
    KubernetesClient client = stack.kubernetesClient();
    FfmpegTask template =
        client
            .resources(FfmpegTask.class)
            .inNamespace(stack.config().namespace())
            .withName(templateTaskId)
            .get();
    if (template == null || template.getStatus() == null) {
      throw new IOException("no completed task " + templateTaskId + " to copy");
    }
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    int n = bench.plan().scaleTasks();
    Log.line("6. control plane: an operator with no tasks, for comparison");
    Run empty = operatorRun(stack, dir, 0, "operator-empty");
    Log.line("   creating " + n + " completed FfmpegTasks in namespace " + NAMESPACE);
    Creation creation = createTasks(client, template, n);
    Log.line(
        String.format(
            Locale.ROOT,
            "   created in %.1f s (first tenth %.0f/s, last tenth %.0f/s)",
            creation.ms() / 1000,
            creation.firstTenthPerSecond(),
            creation.lastTenthPerSecond()));
    List<Run> runs = new ArrayList<>();
    for (int i = 1; i <= bench.plan().scaleRuns(); i++) {
      Run run = operatorRun(stack, dir, n, "operator-" + i);
      runs.add(run);
      Log.line(
          String.format(
              Locale.ROOT,
              "   run %d: ready after %.1f s, all reconciled after %.1f s, live heap %.0f MiB,"
                  + " RSS %.0f MiB",
              i,
              run.readyMs() / 1000,
              run.reconciledMs() / 1000,
              run.liveHeap() / Report.MIB,
              run.rss() / Report.MIB));
    }
    return report(bench, n, creation, empty, runs);
  }

  /** Each task: a create, then its status (the API server ignores status on create). */
  private static Creation createTasks(KubernetesClient client, FfmpegTask template, int n)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
    double[] doneMs = new double[n];
    double t0 = Clock.nowMs();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  FfmpegTask task = new FfmpegTask();
                  task.setMetadata(
                      new ObjectMetaBuilder()
                          .withName(String.format(Locale.ROOT, "scale-%05d", index))
                          .withNamespace(NAMESPACE)
                          .withLabels(template.getMetadata().getLabels())
                          .build());
                  task.setSpec(template.getSpec());
                  FfmpegTask created = client.resource(task).create();
                  created.setStatus(template.getStatus());
                  client.resource(created).updateStatus();
                  doneMs[index] = Clock.nowMs();
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double ms = Clock.nowMs() - t0;
    Arrays.sort(doneMs);
    int tenth = Math.max(1, n / 10);
    return new Creation(
        ms,
        tenth / ((doneMs[tenth - 1] - t0) / 1000),
        tenth / ((doneMs[n - 1] - doneMs[n - 1 - tenth]) / 1000));
  }

  /** Starts an operator on the namespace, waits until it has reconciled {@code n} tasks. */
  private static Run operatorRun(EmbeddedStack stack, Path dir, int n, String name)
      throws Exception {
    try (StandaloneProcess operator =
        StandaloneProcess.operator(stack, dir.resolve(name), NAMESPACE)) {
      double readyMs = operator.awaitReady(STEP_TIMEOUT);
      double deadline = Clock.nowMs() + STEP_TIMEOUT.toMillis();
      double reconciledMs;
      double failed;
      while (true) {
        operator.checkAlive();
        PrometheusText metrics = operator.metrics();
        // JOSDK counts each reconciliation that ended, by outcome.
        double succeeded =
            metrics.sum("operator_sdk_reconciliations_success_total", "kind", "FfmpegTask");
        failed = metrics.sum("operator_sdk_reconciliations_failed_total", "kind", "FfmpegTask");
        if (succeeded + failed >= n) {
          reconciledMs = Clock.nowMs() - operator.startedMs();
          break;
        }
        if (Clock.nowMs() > deadline) {
          throw new IOException(
              "the operator reconciled "
                  + (succeeded + failed)
                  + " of "
                  + n
                  + " tasks in "
                  + STEP_TIMEOUT);
        }
        Thread.sleep(POLL_MS);
      }
      long peakHeap =
          operator.collections().stream()
              .mapToLong(StandaloneProcess.Collection::usedBefore)
              .max()
              .orElse(0);
      operator.collectGarbage();
      long liveHeap = (long) operator.heapUsedBytes();
      return new Run(
          readyMs,
          reconciledMs,
          failed,
          liveHeap,
          Math.max(peakHeap, liveHeap),
          operator.rssBytes(),
          operator.peakRssBytes());
    }
  }

  private static String report(
      BenchContext bench, int n, Creation creation, Run empty, List<Run> runs) {
    List<Double> ready = new ArrayList<>();
    List<Double> reconciled = new ArrayList<>();
    List<Double> live = new ArrayList<>();
    List<Double> perTask = new ArrayList<>();
    List<Double> peakHeap = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    List<Double> peakRss = new ArrayList<>();
    double failed = 0;
    for (Run r : runs) {
      ready.add(r.readyMs() / 1000);
      reconciled.add(r.reconciledMs() / 1000);
      live.add(r.liveHeap() / Report.MIB);
      perTask.add((r.liveHeap() - empty.liveHeap()) / 1024.0 / n);
      peakHeap.add(r.peakHeap() / Report.MIB);
      rss.add(r.rss() / Report.MIB);
      peakRss.add(r.peakRss() / Report.MIB);
      failed += r.failed();
    }
    double limit = StandaloneProcess.OPERATOR.memoryLimitBytes() / Report.MIB;
    boolean fits = Stats.of(peakRss).max() < limit;
    String fit = "fits the " + StandaloneProcess.OPERATOR.memoryLimit() + " limit";
    StringBuilder s = new StringBuilder("## 6. Control plane: the operator with many tasks\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "%,d FfmpegTasks in namespace `%s` of the embedded API server, each a copy of the"
                + " spec and status of a task completed earlier in this run (outputs, media info,"
                + " conditions), made with the stack's Kubernetes client from %d threads (a create"
                + " and a status write each: %.1f s, %.0f tasks/s; the first tenth at %.0f/s, the"
                + " last at %.0f/s; informative). Then %d times an"
                + " operator started as its own process (`OperatorMain`, %s) watching"
                + " that namespace only (the stack's own operator does not watch it): what a"
                + " restart does. \"Ready\" is `/readyz` answering 200, once its informers have"
                + " listed every task; \"all reconciled\" is JOSDK's count of finished"
                + " reconciliations (`operator_sdk_reconciliations_success_total` plus `_failed_`"
                + " for FfmpegTask, polled every %d ms on `/metrics`) reaching %,d, both from the"
                + " process start. A finished task's reconcile returns at once (no Job, no status"
                + " write), so this is the cost of caching and dispatching them. Memory is read"
                + " after a full collection (`jcmd <pid> GC.run`), and compared with an operator"
                + " started on the same namespace while it was empty.\n\n",
            n,
            NAMESPACE,
            CREATE_THREADS,
            creation.ms() / 1000,
            creation.perSecond(n),
            creation.firstTenthPerSecond(),
            creation.lastTenthPerSecond(),
            bench.plan().scaleRuns(),
            StandaloneProcess.OPERATOR,
            POLL_MS,
            n));
    s.append(Report.header());
    s.append(Report.row("process start → ready (s)", Stats.of(ready), "%.1f", "", null));
    s.append(
        Report.row(
            "process start → all " + String.format(Locale.ROOT, "%,d", n) + " reconciled (s)",
            Stats.of(reconciled),
            "%.1f",
            "",
            null));
    s.append(Report.row("heap live after reconciling (MiB)", Stats.of(live), "%.0f", "", null));
    s.append(
        Report.row(
            "heap live per task, over the empty operator's (KiB)",
            Stats.of(perTask),
            "%.1f",
            "",
            null));
    s.append(
        Report.row(
            "heap in use, peak during start-up, garbage included (MiB)",
            Stats.of(peakHeap),
            "%.0f",
            "",
            null));
    s.append(Report.row("RSS after reconciling (MiB)", Stats.of(rss), "%.0f", "", null));
    s.append(Report.row("RSS, peak (VmHWM) (MiB)", Stats.of(peakRss), "%.0f", fit, fits));
    s.append(
        String.format(
            Locale.ROOT,
            "| failed reconciliations (sum) | %.0f | | | %d | none | %s |\n",
            failed,
            runs.size(),
            Report.yesOrNo(failed == 0)));
    s.append(
        String.format(
            Locale.ROOT,
            "| no tasks: ready (s), live heap (MiB), RSS (MiB) | %.1f, %.0f, %.0f | | | 1 | | |\n\n",
            empty.readyMs() / 1000,
            empty.liveHeap() / Report.MIB,
            empty.rss() / Report.MIB));
    s.append(
        "Issue 6 sets no number for this item; the check above is whether the operator stays"
            + " within the memory limit the Helm chart gives it. The heap may take up to"
            + String.format(
                Locale.ROOT,
                " %.0f MiB (%d%% of that limit).\n\n",
                limit * StandaloneProcess.OPERATOR.maxRamPercentage() / 100,
                StandaloneProcess.OPERATOR.maxRamPercentage()));
    bench.finding(
        String.format(
            Locale.ROOT,
            "Control plane: with %,d finished tasks, a new operator process was ready after %.1f"
                + " s and had reconciled all of them after %.1f s (median); it then held %.0f MiB"
                + " of live heap (%.1f KiB per task over an empty operator's %.0f MiB) and %.0f MiB"
                + " RSS, peaking at %.0f MiB (%s the chart's %s limit). Creating the tasks took"
                + " %.1f s (%.0f/s) through the embedded API server, %s.",
            n,
            Stats.of(ready).median(),
            Stats.of(reconciled).median(),
            Stats.of(live).median(),
            Stats.of(perTask).median(),
            empty.liveHeap() / Report.MIB,
            Stats.of(rss).median(),
            Stats.of(peakRss).max(),
            fits ? "within" : "**over**",
            StandaloneProcess.OPERATOR.memoryLimit(),
            creation.ms() / 1000,
            creation.perSecond(n),
            creation.lastTenthPerSecond() < 0.7 * creation.firstTenthPerSecond()
                ? String.format(
                    Locale.ROOT,
                    "which slows down as it holds more objects (%.0f/s for the first tenth, %.0f/s"
                        + " for the last): a cost of the bench's stand-in for Kubernetes, which"
                        + " writes every object to its state folder, not of the operator",
                    creation.firstTenthPerSecond(),
                    creation.lastTenthPerSecond())
                : "which writes every object to its state folder"));
    return s.toString();
  }
}
