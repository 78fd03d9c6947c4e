package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.http.HttpLoggingInterceptor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * 4. {@code GET /ffmpeg/status/{id}} at 32 connections, with wrk, against the bridge running alone
 * in its own JVM; and how many Kubernetes API requests the bridge sends meanwhile, read from its
 * own client's request log (its answers should come from its informer cache, so: none).
 */
final class ApiLoad implements Item {
  private static final int CONNECTIONS = 32;
  // A fresh bridge gets much faster during its first rounds under this load (the JVM warms up on
  // the cores the load keeps busy), sometimes after a plateau. Warm-up rounds go on until its CPU
  // per answer stops falling, but at least MIN and at most MAX of them.
  private static final int WARM_UP_ROUND_SECONDS = 5;
  private static final int MIN_WARM_UP_ROUNDS = 6;
  private static final int MAX_WARM_UP_ROUNDS = 12;
  private static final double SETTLED = 0.9;

  // fabric8 adds its request logger only when it logs at TRACE; it then logs "> GET http://...".
  private static final String LOG_API_REQUESTS =
      "-Dorg.slf4j.simpleLogger.log." + HttpLoggingInterceptor.class.getName() + "=trace";
  private static final Pattern API_REQUEST =
      Pattern.compile("> (GET|POST|PUT|PATCH|DELETE) https?://");

  /** One way of putting load on a URL for some seconds. */
  private interface LoadTool {
    Wrk.Result run(URI uri, int seconds, String name) throws Exception;
  }

  /** One load run and what the bridge did meanwhile. */
  private record Measured(
      Wrk.Result load,
      double bridgeCores,
      double machineCores,
      double cpuMicrosPerRequest,
      long apiRequests) {}

  @Override
  public String run(BenchContext bench) throws Exception {
    // A completed task: its status answer carries a pre-signed link.
    String taskId = bench.completedTask();
    Path dir = bench.dir("api");
    Wrk wrk = null;
    String noWrk = null;
    try {
      wrk = Wrk.findOrInstall(dir);
      Log.line("4. API: " + wrk.version() + ", " + wrk.provenance());
    } catch (IOException e) {
      noWrk = e.getMessage();
      Log.line("4. API: no wrk (" + noWrk + "); using the bench's own Java client instead");
    }
    String failedTaskId = failedTask(bench);
    List<Measured> warmUp = new ArrayList<>();
    List<Measured> runs = new ArrayList<>();
    Measured failed;
    Measured healthy;
    double readyMs;
    try (StandaloneProcess bridge =
        StandaloneProcess.bridge(bench.stack(), dir.resolve("bridge"), List.of(LOG_API_REQUESTS))) {
      readyMs = bridge.awaitReady(Duration.ofMinutes(2));
      ApiClient client = new ApiClient(bridge.uri());
      awaitKnown(client, taskId, "completed", Duration.ofSeconds(30));
      awaitKnown(client, failedTaskId, "failed", Duration.ofSeconds(30));
      Wrk found = wrk;
      LoadTool tool =
          found != null
              ? (uri, seconds, name) ->
                  found.run(uri, CONNECTIONS, seconds, dir.resolve("wrk-" + name + ".log"))
              : (uri, seconds, name) -> JavaLoad.run(client.http(), uri, CONNECTIONS, seconds);
      URI status = bridge.uri().resolve("/ffmpeg/status/" + taskId);
      for (int round = 1; round <= MAX_WARM_UP_ROUNDS && !settled(warmUp); round++) {
        Measured m = measure(bridge, tool, status, WARM_UP_ROUND_SECONDS, "warm-up-" + round);
        warmUp.add(m);
        Log.line(
            String.format(
                Locale.ROOT,
                "   warm-up %d: %.0f req/s, %.0f µs of bridge CPU per answer",
                round,
                m.load().requestsPerSecond(),
                m.cpuMicrosPerRequest()));
      }
      Plan plan = bench.plan();
      for (int run = 1; run <= plan.apiRuns(); run++) {
        Measured m = measure(bridge, tool, status, plan.apiSeconds(), String.valueOf(run));
        runs.add(m);
        Log.line(
            String.format(
                Locale.ROOT,
                "   run %d: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors, bridge CPU %.2f"
                    + " cores, %d Kubernetes API requests",
                run,
                m.load().requestsPerSecond(),
                m.load().p50Ms(),
                m.load().p99Ms(),
                m.load().errors(),
                m.bridgeCores(),
                m.apiRequests()));
      }
      // The same load on cheaper answers, to see what each part of a status answer costs. Each
      // gets a warm-up round of its own: a path first taken here would be measured cold.
      URI failedStatus = bridge.uri().resolve("/ffmpeg/status/" + failedTaskId);
      tool.run(failedStatus, WARM_UP_ROUND_SECONDS, "failed-warm-up");
      failed = measure(bridge, tool, failedStatus, plan.apiSeconds(), "failed");
      URI health = bridge.uri().resolve("/health");
      tool.run(health, WARM_UP_ROUND_SECONDS, "health-warm-up");
      healthy = measure(bridge, tool, health, plan.apiSeconds(), "health");
      Log.line(
          String.format(
              Locale.ROOT,
              "   failed task's status: %.0f req/s; GET /health: %.0f req/s",
              failed.load().requestsPerSecond(),
              healthy.load().requestsPerSecond()));
    }
    return report(bench, wrk, noWrk, readyMs, warmUp, runs, failed, healthy);
  }

