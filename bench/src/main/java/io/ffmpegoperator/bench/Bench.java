package io.ffmpegoperator.bench;

import io.ffmpegoperator.dev.ffmpeg.Directories;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.StackConfig;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code make bench}: starts the embedded stack in this JVM, measures what issue 6 asks for (some
 * parts as processes of their own, see {@link StandaloneProcess}), then writes {@code
 * docs/benchmarks.md} and prints it. Each measured item is an {@link Item} of its own, listed in
 * {@link #items()}; this class runs them and puts the report together around their sections.
 *
 * <p>Arguments: {@code quick|full} and the report's path. A measurement that fails is reported as
 * not measured; the bench then exits with status 1 and keeps its scratch folder for a look.
 */
public final class Bench {
  private final BenchContext context;
  private final Machine machine = new Machine();
  private final List<String> failures = new ArrayList<>();

  private Bench(BenchContext context) {
    this.context = context;
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

  /** The items in the order they run, each with its title; the report lists them by number. */
  private static List<Titled> items() {
    SmallTaskLatency latency = new SmallTaskLatency();
    return List.of(
        new Titled("1. Overhead ratio", new Overhead()),
        new Titled("2. Small-task latency", latency),
        new Titled("3. Throughput", new Throughput(latency)),
        new Titled("4. API", new ApiLoad()),
        new Titled("5. Upload", new UploadMemory()),
        // Before 6: the thousands of tasks 6 leaves in the API server would weigh on what follows.
        new Titled("7. Library operations", new LibraryOperations()),
        new Titled("8. Containers", new Containers()),
        new Titled("9. Integrations", new Integrations()),
        new Titled("10. Parallel encode", new ParallelEncode()),
        new Titled("6. Control plane", new ControlPlaneScale()));
  }

  /** An item and its title: {@code <number>. <name>}, which a section saying it failed shows. */
  private record Titled(String title, Item item) {}

  /** The item's section, or a note that it could not be measured and why. */
  private String measure(Titled titled) {
    String title = titled.title();
    try {
      return titled.item().run(context);
    } catch (Exception e) {
      Log.line(title + " failed: " + e);
      e.printStackTrace();
      failures.add(title);
      context.finding(title + " could not be measured in this run: " + e);
      return "## " + title + "\n\nNot measured in this run: `" + e + "`.\n\n";
    }
  }

  private String run(double t0) throws Exception {
    Plan plan = context.plan();
    String machineSection = machine.section(plan, context.stack().ffmpeg().ffmpeg());
    String warmUp = StackWarmUp.run(context);
    // By the item's number, which its title starts with: the report's order.
    Map<Integer, String> sections = new TreeMap<>();
    String only = System.getProperty("bench.only", "").strip();
    for (Titled item : items()) {
      String number = item.title().substring(0, item.title().indexOf('.'));
      if (only.isEmpty() || List.of(only.split(",")).contains(number)) {
        sections.put(Integer.parseInt(number), measure(item));
      }
    }
    double totalS = (Clock.nowMs() - t0) / 1000;

    StringBuilder report = new StringBuilder();
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
    report.append(machineSection);
    report.append(
        String.format(Locale.ROOT, "\nWhole bench took %.0f s, stack start included.\n\n", totalS));
    report.append(method(warmUp));
    sections.values().forEach(report::append);
    report.append("## What is slow and why\n\n");
    List<String> findings = new ArrayList<>();
    machine.busy().ifPresent(findings::add);
    findings.addAll(context.findings());
    for (String f : findings) {
      report.append("- ").append(f).append('\n');
    }
    report.append("\n## Not yet measured\n\n");
    report.append(
        "- A real cluster (kind or otherwise): every number here is the embedded stack.\n");
    return report.toString();
  }

  /** The Method section; {@code warmUp} is its last line, on the warm-up before item 1. */
  private String method(String warmUp) {
    int warm = context.warmPool().count();
    return "## Method\n\n"
        + String.format(
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
                + " once the claimed Job has finished (`WarmPool`), so that no JVM starts beside"
                + " its ffmpeg."
                + " The local node runs at most `nproc` + %d = %d pods at once (room for the"
                + " idle warm pods, which use no CPU). Each pod is a worker JVM started as"
                + " `LocalWorkerJvm` sets it up (the worker's own jars, C1 only, serial GC,"
                + " and a class data sharing archive trained at the stack's first start after"
                + " a build), and the operator reports progress every second. Before items 1"
                + " and 2 are timed the bench waits until %d unclaimed warm pods have logged"
                + " `%s`, so the first measured task does not meet a pool still starting.\n",
            warm,
            warm,
            warm,
            WarmWorkers.ALWAYS_WAITING,
            warm,
            context.warmPool().nodeCapacity(),
            warm,
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
        + "\n";
  }
}
