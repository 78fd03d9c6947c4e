package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the worker's end-to-end tests share: quick settings, a worker's environment, a worker run in
 * a JVM of its own, and the reports it stored on a {@link TestingHttpServer}.
 */
final class TestingWorker {
  /** Where the tests' work orders have the worker store its reports. */
  static final String REPORT_PATH = "/s3/report.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Short timeouts and pauses, so that failures and give-ups come within a test's patience. */
  static final WorkerSettings FAST = fast(MemoryCgroup.MOUNT);

  /** {@link #FAST}, reading the memory cgroup mounted at {@code cgroupMount}. */
  static WorkerSettings fast(Path cgroupMount) {
    return new WorkerSettings(
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        Duration.ofMillis(10),
        2,
        Duration.ofMillis(50),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        Duration.ofMillis(50),
        Duration.ofMillis(200),
        cgroupMount);
  }

  private TestingWorker() {}

  /** A stand-in input host and S3 serving {@code video} at /media/in_1.mp4. */
  static TestingHttpServer serving(byte[] video) throws Exception {
    TestingHttpServer server = new TestingHttpServer();
    server.serve("/media/in_1.mp4", video, false);
    return server;
  }

  /** A worker's environment (changeable): its work dir and the test ffmpeg and ffprobe. */
  static Map<String, String> env(Path workDir) throws Exception {
    FfmpegBinaries binaries = TestingFfmpeg.binaries();
    Map<String, String> env = new HashMap<>();
    env.put(WorkerMain.WORK_DIR, workDir.toString());
    env.put(FfmpegBinaries.FFMPEG_PATH, binaries.ffmpeg().toString());
    env.put(FfmpegBinaries.FFPROBE_PATH, binaries.ffprobe().toString());
    return env;
  }

  /** How a worker run in a JVM of its own ended, and what it logged. */
  record Exit(int code, String log) {}

  /**
   * Runs {@link WorkerMain} in a JVM of its own, as in a pod, with only {@code env}'s work order
   * (if any), its output in {@code log}; waits up to a minute for it.
   */
  static Exit runJvm(Map<String, String> env, Path log) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WorkerMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove(WorkOrder.ENV);
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Exit(process.exitValue(), Files.readString(log));
  }

  /** The reports stored at {@link #REPORT_PATH}, oldest first. */
  static List<WorkReport> reports(TestingHttpServer storage) throws Exception {
    List<WorkReport> reports = new ArrayList<>();
    for (byte[] body : storage.puts(REPORT_PATH)) {
      reports.add(JSON.readValue(body, WorkReport.class));
    }
    return reports;
  }

  /** The newest report stored at {@link #REPORT_PATH}; there must be one. */
  static WorkReport lastReport(TestingHttpServer storage) throws Exception {
    List<WorkReport> reports = reports(storage);
    assertThat(reports).isNotEmpty();
    return reports.get(reports.size() - 1);
  }

  /** The one body of {@code bodies}; there must be exactly one. */
  static byte[] single(List<byte[]> bodies) {
    assertThat(bodies).hasSize(1);
    return bodies.get(0);
  }
}
