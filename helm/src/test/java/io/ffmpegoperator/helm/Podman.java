package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.dev.node.PodmanSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * podman for the container tests: whether it runs here, the project's images built from this
 * checkout, and commands against containers.
 */
final class Podman {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final PodmanSettings SETTINGS =
      PodmanSettings.of(
          System.getenv("CONTAINERS_CONF") == null ? ROOT.resolve("images/containers.conf") : null);

  private Podman() {}

  /**
   * Runs a test class only where podman answers; elsewhere its tests are reported skipped with the
   * reason, which the build's output also prints: the only reason these tests are skipped (CI
   * installs podman, so they run there).
   */
  static final class Required implements ExecutionCondition {
    private static ConditionEvaluationResult result;

    @Override
    public synchronized ConditionEvaluationResult evaluateExecutionCondition(
        ExtensionContext context) {
      if (result == null) {
        result = check();
        if (result.isDisabled()) {
          System.out.println("[container tests] skipped: " + result.getReason().orElse(""));
        }
      }
      return result;
    }

    private static ConditionEvaluationResult check() {
      Result info;
      try {
        info = run(List.of("podman", "info", "--format", "{{.Host.OCIRuntime.Name}}"), 60);
      } catch (IOException e) {
        info = new Result(-1, "podman is not installed (" + e.getMessage() + ")");
      }
      return info.exitCode() == 0
          ? ConditionEvaluationResult.enabled("podman answers")
          : ConditionEvaluationResult.disabled(
              "no container runtime: "
                  + info.output().strip()
                  + "; apt-get install podman runc mmdebstrap to run the container tests");
    }
  }

  /**
   * Builds the three images from this checkout with {@code images/build.sh}, so the containers run
   * the code under test; the base images are made once and kept.
   */
  static void buildImages() throws IOException {
    List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q"));
    String repo = System.getProperty("maven.repo.local");
    if (repo != null) {
      mvn.add("-Dmaven.repo.local=" + repo);
    }
    ProcessBuilder build =
        new ProcessBuilder("bash", ROOT.resolve("images/build.sh").toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    build.environment().put("MVN", String.join(" ", mvn));
    build.environment().put("ENGINE", "podman");
    Result built = run(build, 1200);
    assertThat(built.exitCode()).as("images/build.sh:\n%s", built.output()).isZero();
  }

  /** {@code podman <args>}, its exit code and output (stdout and stderr). */
  static Result podman(String... args) throws IOException {
    List<String> line = new ArrayList<>(List.of("podman"));
    line.addAll(List.of(args));
    return run(line, 120);
  }

  record Result(int exitCode, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) throws IOException {
    return run(new ProcessBuilder(command).redirectErrorStream(true), timeoutSeconds);
  }

  private static Result run(ProcessBuilder builder, int timeoutSeconds) throws IOException {
    if (SETTINGS.containersConf() != null) {
      builder.environment().put("CONTAINERS_CONF", SETTINGS.containersConf().toString());
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output + "\n(timed out after " + timeoutSeconds + " s)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new Result(process.exitValue(), output);
  }
}
