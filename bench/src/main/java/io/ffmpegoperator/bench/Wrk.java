package io.ffmpegoperator.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk, the HTTP load tool, run as a process of its own: found on PATH or installed by apt-get. */
final class Wrk {
  /** One run: what wrk printed, read back. Latencies are wrk's own percentiles. */
  record Result(double requestsPerSecond, double p50Ms, double p99Ms, long requests, long errors) {}

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private final Path executable;
  private final String version;
  private final String provenance;

  private Wrk(Path executable, String version, String provenance) {
    this.executable = executable;
    this.version = version;
    this.provenance = provenance;
  }

  /**
   * wrk from PATH; if it is not there, installed with {@code apt-get install -y wrk} (through
   * {@code sudo -n} unless the bench runs as root, after an {@code apt-get update} if the first
   * attempt fails).
   *
   * @throws IOException when it is neither on PATH nor installable
   */
  static Wrk findOrInstall(Path logDir) throws IOException, InterruptedException {
    String provenance = "found on PATH";
    if (Command.onPath("wrk") == null) {
      Log.line("   wrk is not on PATH: installing it with apt-get");
      provenance = install(logDir);
    }
    Path found = Command.onPath("wrk");
    // "wrk 4.1.0 [epoll] Copyright (C) 2012 Will Glozer", then the usage; it exits 1.
    String version =
        Command.run(
                List.of(found.toString(), "-v"),
                logDir.resolve("wrk-version.log"),
                Duration.ofSeconds(10))
            .output()
            .lines()
            .findFirst()
            .orElse("wrk")
            .replaceAll(" Copyright.*", "");
    return new Wrk(found, version, provenance);
  }

  /** Installs wrk; returns how, for the report. */
  private static String install(Path logDir) throws IOException, InterruptedException {
    List<String> apt = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      apt.addAll(List.of("sudo", "-n"));
    }
    apt.add("apt-get");
    List<String> install = new ArrayList<>(apt);
    install.addAll(List.of("install", "-y", "wrk"));
    List<String> update = new ArrayList<>(apt);
    update.add("update");
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    Duration timeout = Duration.ofMinutes(5);
    double t = Clock.nowMs();
    Command.Result result = Command.run(install, env, logDir.resolve("apt-install.log"), timeout);
    if (!result.ok()) {
      // Perhaps only the package lists are missing or stale.
      Command.run(update, env, logDir.resolve("apt-update.log"), timeout);
      result = Command.run(install, env, logDir.resolve("apt-install.log"), timeout);
    }
    if (!result.ok() || Command.onPath("wrk") == null) {
      throw new IOException(
          "wrk is not on PATH and `"
              + String.join(" ", install)
              + "` failed: "
              + result.output().lines().reduce((first, last) -> last).orElse("no output"));
    }
    return String.format(
        Locale.ROOT,
        "not on PATH, so the bench installed it with `%s` (%.0f s)",
        String.join(" ", install),
        (Clock.nowMs() - t) / 1000);
  }

  /** e.g. "wrk 4.1.0 [epoll]". */
  String version() {
    return version;
  }

  /** How the bench got it, for the report. */
  String provenance() {
    return provenance;
  }

  /**
   * {@code wrk -t2 -c<connections> -d<seconds>s --latency <uri>}, its output kept in {@code log}.
   */
  Result run(URI uri, int connections, int seconds, Path log)
      throws IOException, InterruptedException {
    List<String> argv =
        List.of(
            executable.toString(),
            "-t2",
            "-c" + connections,
            "-d" + seconds + "s",
            "--latency",
            uri.toString());
    Command.Result result = Command.run(argv, log, Duration.ofSeconds(seconds + 60L));
    if (!result.ok()) {
      throw new IOException("wrk failed: " + result.output());
    }
    return parse(result.output());
  }

  static Result parse(String output) throws IOException {
    long errors = (long) number(NON_2XX, output, 0);
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int i = 1; i <= 4; i++) {
        errors += Long.parseLong(socket.group(i));
      }
    }
    double rate = number(RATE, output, -1);
    if (rate < 0) {
      throw new IOException("no Requests/sec in wrk's output: " + output);
    }
    return new Result(
        rate,
        percentileMs(output, 50),
        percentileMs(output, 99),
        (long) number(REQUESTS, output, 0),
        errors);
  }

  // "Latency Distribution" lines: "     99%   12.34ms"; wrk picks us, ms, s or m per value.
  private static double percentileMs(String output, int percent) throws IOException {
    Matcher m = Pattern.compile("\\s" + percent + "%\\s+([\\d.]+)(us|ms|s|m)\\b").matcher(output);
    if (!m.find()) {
      throw new IOException("no " + percent + "% latency in wrk's output (--latency?)");
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "ms" -> value;
      case "s" -> value * 1000;
      default -> value * 60_000;
    };
  }

  private static double number(Pattern p, String output, double otherwise) {
    Matcher m = p.matcher(output);
    return m.find() ? Double.parseDouble(m.group(1)) : otherwise;
  }
}
