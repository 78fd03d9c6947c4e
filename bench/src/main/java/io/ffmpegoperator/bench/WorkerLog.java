package io.ffmpegoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one worker pod's log says about its own time: the local node keeps each pod's stderr under
 * {@code <home>/node/<pod>/logs/} (the pod being {@code <job>-<5 characters>}), and the worker logs
 * with millisecond timestamps how long the fetch, ffmpeg and the upload took. All times are epoch
 * milliseconds or durations in ms.
 *
 * <p>A warm worker's pod logs {@value #WAITING} once it has warmed up, then, when a task claimed
 * its Job, {@code task <id>: work order came after N ms of waiting} before the usual lines.
 *
 * @param processStart when the node created the pod's stdout file, just before it started the
 *     worker's JVM; NaN when the JVM wrote to it (its modification time is then later)
 * @param firstLine the worker's first log line, once its JVM and logging are up
 * @param lastLine the worker's last log line ("succeeded in ...")
 * @param storedAt the line saying the last output was stored; NaN when none was
 * @param fetchedBytes the bytes of every input fetched, as logged
 * @param storedBytes the bytes of every output stored, as logged
 * @param waitingSince a warm worker's line saying it waits for a work order; NaN for a task's own
 *     pod
 * @param orderCame a warm worker's line saying its work order came; NaN for a task's own pod
 * @param orderWaitMs how long, by that line, the warm worker had waited for it; NaN if none
 * @param stdout the first line the JVM wrote to stdout (the worker logs to stderr, so this is the
 *     JVM's own, e.g. a class archive it could not use); empty if none
 */
record WorkerLog(
    double processStart,
    double firstLine,
    double lastLine,
    double fetchMs,
    double ffmpegMs,
    double storeMs,
    double storedAt,
    long fetchedBytes,
    long storedBytes,
    double workerTotalMs,
    double waitingSince,
    double orderCame,
    double orderWaitMs,
    String stdout) {
  /** What a warm worker logs once it is ready and starts asking for its order. */
  static final String WAITING = "waiting for a work order";

  private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) ");
  private static final Pattern FETCH =
      Pattern.compile("fetched input \\S+ \\((\\d+) bytes\\) in (\\d+) ms");
  private static final Pattern FFMPEG = Pattern.compile("ffmpeg exited 0 after (\\d+) ms");
  private static final Pattern STORE =
      Pattern.compile("stored output \\S+ \\((\\d+) bytes\\) in (\\d+) ms");
  private static final Pattern TOTAL = Pattern.compile("succeeded in (\\d+) ms");
  private static final Pattern ORDER =
      Pattern.compile("work order came after (\\d+) ms of waiting");

  /** Whether the run started when the order came in a warm pod, or when its own pod started. */
  boolean warm() {
    return !Double.isNaN(orderCame);
  }

  /** When the worker began the task's steps (its "succeeded in" counts from there). */
  double runStart() {
    return lastLine - workerTotalMs;
  }

  /**
   * The log of the Job's first pod that says all of it (fetch, ffmpeg, success), if there is one.
   *
   * @param jobName the task's Job: {@code fft-<task>} or the warm worker's Job it claimed
   */
  static Optional<WorkerLog> of(Path stackHome, String jobName) {
    for (Path pod : podsOf(stackHome, jobName)) {
      Optional<WorkerLog> log = read(pod.resolve("logs"));
      if (log.isPresent()) {
        return log;
      }
    }
    return Optional.empty();
  }

  /** Why {@link #of} finds nothing for this Job: what pod folders and logs there are. */
  static String whyMissing(Path stackHome, String jobName) {
    List<Path> pods = podsOf(stackHome, jobName);
    if (pods.isEmpty()) {
      return "no pod folder " + jobName + "-????? under " + stackHome.resolve("node");
    }
    StringBuilder s = new StringBuilder();
    for (Path pod : pods) {
      Path logs = pod.resolve("logs");
      s.append(pod.getFileName()).append(": ");
      try {
        s.append("stdout ")
            .append(Files.size(logs.resolve("stdout.log")))
            .append(" bytes; stderr: ");
        List<String> lines = Files.readAllLines(logs.resolve("stderr.log"));
        s.append(lines.size()).append(" lines");
        if (!lines.isEmpty()) {
          s.append(", last: ").append(lines.get(lines.size() - 1));
        }
      } catch (IOException | RuntimeException e) {
        s.append(e);
      }
      s.append("; ");
    }
    return s.toString();
  }

  /** Whether a pod of this (warm) Job has logged that it waits for its work order. */
  static boolean waiting(Path stackHome, String jobName) {
    for (Path pod : podsOf(stackHome, jobName)) {
      try {
        Path stderr = pod.resolve("logs").resolve("stderr.log");
        if (Files.exists(stderr) && Files.readString(stderr).contains(WAITING)) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        // being written or gone: not waiting as far as we can tell
      }
    }
    return false;
  }

  /** The pod folders of a Job: {@code <job>-<5 characters>}, oldest name first. */
  private static List<Path> podsOf(Path stackHome, String jobName) {
    Path node = stackHome.resolve("node");
    String prefix = jobName + "-";
    try (Stream<Path> pods = Files.list(node)) {
      return pods.filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.length() == prefix.length() + 5;
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Optional<WorkerLog> read(Path logs) {
    try {
      Path out = logs.resolve("stdout.log");
      String stdout =
          Files.size(out) == 0
              ? ""
              : Files.readAllLines(out).stream().findFirst().orElse("").strip();
      double start = stdout.isEmpty() ? Files.getLastModifiedTime(out).toMillis() : Double.NaN;
      List<String> lines = Files.readAllLines(logs.resolve("stderr.log"));
      LocalDate day = LocalDate.now(ZoneId.systemDefault());
      double first = Double.NaN;
      double last = Double.NaN;
      double fetch = 0;
      double ffmpeg = Double.NaN;
      double store = 0;
      double storedAt = Double.NaN;
      long fetchedBytes = 0;
      long storedBytes = 0;
      double total = Double.NaN;
      double waitingSince = Double.NaN;
      double orderCame = Double.NaN;
      double orderWait = Double.NaN;
      for (String line : lines) {
        Matcher t = TIME.matcher(line);
        if (!t.find()) {
          continue;
        }
        double at =
            LocalTime.parse(t.group(1))
                .atDate(day)
                .atZone(ZoneId.systemDefault())
                .toInstant()
                .toEpochMilli();
        if (Double.isNaN(first)) {
          first = at;
        }
        last = at;
        if (Double.isNaN(waitingSince) && line.contains(WAITING)) {
          waitingSince = at;
        }
        if (Double.isNaN(orderCame)) {
          orderWait = number(ORDER, line, Double.NaN);
          if (!Double.isNaN(orderWait)) {
            orderCame = at;
          }
        }
        fetch += number(FETCH, line, 0);
        fetchedBytes += bytes(FETCH, line);
        storedBytes += bytes(STORE, line);
        ffmpeg = Double.isNaN(ffmpeg) ? number(FFMPEG, line, Double.NaN) : ffmpeg;
        double stored = number(STORE, line, Double.NaN);
        if (!Double.isNaN(stored)) {
          store += stored;
          storedAt = at;
        }
        total = Double.isNaN(total) ? number(TOTAL, line, Double.NaN) : total;
      }
      if (Double.isNaN(first) || Double.isNaN(ffmpeg) || Double.isNaN(total)) {
        return Optional.empty();
      }
      return Optional.of(
          new WorkerLog(
              start,
              first,
              last,
              fetch,
              ffmpeg,
              store,
              storedAt,
              fetchedBytes,
              storedBytes,
              total,
              waitingSince,
              orderCame,
              orderWait,
              stdout));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The pattern's last group, the milliseconds where a line also gives bytes. */
  private static double number(Pattern p, String line, double otherwise) {
    Matcher m = p.matcher(line);
    return m.find() ? Double.parseDouble(m.group(m.groupCount())) : otherwise;
  }

  /** The bytes a fetch or store line gives (its first group); 0 for another line. */
  private static long bytes(Pattern p, String line) {
    Matcher m = p.matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
