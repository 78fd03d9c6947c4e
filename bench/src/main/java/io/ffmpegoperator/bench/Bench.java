package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.bench.Lifecycle.Step;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.dev.ffmpeg.Directories;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.StackConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code make bench}: starts the embedded stack in this JVM, measures what issue 6 asks for (some
 * parts as processes of their own, see {@link StandaloneProcess}), then writes {@code
 * docs/benchmarks.md} and prints it. Items 1 to 3 are measured here; 4 to 7 by {@link ApiLoad},
 * {@link UploadMemory}, {@link ControlPlaneScale} and {@link LibraryOperations}.
 *
 * <p>Arguments: {@code quick|full} and the report's path. A measurement that fails is reported as
 * not measured; the bench then exits with status 1 and keeps its scratch folder for a look.
 */
public final class Bench {
  private static final long START = System.nanoTime();
  private static final long START_EPOCH_MS = System.currentTimeMillis();

  /** How much of each measurement a mode does. */
  record Plan(
      String mode,
      int clipSeconds,
      int overheadRuns,
      int latencyTasks,
      int throughputTasks,
      int throughputRuns,
      int apiSeconds,
      int apiRuns,
      long uploadBytes,
      int uploadRuns,
      int scaleTasks,
      int scaleRuns,
      int libraryClipSeconds,
      int libraryRuns) {
    static Plan of(String mode) {
      return switch (mode) {
        case "quick" -> new Plan("quick", 4, 3, 20, 50, 1, 5, 2, 256L << 20, 2, 2_000, 1, 10, 2);
        // Estimated at about 20 minutes on 2 busy cores from quick-mode timings: the three
        // throughput runs take a third, item 7's bare 1080p re-encodes and item 6 most of the rest.
        case "full" -> new Plan("full", 10, 5, 50, 200, 3, 10, 5, 1L << 30, 3, 10_000, 2, 60, 2);
        default -> throw new IllegalArgumentException("mode is quick or full, not " + mode);
      };
    }
  }

  private final Plan plan;
  private final EmbeddedStack stack;
  private final ApiClient api;
  private final Path scratch;
  private final StringBuilder report = new StringBuilder();
  private final List<String> findings = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private String someCompletedTask;
  private double latencyP50Ms = Double.NaN;
  private final String loadAtStart = read("/proc/loadavg");

  private Bench(Plan plan, EmbeddedStack stack, Path scratch) {
    this.plan = plan;
    this.stack = stack;
    this.scratch = scratch;
    this.api = new ApiClient(stack.apiUri());
  }

  /** A {@link #nowMs()} reading as epoch milliseconds, to compare with log timestamps. */
  static double epochMs(double benchMs) {
    return START_EPOCH_MS + benchMs;
  }

  static double nowMs() {
    return (System.nanoTime() - START) / 1e6;
  }

  public static void main(String[] args) throws Exception {
    Plan plan = Plan.of(args.length > 0 ? args[0] : "quick");
    Path reportFile = Path.of(args.length > 1 ? args[1] : "benchmarks.md").toAbsolutePath();
    Path scratch = Files.createTempDirectory(Path.of("").toAbsolutePath(), "bench-");
    log("mode " + plan.mode() + ", stack home " + scratch.resolve("stack"));
    double t0 = nowMs();
    Bench bench;
    String text;
    try (EmbeddedStack stack = EmbeddedStack.start(StackConfig.forTest(scratch.resolve("stack")))) {
      log(String.format(Locale.ROOT, "stack up in %.1f s", (nowMs() - t0) / 1000));
      bench = new Bench(plan, stack, scratch);
      text = bench.run(t0);
    }
    Files.createDirectories(reportFile.getParent());
    Files.writeString(reportFile, text);
    System.out.println();
    System.out.println(text);
    log("written " + reportFile);
    if (!bench.failures.isEmpty()) {
      log("not measured: " + String.join("; ", bench.failures) + "; scratch kept in " + scratch);
      System.exit(1);
    }
    Directories.deleteTree(scratch);
    System.exit(0);
  }

  static void log(String line) {
    System.err.printf(Locale.ROOT, "[bench %7.1f s] %s%n", nowMs() / 1000, line);
  }

  /** One measurement that may fail without taking the others down. */
  private interface Measurement {
    String run() throws Exception;
  }

