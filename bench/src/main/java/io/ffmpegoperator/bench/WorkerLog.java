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
 * {@code <home>/node/<pod>/logs/}, and the worker logs with millisecond timestamps how long the
 * fetch, ffmpeg and the upload took. All times are epoch milliseconds or durations in ms.
 *
 * @param processStart when the node created the pod's (empty) stdout file, just before it started
 *     the worker's JVM
 * @param firstLine the worker's first log line, once its JVM and logging are up
 * @param lastLine the worker's last log line ("succeeded in ...")
 */
record WorkerLog(
    double processStart,
    double firstLine,
    double lastLine,
    double fetchMs,
    double ffmpegMs,
    double storeMs,
    double workerTotalMs) {
  private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) ");
  private static final Pattern FETCH =
      Pattern.compile("fetched input \\S+ \\(\\d+ bytes\\) in (\\d+) ms");
  private static final Pattern FFMPEG = Pattern.compile("ffmpeg exited 0 after (\\d+) ms");
  private static final Pattern STORE =
      Pattern.compile("stored output \\S+ \\(\\d+ bytes\\) in (\\d+) ms");
  private static final Pattern TOTAL = Pattern.compile("succeeded in (\\d+) ms");

  /** The log of the task's first pod, if it is there and says all of it. */
  static Optional<WorkerLog> of(Path stackHome, String taskId) {
    Path node = stackHome.resolve("node");
    try (Stream<Path> pods = Files.list(node)) {
      Optional<Path> pod =
          pods.filter(p -> p.getFileName().toString().startsWith("fft-" + taskId + "-"))
              .findFirst();
      if (pod.isEmpty()) {
        return Optional.empty();
      }
      Path logs = pod.get().resolve("logs");
      double start = Files.getLastModifiedTime(logs.resolve("stdout.log")).toMillis();
      if (Files.size(logs.resolve("stdout.log")) != 0) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(logs.resolve("stderr.log"));
      LocalDate day = LocalDate.now(ZoneId.systemDefault());
      double first = Double.NaN;
      double last = Double.NaN;
      double fetch = 0;
      double ffmpeg = Double.NaN;
      double store = 0;
      double total = Double.NaN;
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
        fetch += number(FETCH, line, 0);
        ffmpeg = Double.isNaN(ffmpeg) ? number(FFMPEG, line, Double.NaN) : ffmpeg;
        store += number(STORE, line, 0);
        total = Double.isNaN(total) ? number(TOTAL, line, Double.NaN) : total;
      }
      if (Double.isNaN(first) || Double.isNaN(ffmpeg) || Double.isNaN(total)) {
        return Optional.empty();
      }
      return Optional.of(new WorkerLog(start, first, last, fetch, ffmpeg, store, total));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static double number(Pattern p, String line, double otherwise) {
    Matcher m = p.matcher(line);
    return m.find() ? Double.parseDouble(m.group(1)) : otherwise;
  }
}
