package io.ffmpegoperator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The machine the bench runs on, as the report describes it, and whether others were using it: the
 * load average is read once the stack is up, before the first measurement.
 */
final class Machine {
  private final String loadAtStart = read("/proc/loadavg");

  /**
   * A finding that the machine was shared and busy (load average above its cores at the start), or
   * empty.
   */
  Optional<String> busy() {
    String[] load = loadAtStart.split(" ");
    try {
      double load1 = Double.parseDouble(load[0]);
      if (load1 > Runtime.getRuntime().availableProcessors()) {
        return Optional.of(
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
    return Optional.empty();
  }

  /** The load averages over 1, 5 and 15 minutes now, as {@code /proc/loadavg} gives them. */
  static String loadAverage() {
    String[] load = read("/proc/loadavg").split(" ");
    return load.length < 3 ? "?" : String.join(" ", load[0], load[1], load[2]);
  }

  /** The report's Machine section; {@code plan} is the mode it shows. */
  String section(Plan plan, Path ffmpeg) {
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    rows.put("nproc", Runtime.getRuntime().availableProcessors());
    rows.put("CPU", firstMatch("/proc/cpuinfo", "model name"));
    rows.put("memory", firstMatch("/proc/meminfo", "MemTotal"));
    rows.put("load average at start", loadAtStart);
    rows.put(
        "OS",
        firstMatch("/etc/os-release", "PRETTY_NAME").replace("\"", "")
            + ", kernel "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    rows.put(
        "Java",
        System.getProperty("java.vm.vendor")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")");
    // The stack runs in this JVM, so its flags are the stack's (make run's).
    rows.put(
        "flags of the bench's JVM (and the stack's)",
        "`" + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()) + "`");
    rows.put("ffmpeg", ffmpegVersion(ffmpeg));
    rows.put("mode", plan);
    StringBuilder s = new StringBuilder("## Machine\n\n");
    s.append("| | |\n|---|---|\n");
    rows.forEach(
        (name, value) -> s.append("| ").append(name).append(" | ").append(value).append(" |\n"));
    return s.toString();
  }

  private static String ffmpegVersion(Path ffmpeg) {
    try {
      Process p = new ProcessBuilder(ffmpeg.toString(), "-version").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.lines().findFirst().orElse("?") + " (`" + ffmpeg + "`)";
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