  /** The measurement's section, or a note that it could not be made and why. */
  private String measure(String title, Measurement measurement) {
    try {
      return measurement.run();
    } catch (Exception e) {
      log(title + " failed: " + e);
      e.printStackTrace();
      failures.add(title);
      findings.add(title + " could not be measured in this run: " + e);
      return "## " + title + "\n\nNot measured in this run: `" + e + "`.\n\n";
    }
  }

  /** The last task items 1 and 2 completed, which items 4 and 6 build on. */
  private String completedTask() throws IOException {
    if (someCompletedTask == null) {
      throw new IOException("items 1 and 2 completed no task to build on");
    }
    return someCompletedTask;
  }

  private String run(double t0) throws Exception {
    String machine = machine();
    String overhead = measure("1. Overhead ratio", this::overhead);
    String latency = measure("2. Small-task latency", this::latency);
    String throughput = measure("3. Throughput", this::throughput);
    String apiLoad =
        measure(
            "4. API",
            () ->
                new ApiLoad(plan, stack, scratch.resolve("api"), completedTask(), findings).run());
    String upload =
        measure(
            "5. Upload",
            () -> new UploadMemory(plan, stack, scratch.resolve("upload"), findings).run());
    // Before 6: the thousands of tasks 6 leaves in the API server would weigh on what follows.
    String library =
        measure(
            "7. Library operations",
            () ->
                new LibraryOperations(plan, stack, api, scratch.resolve("library"), findings)
                    .run());
    String scale =
        measure(
            "6. Control plane",
            () ->
                new ControlPlaneScale(
                        plan, stack, scratch.resolve("scale"), completedTask(), findings)
                    .run());
    double totalS = (nowMs() - t0) / 1000;

    report.append("# Benchmarks\n\n");
    report.append(
        "Written by `make bench"
            + (plan.mode().equals("quick") ? "-quick" : "")
            + "` (`io.ffmpegoperator.bench.Bench`, mode `"
            + plan.mode()
            + "`). Do not edit by hand: run it again.\n"
            + "Every number is from one run of the bench on the machine below: the whole platform"
            + " embedded in one JVM (the stack of `make run`: mock Kubernetes API, s3proxy, local"
            + " node, operator, API bridge), plus, for items 4 to 6, a bridge or an operator"
            + " started as a process of its own against that stack. Ratios are taken within that"
            + " one run. Treat the numbers as a snapshot of this machine, not as a property of the"
            + " product.\n\n");
    report.append(machine);
    report.append(
        String.format(Locale.ROOT, "\nWhole bench took %.0f s, stack start included.\n\n", totalS));
    report.append("## Method\n\n");
    report.append(
        "- The stack is `EmbeddedStack.start(StackConfig.forTest(...))` with its defaults: the"
            + " local node runs at most `nproc` pods at once, each pod is a fresh worker JVM"
            + " started as `LocalWorkerJvm` sets it up (the worker's own jars, C1 only, serial GC,"
            + " and a class data sharing archive trained at the stack's first start after a"
            + " build), and the operator reports progress every second.\n"
            + "- Inputs are clips made by `TestClips.make` (testsrc pattern, H.264 ultrafast, AAC"
            + " tone), put into the stack's bucket and named `s3://<bucket>/<key>` in the task.\n"
            + "- JSON requests go through `java.net.http.HttpClient` (HTTP/1.1) in the bench's JVM,"
            + " uploads through `curl -F` (streamed from disk), the load of item 4 through `wrk`."
            + " Every client shares the machine's cores with the servers.\n"
            + "- \"register → completed\" is wall time from sending `POST /ffmpeg/register` to the"
            + " first `GET /ffmpeg/status/{id}` answering `completed`, polled every 50 ms for the"
            + " transcode and every 20 ms for small tasks (so it carries up to one poll interval"
            + " of slack).\n"
            + "- Where time goes comes from watches on FfmpegTask, Job and Pod that the bench opens"
            + " itself (milliseconds when this JVM saw the event), because the stack's own status"
            + " timestamps are whole seconds.\n"
            + "- Items 4 to 6 measure one part alone: `BridgeMain` or `OperatorMain` started as its"
            + " own JVM with the bench's classpath, its environment (`KUBECONFIG`, `S3_*`,"
            + " `AWS_*`, ports, namespace) pointing at the stack, and the JVM its container would"
            + " run: the image's `-XX:MaxRAMPercentage` of the Helm chart's memory limit (through"
            + " `-XX:MaxRAM`), `-XX:+ExitOnOutOfMemoryError`, and the Serial GC that JDK 17 picks"
            + " in a container of less than 1792 MB. Its RSS is read from `/proc/<pid>/status`,"
            + " its heap from its own `/metrics` (`jvm_memory_used_bytes`) and GC log, \"live\""
            + " meaning after a full collection (`jcmd <pid> GC.run`).\n"
            + "- Bare ffmpeg runs (items 1, 2 and 7) are the same ffmpeg binary on local files, timed"
            + " from process start to exit.\n"
            + "- Medians; min and max over the N given. Percentiles are nearest-rank unless wrk"
            + " computed them. MB is 10^6 bytes, MiB 2^20.\n\n");
    report
        .append(overhead)
        .append(latency)
        .append(throughput)
        .append(apiLoad)
        .append(upload)
        .append(scale)
        .append(library);
    report.append("## What is slow and why\n\n");
    String[] load = loadAtStart.split(" ");
    try {
      double load1 = Double.parseDouble(load[0]);
      if (load1 > Runtime.getRuntime().availableProcessors()) {
        findings.add(
            0,
            String.format(
                Locale.ROOT,
                "The machine was shared and busy: load average %.2f at the start on %d cores, so"
                    + " every number here is pessimistic and noisy; runs of the same bench differ.",
                load1,
                Runtime.getRuntime().availableProcessors()));
      }
    } catch (RuntimeException e) {
      // no /proc/loadavg: say nothing
    }
    for (String f : findings) {
      report.append("- ").append(f).append('\n');
    }
    report.append("\n## Not yet measured\n\n");
    report.append(
        "- A real cluster (kind or otherwise): every number here is the embedded stack.\n");
    return report.toString();
  }

