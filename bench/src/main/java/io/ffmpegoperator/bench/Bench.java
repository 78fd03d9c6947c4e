package io.ffmpegoperator.bench;

import io.ffmpegoperator.dev.ffmpeg.Directories;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.StackConfig;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
  private final BenchContext context;
  private final Plan plan;
  private final EmbeddedStack stack;
  private final ApiClient api;
  private final TaskFinishes finishes;
  private final Path scratch;
  private final StringBuilder report = new StringBuilder();
  private final List<String> failures = new ArrayList<>();
  private final SmallTaskLatency smallTaskLatency = new SmallTaskLatency();
  private final String loadAtStart = read("/proc/loadavg");

  private Bench(BenchContext context) {
    this.context = context;
    this.plan = context.plan();
    this.stack = context.stack();
    this.finishes = context.finishes();
    this.scratch = context.scratch();
    this.api = context.api();
  }

  public static void main(String[] args) throws Exception {
    Plan plan = Plan.of(args.length > 0 ? args[0] : "quick");
    Path reportFile = Path.of(args.length > 1 ? args[1] : "benchmarks.md").toAbsolutePath();
    Path scratch = Files.createTempDirectory(Path.of("").toAbsolutePath(), "bench-");
    Log.line("mode " + plan.mode() + ", stack home " + scratch.resolve("stack"));
    double t0 = Clock.nowMs();
    Bench bench;
    String text;
    // The warm workers of make run (StackConfig.fromEnv), which forTest leaves out.
    StackConfig config =
        StackConfig.forTest(scratch.resolve("stack"))
            .withWarmWorkers(StackConfig.DEFAULT_WARM_WORKERS);
    try (EmbeddedStack stack = EmbeddedStack.start(config);
        TaskFinishes finishes =
            new TaskFinishes(stack.kubernetesClient(), stack.config().namespace())) {
      Log.line(String.format(Locale.ROOT, "stack up in %.1f s", (Clock.nowMs() - t0) / 1000));
      bench = new Bench(new BenchContext(plan, stack, finishes, scratch));
      text = bench.run(t0);
    }
    Files.createDirectories(reportFile.getParent());
    Files.writeString(reportFile, text);
    System.out.println();
    System.out.println(text);
    Log.line("written " + reportFile);
    if (!bench.failures.isEmpty()) {
      Log.line(
          "not measured: " + String.join("; ", bench.failures) + "; scratch kept in " + scratch);
      System.exit(1);
    }
    Directories.deleteTree(scratch);
    System.exit(0);
  }

  /** The item's section, or a note that it could not be measured and why. */
  private String measure(String title, Item item) {
    try {
      return item.run(context);
    } catch (Exception e) {
      Log.line(title + " failed: " + e);
      e.printStackTrace();
      failures.add(title);
      context.finding(title + " could not be measured in this run: " + e);
      return "## " + title + "\n\nNot measured in this run: `" + e + "`.\n\n";
    }
  }

  private String run(double t0) throws Exception {
    String machine = machine();
    String warmUp = StackWarmUp.run(context);
    String overhead = measure("1. Overhead ratio", new Overhead());
    String latency = measure("2. Small-task latency", smallTaskLatency);
    String throughput = measure("3. Throughput", new Throughput(smallTaskLatency));
    String apiLoad = measure("4. API", new ApiLoad());
    String upload = measure("5. Upload", new UploadMemory());
    // Before 6: the thousands of tasks 6 leaves in the API server would weigh on what follows.
    String library = measure("7. Library operations", new LibraryOperations());
    String scale = measure("6. Control plane", new ControlPlaneScale());
    double totalS = (Clock.nowMs() - t0) / 1000;

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
                    + " claimed one at once, unless the claim left %d or more pods waiting: then"
                    + " once the claimed pod has finished (`WarmWorkerPool`), so that no JVM"
                    + " starts beside its ffmpeg."
                    + " The local node runs at most `nproc` + %d = %d pods at once (room for the"
                    + " idle warm pods, which use no CPU). Each pod is a worker JVM started as"
                    + " `LocalWorkerJvm` sets it up (the worker's own jars, C1 only, serial GC,"
                    + " and a class data sharing archive trained at the stack's first start after"
                    + " a build), and the operator reports progress every second. Before items 1"
                    + " and 2 are timed the bench waits until %d unclaimed warm pods have logged"
                    + " `%s`, so the first measured task does not meet a pool still starting.\n",
                context.warmPool().count(),
                context.warmPool().count(),
                context.warmPool().count(),
                WarmWorkers.SPARES_FOR_LATE_REFILL,
                context.warmPool().count(),
                context.warmPool().nodeCapacity(),
                context.warmPool().count(),
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
    List<String> findings = new ArrayList<>();
    String[] load = loadAtStart.split(" ");
    try {
      double load1 = Double.parseDouble(load[0]);
      if (load1 > Runtime.getRuntime().availableProcessors()) {
        findings.add(
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
    findings.addAll(context.findings());
    for (String f : findings) {
      report.append("- ").append(f).append('\n');
    }
    report.append("\n## Not yet measured\n\n");
    report.append(
        "- A real cluster (kind or otherwise): every number here is the embedded stack.\n");
    return report.toString();
  }

  private double platformTask(String command, String input, String output, Duration timeout)
      throws Exception {
    return context.platformTask(command, input, output, timeout);
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
