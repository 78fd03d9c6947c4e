package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ffmpegoperator.bench.Lifecycle.Step;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.dev.ffmpeg.Directories;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.StackConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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

  /** Pause after the warm workers are up before a task that item 2 runs alone. */
  private static final Duration SPACED_SETTLE = Duration.ofMillis(1000);

  /** Longest wait for the warm workers to be up before a timed item. */
  private static final Duration WARM_TIMEOUT = Duration.ofMinutes(2);

  /** How much of each measurement a mode does. */
  record Plan(
      String mode,
      int clipSeconds,
      int overheadRuns,
      int latencyTasks,
      int spacedTasks,
      int throughputTasks,
      int throughputRuns,
      int apiSeconds,
      int apiRuns,
      long uploadBytes,
      int uploadRuns,
      int scaleTasks,
      int scaleRuns,
      int libraryClipSeconds,
      int libraryRuns,
      int warmUpTasks) {
    static Plan of(String mode) {
      return switch (mode) {
        case "quick" ->
            new Plan("quick", 4, 3, 20, 5, 50, 1, 5, 2, 256L << 20, 2, 2_000, 1, 10, 2, 20);
        // About 12 minutes on 2 busy cores (measured): the three throughput runs take a third,
        // item 7's bare 1080p re-encodes and item 6 most of the rest.
        case "full" ->
            new Plan("full", 10, 9, 50, 15, 200, 3, 10, 5, 1L << 30, 3, 10_000, 2, 60, 2, 60);
        default -> throw new IllegalArgumentException("mode is quick or full, not " + mode);
      };
    }
  }

  /** Item 2's trivial command (and the warm-up's). */
  private static final String SMALL_COMMAND = "-i in_1 -t 0.1 -c copy out_1";

  private final Plan plan;
  private final EmbeddedStack stack;
  private final ApiClient api;
  private final TaskFinishes finishes;
  private final Path scratch;
  private final StringBuilder report = new StringBuilder();
  private final List<String> findings = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private String someCompletedTask;
  private String tinyInput;
  private double latencyP50Ms = Double.NaN;
  private final String loadAtStart = read("/proc/loadavg");

  private Bench(Plan plan, EmbeddedStack stack, TaskFinishes finishes, Path scratch) {
    this.plan = plan;
    this.stack = stack;
    this.finishes = finishes;
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
    // The warm workers of make run (StackConfig.fromEnv), which forTest leaves out.
    StackConfig config =
        StackConfig.forTest(scratch.resolve("stack"))
            .withWarmWorkers(StackConfig.DEFAULT_WARM_WORKERS);
    try (EmbeddedStack stack = EmbeddedStack.start(config);
        TaskFinishes finishes =
            new TaskFinishes(stack.kubernetesClient(), stack.config().namespace())) {
      log(String.format(Locale.ROOT, "stack up in %.1f s", (nowMs() - t0) / 1000));
      bench = new Bench(plan, stack, finishes, scratch);
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
    String warmUp = warmUpStack();
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
        String.format(
                Locale.ROOT,
                "- The stack is `EmbeddedStack.start(StackConfig.forTest(...)"
                    + ".withWarmWorkers(%d))`: the %d warm workers of `make run`"
                    + " (`StackConfig.DEFAULT_WARM_WORKERS`), otherwise the test defaults. The"
                    + " operator keeps %d unclaimed worker Jobs (`fft-warm-<random>`) running"
                    + " ahead of tasks; their pods start the worker JVM, warm up and ask the"
                    + " operator for a work order. A task claims one of them if it can (the"
                    + " operator annotates the Job with the task and hands its pod the order) and"
                    + " gets a Job of its own, `fft-<task>`, otherwise. A new warm Job replaces a"
                    + " claimed one at once (`WarmPool`)."
                    + " The local node runs at most `nproc` + %d = %d pods at once (room for the"
                    + " idle warm pods, which use no CPU). Each pod is a worker JVM started as"
                    + " `LocalWorkerJvm` sets it up (the worker's own jars, C1 only, serial GC,"
                    + " and a class data sharing archive trained at the stack's first start after"
                    + " a build), and the operator reports progress every second. Before items 1"
                    + " and 2 are timed the bench waits until %d unclaimed warm pods have logged"
                    + " `%s`, so the first measured task does not meet a pool still starting.\n",
                warmCount(),
                warmCount(),
                warmCount(),
                warmCount(),
                nodeCapacity(),
                warmCount(),
                WorkerLog.WAITING)
            + "- Inputs are clips made by `TestClips.make` (testsrc pattern, H.264 ultrafast, AAC"
            + " tone), put into the stack's bucket and named `s3://<bucket>/<key>` in the task.\n"
            + "- JSON requests go through `java.net.http.HttpClient` (HTTP/1.1) in the bench's JVM,"
            + " uploads through `curl -F` (streamed from disk), the load of item 4 through `wrk`."
            + " Every client shares the machine's cores with the servers.\n"
            + "- \"register → completed\" is wall time from sending `POST /ffmpeg/register` to the"
            + " first `GET /ffmpeg/status/{id}` answering `completed`. The bench asks as soon as"
            + " its own watch on FfmpegTasks sees the task finished, then each millisecond until"
            + " the REST answer agrees, and otherwise every "
            + ApiClient.UNSEEN_POLL.toMillis()
            + " ms: the time carries no poll interval, and no polls share the cores with the"
            + " ffmpeg being measured.\n"
            + "- Where time goes comes from watches on FfmpegTask, Job and Pod that the bench opens"
            + " itself (milliseconds when this JVM saw the event), because the stack's own status"
            + " timestamps are whole seconds. A task is counted as having claimed a warm worker"
            + " when its `status.jobName` is not `fft-<task>`; the claim is the first Job event"
            + " that carries the `media.ffmpeg-operator.io/task` annotation. A warm pod was"
            + " created and running before its task existed, so of it only its end is timed.\n"
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
            + " computed them. MB is 10^6 bytes, MiB 2^20.\n"
            + warmUp
            + "\n");
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
    List<Double> podFfmpeg = new ArrayList<>();
    int onWarm = 0;
    for (int i = 0; i < plan.overheadRuns(); i++) {
      double b;
      double p;
      // Alternate which goes first, so neither always gets the warmer machine.
      if (i % 2 == 0) {
        b = bareFfmpeg(ffmpeg, clip, args, i);
        awaitWarmWorkers();
        p = platformTask("-i in_1 " + args + " out_1", input, "out.mp4", Duration.ofMinutes(5));
      } else {
        awaitWarmWorkers();
        p = platformTask("-i in_1 " + args + " out_1", input, "out.mp4", Duration.ofMinutes(5));
        // The claimed worker's replacement may start only now that its pod has finished: the bare
        // run must not share the cores with it either.
        awaitWarmWorkers();
        b = bareFfmpeg(ffmpeg, clip, args, i);
      }
      String jobName = jobNameOf(someCompletedTask);
      boolean warm = ranOnWarmWorker(someCompletedTask, jobName);
      onWarm += warm ? 1 : 0;
      // ffmpeg's own time inside the pod, from the worker's log, splits the difference into
      // ffmpeg running slower on the shared cores and the fixed cost around it.
      WorkerLog.of(stack.config().home(), jobName)
          .map(WorkerLog::ffmpegMs)
          .filter(ms -> !Double.isNaN(ms))
          .ifPresent(podFfmpeg::add);
      bare.add(b);
      platform.add(p);
      ratios.add(p / b);
      log(
          String.format(
              Locale.ROOT,
              "   run %d: bare %.0f ms, platform %.0f ms (%s)",
              i + 1,
              b,
              p,
              warm ? "claimed a warm worker" : "Job of its own"));
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
    s.append(Report.row("difference (ms)", Stats.of(diff(platform, bare)), "%.0f", "", null));
    if (podFfmpeg.size() == bare.size()) {
      s.append(
          Report.row(
              "ffmpeg alone inside the worker pod (ms, its log)",
              Stats.of(podFfmpeg),
              "%.0f",
              "",
              null));
      s.append(
          Report.row(
              "ffmpeg inside the pod / bare ffmpeg (ratio)",
              Stats.of(ratiosOf(podFfmpeg, bare)),
              "%.2f",
              "",
              null));
    }
    s.append('\n');
    findings.add(
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
            Stats.of(diff(platform, bare)).median()));
    if (podFfmpeg.size() == bare.size()) {
      findings.add(
          String.format(
              Locale.ROOT,
              "Of that difference, ffmpeg itself ran %.0f ms inside the worker pod against %.0f ms"
                  + " bare (median ratio %.2f): on this machine the pod's ffmpeg shares the cores"
                  + " with the whole stack (API server, operator, bridge, S3)%s. The remaining %.0f"
                  + " ms is the cost around ffmpeg: claim, fetch, ffprobe of input and output,"
                  + " upload, status.",
              Stats.of(podFfmpeg).median(),
              b.median(),
              Stats.of(ratiosOf(podFfmpeg, bare)).median(),
              " and with the warm worker started to replace the claimed one",
              Stats.of(diff(platform, podFfmpeg)).median()));
    }
    return s.toString();
  }

  private static List<Double> ratiosOf(List<Double> a, List<Double> b) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      r.add(a.get(i) / b.get(i));
    }
    return r;
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

  /** ffprobe on a local file as the worker's input check runs it; returns its wall time in ms. */
  private double bareFfprobe(Path clip, int i) throws Exception {
    Path log = scratch.resolve("bare-probe-" + i + ".log");
    Command.Result result =
        Command.run(
            List.of(
                stack.ffmpeg().ffprobe().toString(),
                "-v",
                "error",
                "-show_streams",
                "-show_format",
                "-of",
                "json",
                "file:" + clip),
            log,
            Duration.ofMinutes(1));
    if (!result.ok()) {
      throw new IOException("bare ffprobe failed (exit " + result.exitCode() + "), see " + log);
    }
    return result.ms();
  }

  /** Registers one task, waits for completed; returns register → completed in ms. */
  private double platformTask(String command, String input, String output, Duration timeout)
      throws Exception {
    double t = nowMs();
    String id = api.register(command, input, output);
    api.awaitCompleted(id, finishes, timeout);
    someCompletedTask = id;
    return nowMs() - t;
  }

  // ---------------------------------------------------------------- warm workers

  private int warmCount() {
    return stack.config().warmWorkers();
  }

  /** Pods the local node runs at once: one working pod per CPU plus the idle warm ones. */
  private int nodeCapacity() {
    return Runtime.getRuntime().availableProcessors() + warmCount();
  }

  /**
   * Waits until {@link #warmCount()} unclaimed, live warm Jobs have a pod that logged {@value
   * WorkerLog#WAITING}, so what is timed next does not meet a pool still starting.
   */
  private void awaitWarmWorkers() throws Exception {
    int want = warmCount();
    if (want == 0) {
      return;
    }
    double t0 = nowMs();
    double deadline = t0 + WARM_TIMEOUT.toMillis();
    int ready = 0;
    while (true) {
      ready = 0;
      for (Job job :
          stack
              .kubernetesClient()
              .batch()
              .v1()
              .jobs()
              .inNamespace(stack.config().namespace())
              .withLabel(Lifecycle.WARM_LABEL, "true")
              .list()
              .getItems()) {
        var annotations = job.getMetadata().getAnnotations();
        boolean claimed = annotations != null && annotations.containsKey(Lifecycle.TASK_ANNOTATION);
        if (!claimed
            && job.getMetadata().getDeletionTimestamp() == null
            && !finished(job)
            && WorkerLog.waiting(stack.config().home(), job.getMetadata().getName())) {
          ready++;
        }
      }
      if (ready >= want) {
        break;
      }
      if (nowMs() > deadline) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "only %d of %d warm workers were waiting for a work order after %d s",
                ready,
                want,
                WARM_TIMEOUT.toSeconds()));
      }
      Thread.sleep(100);
    }
    double waited = nowMs() - t0;
    if (waited > 500) {
      log(String.format(Locale.ROOT, "   waited %.1f s for %d warm workers", waited / 1000, want));
    }
  }

  private static boolean finished(Job job) {
    var status = job.getStatus();
    return status != null
        && status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  /** The task's Job as its status names it: its own or the warm worker's it claimed. */
  private String jobNameOf(String taskId) {
    FfmpegTask task =
        stack
            .kubernetesClient()
            .resources(FfmpegTask.class)
            .inNamespace(stack.config().namespace())
            .withName(taskId)
            .get();
    return task == null || task.getStatus() == null ? null : task.getStatus().getJobName();
  }

  /** Every task in the stack's namespace, as the API server has it now. */
  private List<FfmpegTask> stackTasks() {
    return stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace(stack.config().namespace())
        .list()
        .getItems();
  }

  /** A task whose Job is not {@code fft-<task>} claimed a warm worker's Job. */
  private static boolean ranOnWarmWorker(String taskId, String jobName) {
    return jobName != null && !jobName.equals("fft-" + taskId);
  }

  // ---------------------------------------------------------------- 2. latency

  /** Steps of a small task on a Job of its own, as the watches saw them. */
  private static final List<String> OWN_STEPS =
      List.of(
          "POST /ffmpeg/register answered",
          "answer → Job created (operator)",
          "Job → Pod created (local node's job controller)",
          "Pod created → Running (node starts the process)",
          "Running → Pod finished (worker JVM: fetch, ffmpeg, upload, report)",
          "Pod finished → task Completed (operator)",
          "task Completed → REST answers completed (the bridge's cache)");

  /** Inside "Running → Pod finished" of a task's own pod, from its log. */
  private static final List<String> OWN_WORKER_STEPS =
      List.of(
          "process started → worker's first log line (JVM start, class loading, logging)",
          "first log line → work begins (reading the order, set-up)",
          "fetch of the input over its pre-signed link (as logged)",
          "ffmpeg itself (as logged)",
          "upload of the output (as logged)",
          "rest of the worker's run (ffprobe check of the input, waiting for the output's"
              + " ffprobe, final report)",
          "worker's last log line → Pod finished seen (JVM exit, node writes pod status)");

  /** Steps of a small task that claimed a warm worker: watches and the pod's log together. */
  private static final List<String> WARM_STEPS =
      List.of(
          OWN_STEPS.get(0),
          "answer → warm worker's Job claimed (operator)",
          "Job claimed → work order delivered to the pod (its log line)",
          "order delivered → work begins (reading the order, set-up)",
          OWN_WORKER_STEPS.get(2),
          "rest of the worker's run up to the stored output (ffprobe check of the input,"
              + " ffmpeg's start)",
          OWN_WORKER_STEPS.get(3),
          OWN_WORKER_STEPS.get(4),
          // The pod tells the operator when its outputs are stored, without waiting to exit.
          "output stored → task Completed (the output's ffprobe, `/done` with the final report,"
              + " the operator's check of the output and status write)",
          OWN_STEPS.get(6));

  /**
   * One measured small task.
   *
   * @param warm whether it claimed a warm worker's Job (else it had a Job of its own)
   * @param podWaiting for a warm one, whether its pod was already waiting for an order when the Job
   *     was claimed (null if the log does not tell)
   * @param warmUpMs for a warm one, its pod's process start → waiting for an order
   * @param steps step name → ms; NaN for a step not seen
   */
  private record SmallTask(
      String id,
      boolean warm,
      Boolean podWaiting,
      double warmUpMs,
      double totalMs,
      Map<String, Double> steps) {}

  /**
   * Runs small tasks, counted in no item, so that items 1 and 2 measure a stack in use rather than
   * one just started: the stack runs in this JVM, whose JIT compiles the hot paths of its libraries
   * during its first minutes of work, on the cores the tasks need. Returns the Method line that
   * says what these first tasks took.
   */
  private String warmUpStack() throws Exception {
    String input = tinyInput();
    log("warm-up: " + plan.warmUpTasks() + " small tasks, counted in no item");
    List<Double> took = new ArrayList<>();
    for (int i = 0; i < plan.warmUpTasks(); i++) {
      took.add(platformTask(SMALL_COMMAND, input, "out.mp4", Duration.ofMinutes(2)));
    }
    Stats all = Stats.of(took);
    Stats first = Stats.of(took.subList(0, Math.min(10, took.size())));
    Stats last = Stats.of(took.subList(Math.max(0, took.size() - 10), took.size()));
    log(
        String.format(
            Locale.ROOT,
            "   p50 %.0f ms (first 10: %.0f ms, last 10: %.0f ms)",
            all.percentile(50),
            first.percentile(50),
            last.percentile(50)));
    return String.format(
        Locale.ROOT,
        "- Before item 1 the bench runs %d small tasks one after another (item 2's command and"
            + " input) and counts them in no item. The stack runs in the bench's JVM, which, like"
            + " `make run`'s, uses the C1 compiler only (`-XX:TieredStopAtLevel=1`, above: C2's"
            + " compile bursts would take the cores from the pods' ffmpeg) and still compiles its"
            + " libraries' hot paths during its first minutes of work, on the cores the tasks"
            + " need; items 1 and 2 measure the stack after that, as it is once in use. What the"
            + " first tasks after a start take: p50 %.0f ms over the first 10 of these, %.0f ms"
            + " over the last 10 (register → completed).\n",
        plan.warmUpTasks(),
        first.percentile(50),
        last.percentile(50));
  }

  /** The 1 s 160x120 clip of the small tasks, made by {@link #tinyInput()}. */
  private Path tinyClip() {
    return scratch.resolve("tiny.mp4");
  }

  /** {@link #tinyClip()}, stored once in the stack's bucket: the small tasks' input. */
  private String tinyInput() throws Exception {
    if (tinyInput == null) {
      Path tiny = tinyClip();
      TestClips.make(stack.ffmpeg().ffmpeg(), tiny, 1, 160, 120, 25, true);
      String key = "bench/inputs/tiny.mp4";
      stack.storage().put(key, tiny);
      tinyInput = "s3://" + stack.storage().bucket() + "/" + key;
    }
    return tinyInput;
  }

  private String latency() throws Exception {
    String input = tinyInput();
    Path tiny = tinyClip();
    String command = SMALL_COMMAND;
    log("2. small-task latency: " + plan.latencyTasks() + " sequential tasks (+2 warm-up)");
    for (int i = 0; i < 2; i++) {
      platformTask(command, input, "out.mp4", Duration.ofMinutes(2));
    }
    List<SmallTask> tasks = new ArrayList<>();
    int disagreements = 0;
    int missingLogs = 0;
    List<String> jvmStdout = new ArrayList<>();
    try (Lifecycle life = new Lifecycle(stack.kubernetesClient(), stack.config().namespace())) {
      Thread.sleep(500); // let the watches open before the first task
      awaitWarmWorkers();
      for (int i = 0; i < plan.latencyTasks(); i++) {
        double t = nowMs();
        String id = api.register(command, input, "out.mp4");
        double answered = nowMs();
        api.awaitCompleted(id, finishes, Duration.ofMinutes(2));
        double done = nowMs();
        Thread.sleep(100); // the last watch events may trail the REST answer by a little
        String jobName = jobNameOf(id);
        String claimedSeen = life.claimedJob(id);
        if (jobName == null) {
          jobName = claimedSeen != null ? claimedSeen : "fft-" + id;
        }
        boolean warm = ranOnWarmWorker(id, jobName);
        if (warm != (claimedSeen != null)) {
          disagreements++;
          log(
              "   task "
                  + id
                  + ": status.jobName is "
                  + jobName
                  + " but the Job watch saw "
                  + (claimedSeen == null ? "no claim" : "a claim of " + claimedSeen));
        }
        WorkerLog workerLog = WorkerLog.of(stack.config().home(), jobName).orElse(null);
        if (workerLog == null || warm != workerLog.warm()) {
          missingLogs++;
          if (missingLogs <= 3) {
            log(
                "   task "
                    + id
                    + ": no "
                    + (warm ? "warm " : "")
                    + "worker log that says it all for Job "
                    + jobName
                    + ": "
                    + WorkerLog.whyMissing(stack.config().home(), jobName));
          }
        }
        if (workerLog != null && !workerLog.stdout().isEmpty()) {
          jvmStdout.add(workerLog.stdout());
        }
        tasks.add(smallTask(id, warm, t, answered, done, life.of(id), workerLog));
      }
    }
    // The same task once more, each alone: the stack idle, the warm workers up and the one started
    // to replace the last claimed one done, so no other work shares the cores.
    log("   then " + plan.spacedTasks() + " of them one at a time on an idle stack");
    List<Double> spaced = new ArrayList<>();
    for (int i = 0; i < plan.spacedTasks(); i++) {
      awaitWarmWorkers();
      Thread.sleep(SPACED_SETTLE.toMillis());
      spaced.add(platformTask(command, input, "out.mp4", Duration.ofMinutes(2)));
    }
    if (disagreements > 0) {
      findings.add(
          disagreements
              + " small task(s) named a Job in their status that the bench's Job watch did not see"
              + " claimed (or the reverse); their path was taken from status.jobName.");
    }
    if (missingLogs > 0) {
      findings.add(
          missingLogs
              + " of "
              + tasks.size()
              + " small tasks left no worker log the bench could read; the steps inside their"
              + " worker are missing from the tables (see N).");
    }
    if (!jvmStdout.isEmpty()) {
      // The worker logs to stderr: what is on stdout is the JVM's, e.g. a class archive made for
      // jars that were rebuilt since (the JVM then starts without it, and slower).
      findings.add(
          String.format(
              Locale.ROOT,
              "%d of %d small tasks ran in a worker JVM that wrote to stdout, so their numbers may"
                  + " not be this build's: `%s`. A class archive that fails to load means the"
                  + " worker's jars changed after the stack started (a build during the bench);"
                  + " run it again.",
              jvmStdout.size(),
              tasks.size(),
              jvmStdout.get(0).replace('`', '\'')));
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
    latencyP50Ms = total.percentile(50);
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
            warmCount()));
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
      bareTiny.add(bareFfmpeg(stack.ffmpeg().ffmpeg(), tiny, "-t 0.1 -c copy", 100 + i));
    }
    Stats bt = Stats.of(bareTiny);
    List<Double> bareProbe = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bareProbe.add(bareFfprobe(tiny, 100 + i));
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
            warmCount(),
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

    findings.add(
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
    findings.add(
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
      findings.add(
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
              medianMs(warmTasks, WARM_STEPS.get(1)),
              medianMs(warmTasks, WARM_STEPS.get(2)),
              medianMs(warmTasks, WARM_STEPS.get(3)),
              medianMs(warmTasks, WARM_STEPS.get(4)),
              Report.size(tiny),
              medianMs(warmTasks, WARM_STEPS.get(5)),
              medianMs(warmTasks, WARM_STEPS.get(6)),
              medianMs(warmTasks, WARM_STEPS.get(7)),
              medianMs(warmTasks, WARM_STEPS.get(8)),
              medianMs(warmTasks, WARM_STEPS.get(9)),
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
    }
    if (!ownTasks.isEmpty()) {
      findings.add(
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

  /** A measured task's steps on its path; NaN for what was not seen. */
  private SmallTask smallTask(
      String id,
      boolean warm,
      double t,
      double answered,
      double done,
      Map<Step, Double> at,
      WorkerLog log) {
    double nan = Double.NaN;
    double jobAt = at.getOrDefault(Step.JOB_CREATED, nan);
    double podFinished = at.getOrDefault(Step.POD_FINISHED, nan);
    double taskFinished = at.getOrDefault(Step.TASK_FINISHED, nan);
    // Worker-log parts: epoch milliseconds and durations from the pod's own log.
    double fetch = log == null ? nan : log.fetchMs();
    double ffmpeg = log == null ? nan : log.ffmpegMs();
    double store = log == null ? nan : log.storeMs();
    double rest = log == null ? nan : log.workerTotalMs() - fetch - ffmpeg - store;
    double exit = log == null ? nan : epochMs(podFinished) - log.lastLine();
    double[] values;
    List<String> names;
    Boolean podWaiting = null;
    double warmUp = nan;
    if (warm) {
      names = WARM_STEPS;
      boolean logged = log != null && log.warm();
      double orderCame = logged ? log.orderCame() : nan;
      if (logged && !Double.isNaN(log.waitingSince()) && !Double.isNaN(jobAt)) {
        podWaiting = log.waitingSince() <= epochMs(jobAt);
        warmUp = log.waitingSince() - log.processStart();
      }
      double stored = logged ? log.storedAt() : nan;
      values =
          new double[] {
            answered - t,
            jobAt - answered,
            orderCame - epochMs(jobAt),
            logged ? log.runStart() - orderCame : nan,
            logged ? fetch : nan,
            logged ? stored - log.runStart() - fetch - ffmpeg - store : nan,
            logged ? ffmpeg : nan,
            logged ? store : nan,
            epochMs(taskFinished) - stored,
            done - taskFinished
          };
    } else {
      names = new ArrayList<>(OWN_STEPS);
      names.addAll(OWN_WORKER_STEPS);
      values =
          new double[] {
            answered - t,
            jobAt - answered,
            at.getOrDefault(Step.POD_CREATED, nan) - jobAt,
            at.getOrDefault(Step.POD_RUNNING, nan) - at.getOrDefault(Step.POD_CREATED, nan),
            podFinished - at.getOrDefault(Step.POD_RUNNING, nan),
            taskFinished - podFinished,
            done - taskFinished,
            log == null ? nan : log.firstLine() - log.processStart(),
            log == null ? nan : log.runStart() - log.firstLine(),
            fetch,
            ffmpeg,
            store,
            rest,
            exit
          };
    }
    Map<String, Double> steps = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      steps.put(names.get(k), values[k]);
    }
    return new SmallTask(id, warm, podWaiting, warmUp, done - t, steps);
  }

  private static Stats totals(List<SmallTask> tasks) {
    return Stats.of(tasks.stream().map(SmallTask::totalMs).toList());
  }

  private static List<Double> values(List<SmallTask> tasks, String step) {
    return tasks.stream()
        .map(x -> x.steps().getOrDefault(step, Double.NaN))
        .filter(d -> !d.isNaN())
        .toList();
  }

  private static String medianMs(List<SmallTask> tasks, String step) {
    return ms(Stats.of(values(tasks, step)).median());
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.0f ms", value);
  }

  private static String sequence(List<SmallTask> tasks) {
    StringBuilder s = new StringBuilder();
    for (SmallTask x : tasks) {
      s.append(!x.warm() ? 'J' : x.podWaiting() == null ? 'w' : x.podWaiting() ? 'W' : 'S');
    }
    return s.toString();
  }

  private static String pathRow(String name, Stats st) {
    if (st.n() == 0) {
      return "| " + name + " | 0 | | | | |\n";
    }
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.0f | %.0f | %.0f | %.0f |\n",
        name,
        st.n(),
        st.percentile(50),
        st.percentile(95),
        st.min(),
        st.max());
  }

  /**
   * The steps of one path, those seen at least once; with a share of {@code medianTotal} and the
   * sum of the medians when it is a number.
   */
  private static String stepTable(List<SmallTask> tasks, List<String> steps, double medianTotal) {
    boolean shares = !Double.isNaN(medianTotal);
    StringBuilder s = new StringBuilder();
    s.append("| step | median (ms) | min | max | N |")
        .append(shares ? " share of median total |" : "");
    s.append("\n|---|---:|---:|---:|---:|").append(shares ? "---:|" : "").append('\n');
    double sum = 0;
    for (String step : steps) {
      Stats st = Stats.of(values(tasks, step));
      if (st.n() == 0) {
        continue; // did not happen on this path
      }
      sum += st.median();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.0f | %d |",
              step,
              st.median(),
              st.min(),
              st.max(),
              st.n()));
      if (shares) {
        s.append(String.format(Locale.ROOT, " %.0f%% |", 100 * st.median() / medianTotal));
      }
      s.append('\n');
    }
    if (shares) {
      s.append(
          String.format(
              Locale.ROOT,
              "\nThe step medians add up to %.0f ms; the median register → completed on this path"
                  + " is %.0f ms.\n",
              sum,
              medianTotal));
    }
    return s.append('\n').toString();
  }

  /** " On <path> the biggest step is ..." or nothing when the path had no task. */
  private static String biggest(
      String path, List<SmallTask> tasks, List<String> steps, double medianTotal) {
    String biggest = null;
    double biggestMs = -1;
    for (String step : steps) {
      double m = Stats.of(values(tasks, step)).median();
      if (!Double.isNaN(m) && m > biggestMs) {
        biggestMs = m;
        biggest = step;
      }
    }
    if (biggest == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%s the biggest step is \"%s\" at %.0f ms median (%.0f%% of that path's median).",
        path,
        biggest,
        biggestMs,
        100 * biggestMs / medianTotal);
  }

  // ---------------------------------------------------------------- 3. throughput

  private String throughput() throws Exception {
    String input = tinyInput();
    String command = SMALL_COMMAND;
    List<Double> rates = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    List<Double> submits = new ArrayList<>();
    int lostTotal = 0;
    int failedTotal = 0;
    int warmTotal = 0;
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
        for (FfmpegTask t : stackTasks()) {
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
      int onWarm = 0;
      Set<String> ours = new HashSet<>(ids);
      for (FfmpegTask t : stackTasks()) {
        String id = t.getMetadata().getName();
        if (ours.contains(id)
            && t.getStatus() != null
            && ranOnWarmWorker(id, t.getStatus().getJobName())) {
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
      log(
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
            nodeCapacity(),
            warmCount(),
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
    findings.add(
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
            nodeCapacity(),
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
    // The stack runs in this JVM, so its flags are the stack's (make run's).
    s.append("| flags of the bench's JVM (and the stack's) | `")
        .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
        .append("` |\n");
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
