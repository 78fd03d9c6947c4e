package io.ffmpegoperator.bench;

import io.fabric8.kubernetes.api.model.Quantity;
import io.ffmpegoperator.dev.stack.ProjectFiles;
import io.ffmpegoperator.operator.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker image's ffmpeg run bare: a container of the image kept running (so no container start
 * is timed), with the worker's default cpu and memory limits and its user, where ffmpeg runs on a
 * mounted local file and is timed inside the container, from just before it starts to its exit.
 */
final class BareContainer implements AutoCloseable {
  private static final String NAME = "ffop-bench-bare";

  private final Path dir;
  private final Map<String, String> env;

  private BareContainer(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /** Starts the container with {@code dir} mounted at /data (inputs and outputs). */
  static BareContainer start(Path dir) throws IOException, InterruptedException {
    Path conf = ProjectFiles.containersConf();
    Map<String, String> env = conf == null ? Map.of() : Map.of("CONTAINERS_CONF", conf.toString());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    OperatorConfig.WorkerResources limits = OperatorConfig.defaults().worker();
    BareContainer container = new BareContainer(dir, env);
    container.podman(List.of("rm", "--force", "--ignore", NAME), "bare-rm");
    container.podman(
        List.of(
            "run",
            "--detach",
            "--name",
            NAME,
            "--network=none",
            "--user",
            "65532:65532",
            "--read-only",
            "--cap-drop=ALL",
            "--cpus",
            limits.cpuLimit(),
            "--memory",
            Quantity.getAmountInBytes(new Quantity(limits.memoryLimit())).toBigInteger().toString(),
            "--volume",
            dir + ":/data:rw",
            "--entrypoint",
            "sleep",
            OperatorConfig.defaults().workerImage(),
            "infinity"),
        "bare-run");
    return container;
  }

  /** ffmpeg on /data/{@code clip} with {@code args}; returns ffmpeg's own wall time in ms. */
  double transcode(String clip, String args, int i) throws IOException, InterruptedException {
    String script =
        "a=$(date +%s%N); ffmpeg -hide_banner -nostdin -y -loglevel error -nostats -i /data/"
            + clip
            + " "
            + args
            + " /data/bare-container-"
            + i
            + ".mp4 || exit 1; b=$(date +%s%N); echo $(((b - a) / 1000000))";
    Command.Result result = podman(List.of("exec", NAME, "sh", "-c", script), "bare-" + i);
    String[] lines = result.output().strip().split("\n");
    return Double.parseDouble(lines[lines.length - 1].strip());
  }

  /**
   * A container of the worker image that runs {@code true}: what the runtime itself costs a pod
   * (create, start with runc and conmon, exit, removal), timed from outside.
   */
  double emptyContainer(int i) throws IOException, InterruptedException {
    return podman(
            List.of(
                "run",
                "--rm",
                "--network=host",
                "--entrypoint",
                "true",
                OperatorConfig.defaults().workerImage()),
            "empty-" + i)
        .ms();
  }

  /** {@code ffprobe -version} inside the container, timed inside it: a process start's cost. */
  double ffprobeStart(int i) throws IOException, InterruptedException {
    String script =
        "a=$(date +%s%N); ffprobe -v error -version >/dev/null || exit 1; b=$(date +%s%N);"
            + " echo $(((b - a) / 1000000))";
    Command.Result result = podman(List.of("exec", NAME, "sh", "-c", script), "probe-" + i);
    String[] lines = result.output().strip().split("\n");
    return Double.parseDouble(lines[lines.length - 1].strip());
  }

  private Command.Result podman(List<String> args, String log)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("podman"));
    argv.addAll(args);
    Command.Result result =
        Command.run(argv, env, dir.resolve(log + ".log"), Duration.ofMinutes(5));
    if (!result.ok() && !log.equals("bare-rm")) {
      throw new IOException("podman " + args.get(0) + " failed, see " + dir.resolve(log + ".log"));
    }
    return result;
  }

  @Override
  public void close() throws Exception {
    podman(List.of("rm", "--force", "--time", "0", NAME), "bare-rm");
  }
}
