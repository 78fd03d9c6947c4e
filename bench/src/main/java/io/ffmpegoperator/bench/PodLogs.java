package io.ffmpegoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keeps the logs of a stack's pods once the pods are gone. The local node deletes a pod's folder,
 * logs and all, when its Job goes, and a parallel task's children take their Jobs with them as soon
 * as the task has ended: often before a child's log could be read, and always before the bench has
 * the whole run. A thread hard-links each pod's log files into a folder laid out as a stack's home
 * as soon as they appear; a link is the same file, so it holds every line the pod writes later.
 */
final class PodLogs implements AutoCloseable {
  private static final List<String> FILES = List.of("stdout.log", "stderr.log");

  /** Often enough that no pod, which runs a JVM, lives between two looks. */
  private static final long LOOK_EVERY_MS = 50;

  private final Path pods;
  private final Path home;

  /** Pod folders whose log files are both linked: not looked at again. */
  private final Set<Path> kept = new HashSet<>();

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-pod-logs");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param stackHome the stack's home, whose {@code node/<pod>/logs/} the node writes
   * @param keep where the links go, as {@code keep/node/<pod>/logs/}
   */
  PodLogs(Path stackHome, Path keep) {
    this.pods = stackHome.resolve("node");
    this.home = keep;
    thread.scheduleWithFixedDelay(this::look, 0, LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /** A stack home holding the kept logs, for {@link WorkerLog#of}. */
  Path home() {
    return home;
  }

  private void look() {
    List<Path> all;
    try (Stream<Path> listed = Files.list(pods)) {
      all = listed.toList();
    } catch (IOException | RuntimeException e) {
      return; // the node has made no pod yet
    }
    for (Path pod : all) {
      if (kept.contains(pod.getFileName())) {
        continue;
      }
      boolean both = true;
      for (String name : FILES) {
        Path file = pod.resolve("logs").resolve(name);
        Path link = home.resolve("node").resolve(pod.getFileName()).resolve("logs").resolve(name);
        try {
          if (!Files.exists(link)) {
            Files.createDirectories(link.getParent());
            Files.createLink(link, file);
          }
        } catch (IOException | RuntimeException e) {
          // Not written yet, or the pod went while being looked at.
          both = false;
        }
      }
      if (both) {
        kept.add(pod.getFileName());
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