  /** Whether the last warm-up round cost the bridge no less than 90% of the round before. */
  private static boolean settled(List<Measured> rounds) {
    int n = rounds.size();
    return n >= MIN_WARM_UP_ROUNDS
        && rounds.get(n - 1).cpuMicrosPerRequest()
            >= SETTLED * rounds.get(n - 2).cpuMicrosPerRequest();
  }

  private Measured measure(
      StandaloneProcess bridge, LoadTool tool, URI uri, int seconds, String name) throws Exception {
    long apiBefore = apiRequests(bridge.log());
    double cpuBefore = bridge.cpuSeconds();
    double machineBefore = machineBusySeconds();
    double t0 = Clock.nowMs();
    Wrk.Result load = tool.run(uri, seconds, name);
    double elapsed = (Clock.nowMs() - t0) / 1000;
    double cpu = bridge.cpuSeconds() - cpuBefore;
    return new Measured(
        load,
        cpu / elapsed,
        (machineBusySeconds() - machineBefore) / elapsed,
        cpu * 1e6 / Math.max(1, load.requests()),
        apiRequests(bridge.log()) - apiBefore);
  }

  /**
   * A finished task whose status carries no link: one that fails for real, its input missing from
   * S3, registered through the stack's own API.
   */
  private static String failedTask(BenchContext bench) throws Exception {
    ApiClient stackApi = bench.api();
    String id =
        stackApi.register(
            "-i in_1 -c copy out_1",
            "s3://" + bench.stack().storage().bucket() + "/bench/inputs/missing.mp4",
            "out.mp4");
    awaitKnown(stackApi, id, "failed", Duration.ofMinutes(2));
    return id;
  }

