package io.ffmpegoperator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to its end with its output (stdout and stderr together) in a log file, which stays
 * for whoever wants to look later; a program still running at the deadline is killed.
 */
final class Command {
  /**
   * @param ms wall time from just before the start to the exit
   */
  record Result(int exitCode, String output, double ms) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private Command() {}

  static Result run(List<String> argv, Path log, Duration timeout)
      throws IOException, InterruptedException {
    return run(argv, Map.of(), log, timeout);
  }

  /**
   * @param env added to the bench's environment
   * @throws IOException when the program cannot start or is still running after {@code timeout}
   */
  static Result run(List<String> argv, Map<String, String> env, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    double start = Clock.nowMs();
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException(argv.get(0) + " still running after " + timeout + ", see " + log);
      }
      double ms = Clock.nowMs() - start;
      return new Result(
          process.exitValue(), Files.readString(log, StandardCharsets.UTF_8).strip(), ms);
    } finally {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  /** The program's path if it is an executable file in a folder of {@code PATH}. */
  static Path onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