  // ---------------------------------------------------------------- 1. overhead

  private String overhead() throws Exception {
    int w = 1280;
    int h = 720;
    Path clip = scratch.resolve("clip-" + plan.clipSeconds() + "s.mp4");
    Path ffmpeg = stack.ffmpeg().ffmpeg();
    log("1. overhead: making a " + plan.clipSeconds() + " s " + w + "x" + h + " clip");
    TestClips.make(ffmpeg, clip, plan.clipSeconds(), w, h, 30, true);
    String key = "bench/inputs/" + clip.getFileName();
    stack.storage().put(key, clip);
    String input = "s3://" + stack.storage().bucket() + "/" + key;
    String args = "-c:v libx264 -preset veryfast";

    List<Double> bare = new ArrayList<>();
    List<Double> platform = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < plan.overheadRuns(); i++) {
      double b;
      double p;
      // Alternate which goes first, so neither always gets the warmer machine.
      if (i % 2 == 0) {
        b = bareFfmpeg(ffmpeg, clip, args, i);
        p = platformTask("-i in_1 " + args + " out_1", input, "out.mp4", 50, Duration.ofMinutes(5));
      } else {
        p = platformTask("-i in_1 " + args + " out_1", input, "out.mp4", 50, Duration.ofMinutes(5));
        b = bareFfmpeg(ffmpeg, clip, args, i);
      }
      bare.add(b);
      platform.add(p);
      ratios.add(p / b);
      log(String.format(Locale.ROOT, "   run %d: bare %.0f ms, platform %.0f ms", i + 1, b, p));
    }
    Stats r = Stats.of(ratios);
    Stats b = Stats.of(bare);
    Stats p = Stats.of(platform);
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
                + " first.%s\n\n",
            plan.clipSeconds(),
            w,
            h,
            Report.size(clip),
            args,
            args,
            input,
            plan.mode().equals("quick")
                ? " Quick mode uses a 4 s clip instead of the 10 s one of the full bench; the fixed"
                    + " costs weigh more on a shorter clip."
                : ""));
    s.append(Report.header());
    s.append(Report.row("platform / bare (ratio)", r, "%.2f", "≤ 1.10", met));
    s.append(Report.row("bare ffmpeg (ms)", b, "%.0f", "", null));
    s.append(Report.row("platform, register → completed (ms)", p, "%.0f", "", null));
    s.append(Report.row("difference (ms)", Stats.of(diff(platform, bare)), "%.0f", "", null));
    s.append('\n');
    findings.add(
        String.format(
            Locale.ROOT,
            "Overhead: a %d s 720p transcode took %.0f ms bare and %.0f ms through the platform"
                + " (median ratio %.2f, target ≤ 1.10 %s). The fixed part, about %.0f ms, is"
                + " roughly the small-task latency below (scheduling, a fresh worker JVM, S3"
                + " fetch and upload, status). If that part stays fixed, the ratio falls as clips"
                + " get longer; compare the quick (4 s) and full (10 s) reports.",
            plan.clipSeconds(),
            b.median(),
            p.median(),
            r.median(),
            Report.metOrNot(met),
            Stats.of(diff(platform, bare)).median()));
    return s.toString();
  }

  private static List<Double> diff(List<Double> a, List<Double> b) {
    List<Double> d = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      d.add(a.get(i) - b.get(i));
    }
    return d;
  }

  private double bareFfmpeg(Path ffmpeg, Path clip, String args, int i) throws Exception {
    List<String> argv = new ArrayList<>(List.of("-i", clip.toString()));
    argv.addAll(List.of(args.split(" ")));
    argv.add(scratch.resolve("bare-" + i + ".mp4").toString());
    return BareFfmpeg.run(
        ffmpeg, argv, scratch.resolve("bare-" + i + ".log"), Duration.ofMinutes(5));
  }

  /** Registers one task, waits for completed; returns register → completed in ms. */
  private double platformTask(
      String command, String input, String output, long pollMs, Duration timeout) throws Exception {
    double t = nowMs();
    String id = api.register(command, input, output);
    api.awaitCompleted(id, pollMs, timeout);
    someCompletedTask = id;
    return nowMs() - t;
  }

  // ---------------------------------------------------------------- 2. latency

  private String latency() throws Exception {
    Path tiny = scratch.resolve("tiny.mp4");
    TestClips.make(stack.ffmpeg().ffmpeg(), tiny, 1, 160, 120, 25, true);
    String key = "bench/inputs/tiny.mp4";
    stack.storage().put(key, tiny);
    String input = "s3://" + stack.storage().bucket() + "/" + key;
    String command = "-i in_1 -t 0.1 -c copy out_1";
    log("2. small-task latency: " + plan.latencyTasks() + " sequential tasks (+2 warm-up)");
    for (int i = 0; i < 2; i++) {
      platformTask(command, input, "out.mp4", 20, Duration.ofMinutes(2));
    }
    List<Double> totals = new ArrayList<>();
    Map<String, List<Double>> segments = new LinkedHashMap<>();
    String[] names = {
      "POST /ffmpeg/register answered",
      "answer → Job created (operator)",
      "Job → Pod created (local node's job controller)",
      "Pod created → Running (node starts the process)",
      "Running → Pod finished (worker JVM: fetch, ffmpeg, upload, report)",
      "Pod finished → task Completed (operator)",
      "task Completed → REST answers completed (poll)"
    };
    for (String n : names) {
      segments.put(n, new ArrayList<>());
    }
    String[] inside = {
      "process started → worker's first log line (JVM start, class loading, logging)",
      "first log line → work begins (reading the order, set-up)",
      "fetch of the input over its pre-signed link (as logged)",
      "ffmpeg itself (as logged)",
      "upload of the output (as logged)",
      "rest of the worker's run (progress reports to the operator, ffprobe check of the input)",
      "worker's last log line → Pod finished seen (JVM exit, node writes pod status)"
    };
    Map<String, List<Double>> worker = new LinkedHashMap<>();
    for (String n : inside) {
      worker.put(n, new ArrayList<>());
    }
    try (Lifecycle life = new Lifecycle(stack.kubernetesClient(), stack.config().namespace())) {
      Thread.sleep(500); // let the watches open before the first task
      for (int i = 0; i < plan.latencyTasks(); i++) {
        double t = nowMs();
        String id = api.register(command, input, "out.mp4");
        double answered = nowMs();
        api.awaitCompleted(id, 20, Duration.ofMinutes(2));
        double done = nowMs();
        totals.add(done - t);
        Thread.sleep(100); // the last watch events may trail the REST answer by a little
        Map<Step, Double> at = life.of(id);
        double[] points = {
          t,
          answered,
          at.getOrDefault(Step.JOB_CREATED, Double.NaN),
          at.getOrDefault(Step.POD_CREATED, Double.NaN),
          at.getOrDefault(Step.POD_RUNNING, Double.NaN),
          at.getOrDefault(Step.POD_FINISHED, Double.NaN),
          at.getOrDefault(Step.TASK_FINISHED, Double.NaN),
          done
        };
        for (int k = 0; k < names.length; k++) {
          double d = points[k + 1] - points[k];
          if (!Double.isNaN(d)) {
            segments.get(names[k]).add(d);
          }
        }
        var log = WorkerLog.of(stack.config().home(), id);
        if (log.isPresent()) {
          WorkerLog l = log.get();
          double runStart = l.lastLine() - l.workerTotalMs();
          double[] parts = {
            l.firstLine() - l.processStart(),
            runStart - l.firstLine(),
            l.fetchMs(),
            l.ffmpegMs(),
            l.storeMs(),
            l.workerTotalMs() - l.fetchMs() - l.ffmpegMs() - l.storeMs(),
            epochMs(at.getOrDefault(Step.POD_FINISHED, Double.NaN)) - l.lastLine()
          };
          for (int k = 0; k < inside.length; k++) {
            if (!Double.isNaN(parts[k])) {
              worker.get(inside[k]).add(parts[k]);
            }
          }
        }
      }
    }
    Stats total = Stats.of(totals);
    latencyP50Ms = total.percentile(50);
    boolean met = total.percentile(50) <= 500;
    StringBuilder s = new StringBuilder();
    s.append("## 2. Small-task latency\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "`%s` on a 1 s 160x120 clip (%s) from S3, %d tasks one after another (after 2 warm-up"
                + " tasks not counted), register → completed.\n\n",
            command,
            Report.size(tiny),
            plan.latencyTasks()));
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
    s.append("Where the time goes (per task, from the bench's own watches):\n\n");
    s.append("| step | median (ms) | min | max | N | share of median total |\n");
    s.append("|---|---:|---:|---:|---:|---:|\n");
    String biggest = null;
    double biggestMs = -1;
    for (var e : segments.entrySet()) {
      Stats st = Stats.of(e.getValue());
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.0f | %d | %.0f%% |\n",
              e.getKey(),
              st.median(),
              st.min(),
              st.max(),
              st.n(),
              100 * st.median() / total.median()));
      if (st.median() > biggestMs) {
        biggestMs = st.median();
        biggest = e.getKey();
      }
    }
    s.append('\n');
    s.append(
        "Inside \"Running → Pod finished\", from each worker pod's own log (the local node keeps"
            + " it under `<stack home>/node/<pod>/logs/stderr.log`; log lines have millisecond"
            + " timestamps, the process start is the pod's stdout file's creation):\n\n");
    s.append("| step | median (ms) | min | max | N |\n|---|---:|---:|---:|---:|\n");
    for (var e : worker.entrySet()) {
      Stats st = Stats.of(e.getValue());
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.0f | %d |\n",
              e.getKey(),
              st.median(),
              st.min(),
              st.max(),
              st.n()));
    }
    List<Double> bareTiny = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bareTiny.add(bareFfmpeg(stack.ffmpeg().ffmpeg(), tiny, "-t 0.1 -c copy", 100 + i));
    }
    Stats bt = Stats.of(bareTiny);
    s.append(
        String.format(
            Locale.ROOT,
            "\nFor reference, the same command with bare ffmpeg on the local file (process start"
                + " to exit): median %.0f ms, min %.0f, max %.0f, N %d.\n\n",
            bt.median(),
            bt.min(),
            bt.max(),
            bt.n()));
    Stats jvm = Stats.of(worker.get(inside[0]));
    Stats rest = Stats.of(worker.get(inside[5]));
    Stats setup = Stats.of(worker.get(inside[1]));
    Stats fetch = Stats.of(worker.get(inside[2]));
    findings.add(
        String.format(
            Locale.ROOT,
            "Inside the worker (median): %.0f ms from process start to its first log line (JVM"
                + " start and class loading), %.0f ms of set-up before the work begins, %.0f ms"
                + " to fetch a %s input, %.0f ms of ffmpeg, and %.0f ms of progress reports and"
                + " the ffprobe input check. ffmpeg is a small part of a small task: what"
                + " dominates is a fresh worker JVM per task and its first requests, even with"
                + " the class archive, the worker's own jars and no JVM-exit stall (the worker"
                + " no longer uses java.net.http, whose native selector thread held every exit"
                + " ~300 ms). A p50 of 500 ms needs the start-up gone altogether: warm, long-lived"
                + " workers that take tasks from a queue instead of a Job and a JVM per task.",
            jvm.median(),
            setup.median(),
            fetch.median(),
            Report.size(tiny),
            Stats.of(worker.get(inside[3])).median(),
            rest.median()));
    findings.add(
        String.format(
            Locale.ROOT,
            "Small tasks: p50 %.0f ms, p95 %.0f ms (target p50 ≤ 500 ms %s). The biggest step is"
                + " \"%s\" at %.0f ms median (%.0f%%). Each task is a Kubernetes Job whose pod is a"
                + " new worker JVM, so JVM start and class loading are paid once per task, however"
                + " small the ffmpeg work is.",
            total.percentile(50),
            total.percentile(95),
            Report.metOrNot(met),
            biggest,
            biggestMs,
            100 * biggestMs / total.median()));
    return s.toString();
  }

  // ---------------------------------------------------------------- 3. throughput

  private String throughput() throws Exception {
    String input = "s3://" + stack.storage().bucket() + "/bench/inputs/tiny.mp4";
    String command = "-i in_1 -t 0.1 -c copy out_1";
    List<Double> rates = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    List<Double> submits = new ArrayList<>();
    int lostTotal = 0;
    int failedTotal = 0;
    int n = plan.throughputTasks();
    for (int run = 0; run < plan.throughputRuns(); run++) {
      log("3. throughput run " + (run + 1) + ": " + n + " tasks at once");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      double t0 = nowMs();
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> api.register(command, input, "out.mp4")));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : futures) {
        ids.add(f.get());
      }
      double submitted = nowMs();
      pool.shutdown();
      Set<String> waiting = new HashSet<>(ids);
      double deadline = nowMs() + n * 10_000.0 + 60_000;
      while (!waiting.isEmpty() && nowMs() < deadline) {
        for (FfmpegTask t :
            stack
                .kubernetesClient()
                .resources(FfmpegTask.class)
                .inNamespace(stack.config().namespace())
                .list()
                .getItems()) {
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
      double end = nowMs();
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
      log(
          String.format(
              Locale.ROOT,
              "   %d completed, %d failed, %d lost in %.1f s (submitting took %.0f ms)",
              completed,
              failed,
              lost,
              wall / 1000,
              submitted - t0));
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
                + " (`nproc`), the rest wait Pending.\n\n",
            n,
            Runtime.getRuntime().availableProcessors()));
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
    findings.add(
        String.format(
            Locale.ROOT,
            "Throughput: %.2f tasks/s with %d tasks queued at once (%s). %d pods at a time, each"
                + " taking the small-task p50 of %.0f ms, would give %.2f tasks/s; the difference"
                + " is the pods and the stack competing for the same %d cores (each pod starts a"
                + " JVM). The control plane was not the limit: registering all %d took %.0f ms.",
            r.median(),
            n,
            met ? "none lost or failed" : lostTotal + " lost, " + failedTotal + " failed",
            Runtime.getRuntime().availableProcessors(),
            latencyP50Ms,
            Runtime.getRuntime().availableProcessors() / (latencyP50Ms / 1000),
            Runtime.getRuntime().availableProcessors(),
            n,
            Stats.of(submits).median()));
    return s.toString();
  }

  // ---------------------------------------------------------------- report

  private String machine() {
    StringBuilder s = new StringBuilder("## Machine\n\n");
    s.append("| | |\n|---|---|\n");
    s.append("| date | ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(" |\n");
    s.append("| nproc | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
    s.append("| CPU | ").append(firstMatch("/proc/cpuinfo", "model name")).append(" |\n");
    s.append("| memory | ").append(firstMatch("/proc/meminfo", "MemTotal")).append(" |\n");
    s.append("| load average at start | ").append(loadAtStart).append(" |\n");
    s.append("| OS | ")
        .append(firstMatch("/etc/os-release", "PRETTY_NAME").replace("\"", ""))
        .append(", kernel ")
        .append(System.getProperty("os.version"))
        .append(" ")
        .append(System.getProperty("os.arch"))
        .append(" |\n");
    s.append("| Java | ")
        .append(System.getProperty("java.vm.vendor"))
        .append(" ")
        .append(System.getProperty("java.runtime.version"))
        .append(" (")
        .append(System.getProperty("java.vm.name"))
        .append(") |\n");
    s.append("| ffmpeg | ").append(ffmpegVersion()).append(" |\n");
    s.append("| mode | ").append(plan).append(" |\n");
    return s.toString();
  }

  private String ffmpegVersion() {
    try {
      Process p = new ProcessBuilder(stack.ffmpeg().ffmpeg().toString(), "-version").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.lines().findFirst().orElse("?") + " (`" + stack.ffmpeg().ffmpeg() + "`)";
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  private static String firstMatch(String file, String prefix) {
    return read(file)
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(l.indexOf(l.contains("=") && !l.contains(":") ? '=' : ':') + 1))
        .map(String::strip)
        .findFirst()
        .orElse("?");
  }
}
