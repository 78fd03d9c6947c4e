package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.bench.ParallelRun.Child;
import io.ffmpegoperator.bench.ParallelRun.Role;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs item 10's transcode on a stack, as an ordinary task or split into segments, and gathers what
 * the bench saw of it into a {@link ParallelRun}: the watch's times of the task and of each child,
 * each pod's log, kept by {@link PodLogs} since a parallel task's children go as soon as it ends,
 * and its output, downloaded through its link and checked against the input.
 */
final class ParallelRunner {
  /** The stack a run goes to, the bench's client of its API and the bench's eyes on it. */
  record On(
      EmbeddedStack stack,
      ApiClient api,
      TaskFinishes finishes,
      TaskWatch watch,
      PodLogs logs,
      Path dir) {}

  /** Longest a task of this item may take, the slowest path (children one at a time) included. */
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  /** Longest wait for a finished pod's last log line, written as its JVM ends. */
  private static final Duration LOG_WAIT = Duration.ofSeconds(30);

  private static final String OUTPUT = "out.mp4";

  private static final Pattern FRAMES = Pattern.compile("-frames:v (\\d+)");

  private ParallelRunner() {}

  /**
   * Registers the transcode, with {@code segments} segments or as one ordinary task (0), and waits
   * for it; fails unless it completed with {@code expect}'s video frames and an audio stream.
   */
  static ParallelRun measure(On on, String command, String input, int segments, Media expect)
      throws Exception {
    double start = Clock.nowMs();
    String id =
        segments == 0
            ? on.api().register(command, input, OUTPUT)
            : on.api()
                .register(command, input, OUTPUT, Map.of("parallel", Map.of("segments", segments)));
    on.api().awaitCompleted(id, on.finishes(), TIMEOUT);
    double completed = Clock.nowMs();
    List<String> names = new ArrayList<>(List.of(id));
    if (segments > 0) {
      names.addAll(childNames(on.watch(), id));
    }
    if (!on.watch().awaitFinished(names, LOG_WAIT.toMillis())) {
      throw new IOException("the watch did not see every task of " + id + " finished");
    }
    List<Child> children = new ArrayList<>();
    for (String name : names.subList(1, names.size())) {
      children.add(child(on, name, roleOf(id, name)));
    }
    Child task = segments == 0 ? child(on, id, null) : null;
    Media output = output(on, id);
    if (output.videoFrames() != expect.videoFrames() || !output.audio()) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "task %s (segments %d) made %d video frames%s; the input has %d",
              id,
              segments,
              output.videoFrames(),
              output.audio() ? "" : " and no audio",
              expect.videoFrames()));
    }
    return new ParallelRun(
        segments,
        start,
        on.watch().finishedAt(id),
        completed,
        task,
        children,
        output.bytes(),
        output.seconds());
  }

  /** The children the watch saw: probe, each segment from 0 on, audio if there was any, join. */
  private static List<String> childNames(TaskWatch watch, String id) {
    List<String> names = new ArrayList<>(List.of(id + "-probe"));
    for (int k = 0; watch.seenAt(id + "-seg-" + k) != null; k++) {
      names.add(id + "-seg-" + k);
    }
    if (watch.seenAt(id + "-audio") != null) {
      names.add(id + "-audio");
    }
    names.add(id + "-join");
    return names;
  }

  private static Role roleOf(String parent, String child) {
    String suffix = child.substring(parent.length() + 1);
    return suffix.startsWith("seg-") ? Role.SEGMENT : Role.valueOf(suffix.toUpperCase(Locale.ROOT));
  }

  private static Child child(On on, String name, Role role) throws Exception {
    TaskWatch watch = on.watch();
    if (watch.finalState(name) != TaskState.Completed || watch.jobAt(name) == null) {
      throw new IOException(name + " ended " + watch.finalState(name) + " with no Job seen");
    }
    String job = watch.jobName(name);
    double deadline = Clock.nowMs() + LOG_WAIT.toMillis();
    Optional<WorkerLog> log = WorkerLog.of(on.logs().home(), job);
    while (log.isEmpty() && Clock.nowMs() < deadline) {
      Thread.sleep(100);
      log = WorkerLog.of(on.logs().home(), job);
    }
    return new Child(
        name,
        role,
        watch.seenAt(name),
        watch.jobAt(name),
        watch.finishedAt(name),
        WarmPool.ranOnWarmWorker(name, job),
        role == Role.SEGMENT ? frames(watch.command(name)) : 0,
        log.orElseThrow(
            () ->
                new IOException(
                    "no complete log of "
                        + name
                        + "'s pod: "
                        + WorkerLog.whyMissing(on.logs().home(), job))));
  }

  /** The frame count a segment's command gives ({@code -frames:v <n>}). */
  private static long frames(String command) throws IOException {
    Matcher m = FRAMES.matcher(command == null ? "" : command);
    if (!m.find()) {
      throw new IOException("a segment's command without -frames:v: " + command);
    }
    return Long.parseLong(m.group(1));
  }

  /** Downloads the task's output through the link the API gives, probes it, deletes it. */
  private static Media output(On on, String id) throws Exception {
    JsonNode status = on.api().taskStatus(id);
    String url = status.path("output_urls").path("out_1").asText();
    Path file = on.dir().resolve(id + ".mp4");
    try {
      on.api().download(url, file);
      return Media.probe(on.stack().ffmpeg().ffprobe(), file, on.dir());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
