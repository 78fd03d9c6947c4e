package io.ffmpegoperator.bench;

import io.ffmpegoperator.bridge.BridgeMain;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.operator.OperatorMain;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.storage.S3Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API bridge or the operator as its own JVM ({@link BridgeMain} or {@link OperatorMain} with
 * the bench's classpath, as its container runs it) against the embedded stack's Kubernetes API and
 * S3, so that its memory and CPU can be read apart from everything else the bench runs.
 *
 * <p>Its folder holds its log ({@code out.log}), its GC log ({@code gc.log}) and its temporary
 * files; the process is stopped on {@link #close()} or, failing that, when the bench's JVM exits.
 */
final class StandaloneProcess implements AutoCloseable {
  /**
   * A part's container: the memory limit the Helm chart gives it and the share of it that its
   * image's ENTRYPOINT gives the heap.
   */
  record Container(String memoryLimit, long memoryLimitBytes, int maxRamPercentage) {
    List<String> jvmFlags() {
      return List.of(
          // The heap is sized from MaxRAM as it would be from the container's cgroup limit.
          "-XX:MaxRAM=" + memoryLimitBytes,
          "-XX:MaxRAMPercentage=" + maxRamPercentage,
          // JDK 17 takes G1 only with at least 1792 MB of memory: in this container it runs Serial.
          "-XX:+UseSerialGC",
          "-XX:+ExitOnOutOfMemoryError");
    }

    @Override
    public String toString() {
      return "Serial GC, heap up to "
          + maxRamPercentage
          + "% of the chart's "
          + memoryLimit
          + " memory limit";
    }
  }

  /** helm values {@code bridge.resources.limits.memory}; images/api-bridge/Dockerfile. */
  static final Container BRIDGE = new Container("1Gi", 1L << 30, 70);

  /** helm values {@code operator.resources.limits.memory}; images/operator/Dockerfile. */
  static final Container OPERATOR = new Container("512Mi", 512L << 20, 60);

  /** One collection as {@code -Xlog:gc} tells it: heap used before and after, in bytes. */
  record Collection(int id, long usedBefore, long usedAfter) {}

  // "GC(12) Pause Young (Allocation Failure) 34M->5M(59M) 3.061ms"
  private static final Pattern COLLECTION =
      Pattern.compile("GC\\((\\d+)\\) .*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  // Linux reports process CPU times in clock ticks of 1/100 s (USER_HZ) on every common platform.
  private static final double TICKS_PER_SECOND = 100;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Process process;
  private final Path dir;
  private final URI uri;
  private final String readyPath;
  private final double startedMs;
  private final Thread stopOnExit;

  private StandaloneProcess(
      String name, Process process, Path dir, URI uri, String readyPath, double startedMs) {
    this.name = name;
    this.process = process;
    this.dir = dir;
    this.uri = uri;
    this.readyPath = readyPath;
    this.startedMs = startedMs;
    this.stopOnExit = new Thread(this::stop, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * A bridge serving the stack's namespace on a free port, sized as in its container.
   *
   * @param jvmFlags added to the container's flags, e.g. logger levels
   */
  static StandaloneProcess bridge(EmbeddedStack stack, Path dir, List<String> jvmFlags)
      throws IOException {
    int port = freePort();
    Map<String, String> env = platformEnv(stack);
    env.put("WATCH_NAMESPACE", stack.config().namespace());
    env.put("BRIDGE_HOST", "127.0.0.1");
    env.put("BRIDGE_PORT", String.valueOf(port));
    env.put(FfmpegBinaries.FFMPEG_PATH, stack.ffmpeg().ffmpeg().toString());
    env.put(FfmpegBinaries.FFPROBE_PATH, stack.ffmpeg().ffprobe().toString());
    return start("bridge", BridgeMain.class, BRIDGE, env, jvmFlags, dir, port, "/ready");
  }

  /** An operator reconciling {@code namespace} only, sized as in its container. */
  static StandaloneProcess operator(EmbeddedStack stack, Path dir, String namespace)
      throws IOException {
    int port = freePort();
    Map<String, String> env = platformEnv(stack);
    env.put("WATCH_NAMESPACES", namespace);
    env.put("OPERATOR_HTTP_PORT", String.valueOf(port));
    return start("operator", OperatorMain.class, OPERATOR, env, List.of(), dir, port, "/readyz");
  }

  /** What both parts read: the stack's kubeconfig, its S3 and which local addresses may be read. */
  private static Map<String, String> platformEnv(EmbeddedStack stack) {
    S3Settings s3 = stack.storage().settings();
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", stack.kubeconfig().toString());
    env.put("S3_BUCKET", s3.bucket());
    env.put("AWS_REGION", s3.region());
    env.put("S3_ENDPOINT_URL", s3.endpoint().toString());
    env.put("S3_PATH_STYLE", String.valueOf(s3.pathStyle()));
    env.put("AWS_ACCESS_KEY_ID", s3.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretAccessKey());
    env.put(AddressPolicy.ALLOWED_NETWORKS_ENV, stack.config().inputAllowedNetworks());
    return env;
  }

  private static StandaloneProcess start(
      String name,
      Class<?> main,
      Container container,
      Map<String, String> env,
      List<String> jvmFlags,
      Path dir,
      int port,
      String readyPath)
      throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(container.jvmFlags());
    argv.add("-Xlog:gc:file=" + dir.resolve("gc.log"));
    // Uploads are buffered under java.io.tmpdir: keep them in the bench's scratch folder.
    argv.add("-Djava.io.tmpdir=" + tmp);
    argv.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    argv.addAll(jvmFlags);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(main.getName());
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile());
    // Nothing from the bench's own environment (API keys, a kubeconfig, AWS settings) leaks in.
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("LANG", "C.UTF-8");
    builder.environment().putAll(env);
    double startedMs = Clock.nowMs();
    Process process = builder.start();
    Log.line("   started the " + name + " as process " + process.pid() + " (" + container + ")");
    return new StandaloneProcess(
        name, process, dir, URI.create("http://127.0.0.1:" + port), readyPath, startedMs);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Where it serves HTTP (the API for the bridge; metrics and probes for the operator). */
  URI uri() {
    return uri;
  }

  private long pid() {
    return process.pid();
  }

  /** Its stdout and stderr. */
  Path log() {
    return dir.resolve("out.log");
  }

  /** When the process was started, in {@link Clock#nowMs()}. */
  double startedMs() {
    return startedMs;
  }

  /**
   * Waits until its readiness probe answers 200; returns when that was, in ms since the start.
   *
   * @throws IOException when the process exits first or {@code timeout} passes
   */
  double awaitReady(Duration timeout) throws IOException, InterruptedException {
    double deadline = Clock.nowMs() + timeout.toMillis();
    while (Clock.nowMs() < deadline) {
      checkAlive();
      try {
        if (get(readyPath).statusCode() == 200) {
          return Clock.nowMs() - startedMs;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      }
      Thread.sleep(50);
    }
    throw new IOException(name + " not ready after " + timeout + ", see " + log());
  }

  /**
   * @throws IOException when the process has exited, e.g. on running out of memory
   */
  void checkAlive() throws IOException {
    if (!process.isAlive()) {
      throw new IOException(name + " exited with code " + process.exitValue() + ", see " + log());
    }
  }

  /** Its {@code /metrics} scrape. */
  PrometheusText metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new IOException(name + " /metrics answered " + r.statusCode());
    }
    return PrometheusText.parse(r.body());
  }

  /** Heap in use now, garbage included: the sum of the heap pools in {@code /metrics}. */
  double heapUsedBytes() throws IOException, InterruptedException {
    return metrics().sum("jvm_memory_used_bytes", "area", "heap");
  }

  /**
   * A full collection ({@code jcmd <pid> GC.run}), so that what the heap holds after it is live.
   */
  void collectGarbage() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Command.Result result =
        Command.run(
            List.of(jcmd.toString(), String.valueOf(pid()), "GC.run"),
            dir.resolve("jcmd.log"),
            Duration.ofMinutes(1));
    if (!result.ok()) {
      throw new IOException("jcmd GC.run failed: " + result.output());
    }
  }

  /** The collections its GC log holds so far, oldest first. */
  List<Collection> collections() throws IOException {
    List<Collection> all = new ArrayList<>();
    Path gcLog = dir.resolve("gc.log");
    if (!Files.exists(gcLog)) {
      return all;
    }
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = COLLECTION.matcher(line);
      if (m.find()) {
        all.add(
            new Collection(
                Integer.parseInt(m.group(1)),
                Long.parseLong(m.group(2)) << 20,
                Long.parseLong(m.group(3)) << 20));
      }
    }
    return all;
  }

  /** Resident set size now (VmRSS), in bytes. */
  long rssBytes() throws IOException {
    return statusField("VmRSS");
  }

  /** The largest resident set size since the start or the last {@link #resetPeakRss()} (VmHWM). */
  long peakRssBytes() throws IOException {
    return statusField("VmHWM");
  }

  /**
   * Makes {@link #peakRssBytes()} start again from the current size (Linux 4.0 and later, for a
   * process of the same user); false when the kernel does not allow it.
   */
  boolean resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc", String.valueOf(pid()), "clear_refs"), "5");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** User plus system CPU time it has used so far, in seconds. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }

  private long statusField(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        // "VmRSS:	  123456 kB"
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip()) * 1024;
      }
    }
    throw new IOException("no " + field + " in /proc/" + pid() + "/status");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Stops it as Kubernetes would: SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs anyway
    }
    stop();
  }

  private void stop() {
    if (!process.isAlive()) {
      return;
    }
    // Taken first: once the JVM is gone, its ffprobe children are no longer its descendants.
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
