package io.ffmpegoperator.worker;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a running ffmpeg against the run's caps, its CPU time and the bytes under the outputs
 * folder, and kills it as soon as one is passed: a command's own options cannot lift them.
 */
final class ResourceWatch implements AutoCloseable {
  /** How often ffmpeg is looked at. */
  static final Duration INTERVAL = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(ResourceWatch.class);

  private final Process process;
  private final Path outputs;
  private final long maxCpuSeconds;
  private final long maxOutputBytes;
  private final ScheduledExecutorService timer;
  private final AtomicReference<String> breach = new AtomicReference<>();

  private ResourceWatch(Process process, Path outputs, long maxCpuSeconds, long maxOutputBytes) {
    this.process = process;
    this.outputs = outputs;
    this.maxCpuSeconds = maxCpuSeconds;
    this.maxOutputBytes = maxOutputBytes;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "ffmpeg-watch");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts watching {@code process}.
   *
   * @param outputs the folder whose files together may hold at most {@code maxOutputBytes}
   * @param maxCpuSeconds most CPU time, all threads together; 0 or less for no cap
   * @param maxOutputBytes 0 or less for no cap
   */
  static ResourceWatch start(
      Process process, Path outputs, long maxCpuSeconds, long maxOutputBytes, Duration interval) {
    ResourceWatch watch = new ResourceWatch(process, outputs, maxCpuSeconds, maxOutputBytes);
    long millis = Math.max(1, interval.toMillis());
    watch.timer.scheduleWithFixedDelay(watch::check, millis, millis, TimeUnit.MILLISECONDS);
    return watch;
  }

  /**
   * Stops watching and returns why ffmpeg was killed, or null. The outputs are measured once more,
   * so a run too short for the timer cannot leave more than the cap behind.
   */
  String finish() {
    close();
    if (breach.get() == null && maxOutputBytes > 0) {
      long size = outputBytes();
      if (size > maxOutputBytes) {
        breach.compareAndSet(null, outputsTooLarge());
      }
    }
    return breach.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void check() {
    try {
      String reason = exceeded();
      if (reason != null && breach.compareAndSet(null, reason)) {
        LOG.warn("stopping ffmpeg: {}", reason);
        process.destroyForcibly();
      }
    } catch (RuntimeException e) {
      // An exception would end the schedule, and with it the caps.
      LOG.warn("could not check ffmpeg's use of resources: {}", e.toString());
    }
  }

  private String exceeded() {
    if (maxCpuSeconds > 0) {
      Optional<Duration> cpu = process.info().totalCpuDuration();
      if (cpu.isPresent() && cpu.get().compareTo(Duration.ofSeconds(maxCpuSeconds)) > 0) {
        return "ffmpeg used more than " + maxCpuSeconds + " s of CPU time";
      }
    }
    if (maxOutputBytes > 0 && outputBytes() > maxOutputBytes) {
      return outputsTooLarge();
    }
    return null;
  }

  private String outputsTooLarge() {
    return "outputs grew past " + maxOutputBytes + " bytes";
  }

  /** The bytes of all files under the outputs folder, counting what can be read while it moves. */
  private long outputBytes() {
    long[] total = {0};
    try {
      Files.walkFileTree(
          outputs,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              total[0] += attributes.size();
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // removed while we looked, e.g. a rotated segment
            }
          });
    } catch (IOException e) {
      LOG.warn("could not measure the outputs: {}", e.toString());
    }
    return total[0];
  }
}