  /** Waits until the bridge answers the task's status with this state. */
  private static void awaitKnown(ApiClient client, String id, String state, Duration timeout)
      throws Exception {
    double deadline = Clock.nowMs() + timeout.toMillis();
    while (Clock.nowMs() < deadline) {
      JsonNode status = client.taskStatus(id);
      if (status != null && status.path("status").asText().equals(state)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("the bridge does not show task " + id + " as " + state);
  }

  private static String report(
      BenchContext bench,
      Wrk wrk,
      String noWrk,
      double readyMs,
      List<Measured> warmUp,
      List<Measured> runs,
      Measured failed,
      Measured health) {
    List<Double> rates = new ArrayList<>();
    List<Double> p50s = new ArrayList<>();
    List<Double> p99s = new ArrayList<>();
    List<Double> cores = new ArrayList<>();
    List<Double> machine = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    long served = 0;
    long errors = 0;
    long apiRequests = 0;
    for (Measured m : runs) {
      rates.add(m.load().requestsPerSecond());
      p50s.add(m.load().p50Ms());
      p99s.add(m.load().p99Ms());
      cores.add(m.bridgeCores());
      machine.add(m.machineCores());
      cpu.add(m.cpuMicrosPerRequest());
      served += m.load().requests();
      errors += m.load().errors();
      apiRequests += m.apiRequests();
    }
    for (Measured m : List.of(failed, health)) {
      errors += m.load().errors();
      apiRequests += m.apiRequests();
      served += m.load().requests();
    }
    Plan plan = bench.plan();
    Stats rate = Stats.of(rates);
    boolean met = rate.median() >= 5000 && errors == 0;
    StringBuilder s = new StringBuilder("## 4. API: `GET /ffmpeg/status/{id}`\n\n");
    String client =
        wrk != null
            ? String.format(
                Locale.ROOT,
                "`wrk -t2 -c%d -d%ds --latency` (%s, %s), a process of its own,",
                CONNECTIONS,
                plan.apiSeconds(),
                wrk.version(),
                wrk.provenance())
            : String.format(
                Locale.ROOT,
                "**Not wrk**: it could not be had (%s). Instead %d threads of the bench's JVM"
                    + " sharing one `java.net.http.HttpClient` (HTTP/1.1, keep-alive), each sending"
                    + " requests back to back for %d s, with nearest-rank percentiles,",
                noWrk,
                CONNECTIONS,
                plan.apiSeconds());
    s.append(
        String.format(
            Locale.ROOT,
            "%s against the API bridge running alone as `BridgeMain` in its own JVM (%s,"
                + " ready %.1f s after its start), serving the stack's namespace. %d runs after a"
                + " warm-up under the same load in rounds of %d s, until the bridge's CPU per answer"
                + " fell by less than 10%% from one round to the next (at least %d, at most %d"
                + " rounds; these took: %s req/s). The id is a completed task, so every answer"
                + " carries a freshly"
                + " pre-signed output link. Then, one run each after a round of warm-up, the same"
                + " load on the status of a"
                + " failed task (same cache read and JSON, no link) and on `GET /health` (no"
                + " cache, a constant answer). The load tool and the bridge share the machine's %d"
                + " cores; the embedded stack is idle meanwhile. The bridge's CPU is read from"
                + " `/proc/<pid>/stat` before and after each run.\n\n",
            client,
            StandaloneProcess.BRIDGE,
            readyMs / 1000,
            plan.apiRuns(),
            WARM_UP_ROUND_SECONDS,
            MIN_WARM_UP_ROUNDS,
            MAX_WARM_UP_ROUNDS,
            warmUp.stream()
                .map(m -> String.format(Locale.ROOT, "%.0f", m.load().requestsPerSecond()))
                .collect(Collectors.joining(", ")),
            Runtime.getRuntime().availableProcessors()));
    s.append(Report.header());
    s.append(Report.row("requests per second", rate, "%.0f", "≥ 5,000 on 2 cores", met));
    s.append(Report.row("p50 latency (ms)", Stats.of(p50s), "%.2f", "", null));
    s.append(Report.row("p99 latency (ms)", Stats.of(p99s), "%.2f", "", null));
    s.append(Report.row("bridge CPU during a run (cores busy)", Stats.of(cores), "%.2f", "", null));
    s.append(
        Report.row("whole machine during a run (cores busy)", Stats.of(machine), "%.2f", "", null));
    s.append(Report.row("bridge CPU per answer (µs)", Stats.of(cpu), "%.0f", "", null));
    s.append(reference("a failed task's status (no link)", failed));
    s.append(reference("`GET /health`", health));
    s.append(
        String.format(
            Locale.ROOT,
            "| non-2xx answers or socket errors, all runs (sum) | %d | | | %d | none | %s |\n",
            errors,
            runs.size() + 2,
            Report.yesOrNo(errors == 0)));
    s.append(
        String.format(
            Locale.ROOT,
            "| Kubernetes API requests the bridge sent while answering %d requests (sum) | %d |"
                + " | | %d | | |\n\n",
            served,
            apiRequests,
            runs.size() + 2));
    s.append(
        "How a status is served (`FfmpegTaskResource.status` → `TaskStore.find`): the task is"
            + " read from the bridge's informer cache of the namespace's FfmpegTasks (one list,"
            + " then a watch); only an id missing from the cache costs a GET to the API server."
            + " The answer is then built and, for a completed task, its output link pre-signed"
            + " (SigV4, computed locally, no S3 request). The API request count above is read"
            + " from the bridge's own Kubernetes client, whose request logger the bench turns on"
            + " (`HttpLoggingInterceptor` at TRACE).\n\n");
    double statusCpu = Stats.of(cpu).median();
    Measured cold = warmUp.get(0);
    Measured lastRound = warmUp.get(warmUp.size() - 1);
    bench.finding(
        String.format(
            Locale.ROOT,
            "API: %.0f status requests/s at %d connections once warm, p99 %.1f ms (target ≥"
                + " 5,000/s %s). A fresh bridge is much slower: in its first %d s under this load"
                + " it answered %.0f req/s at %.0f µs of CPU each; after %d s of warm-up its CPU per"
                + " answer was %.0f µs (%s): the JVM warming up (JIT compilation, heap sizing) on"
                + " the cores the load keeps busy. During a measured run the machine's %d cores were %.2f"
                + " busy, %.2f of them on the bridge (%s). Once warm, a completed task's status"
                + " cost %.0f µs of the bridge's CPU, a failed task's (the same cache read and JSON,"
                + " no pre-signed link) %.0f µs, so pre-signing the link adds about %.0f µs; `GET"
                + " /health`, which is only the HTTP stack (JDK `HttpServer`, Jersey, request"
                + " metrics), cost %.0f µs (%.0f%% of a status answer). The bridge sent %d"
                + " Kubernetes API requests while"
                + " answering %d: statuses come from its cache.",
            rate.median(),
            CONNECTIONS,
            Stats.of(p99s).median(),
            Report.metOrNot(met),
            WARM_UP_ROUND_SECONDS,
            cold.load().requestsPerSecond(),
            cold.cpuMicrosPerRequest(),
            warmUp.size() * WARM_UP_ROUND_SECONDS,
            lastRound.cpuMicrosPerRequest(),
            settled(warmUp) ? "settled" : "still falling when the warm-up ended",
            Runtime.getRuntime().availableProcessors(),
            Stats.of(machine).median(),
            Stats.of(cores).median(),
            Stats.of(machine).median() > 0.9 * Runtime.getRuntime().availableProcessors()
                ? "the machine's CPU was the limit"
                : "the cores were not all busy, so part of the limit is waiting, not CPU",
            statusCpu,
            failed.cpuMicrosPerRequest(),
            Math.max(0, statusCpu - failed.cpuMicrosPerRequest()),
            health.cpuMicrosPerRequest(),
            100 * health.cpuMicrosPerRequest() / statusCpu,
            apiRequests,
            served));
    return s.toString();
  }

  private static String reference(String what, Measured m) {
    return String.format(
        Locale.ROOT,
        "| for reference, %s: requests per second; bridge CPU per answer (µs) | %.0f; %.0f | | |"
            + " 1 | | |\n",
        what,
        m.load().requestsPerSecond(),
        m.cpuMicrosPerRequest());
  }

  /**
   * CPU time all cores of the machine have spent on anything but idling, from {@code /proc/stat}.
   */
  private static double machineBusySeconds() throws IOException {
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in 1/100 s
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i <= 8; i++) {
      if (i != 4 && i != 5) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy / 100.0;
  }

  /** Kubernetes API requests the bridge's client has logged so far. */
  private static long apiRequests(Path log) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(line -> API_REQUEST.matcher(line).find()).count();
    }
  }
}
