package io.ffmpegoperator.bench;

import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.ProjectFiles;
import io.ffmpegoperator.dev.stack.StackConfig;
import io.ffmpegoperator.dev.stack.StackConfig.NodeRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * 8. The cluster's path as far as this machine has it: worker pods as podman containers of the
 * worker image (Debian's ffmpeg and JRE, its trained class archive, the Job's security context and
 * limits), beside the same measurements with pods as processes, in the same run. Each mode gets a
 * stack of its own, without warm workers (every task starts its pod: the cluster's cold path minus
 * the image pull) and with them.
 */
final class Containers implements Item {
  private static final String TITLE = "## 8. Containers: the worker image as a cluster runs it\n\n";
  private static final String TRANSCODE = "-c:v libx264 -preset veryfast";

  @Override
  public String run(BenchContext bench) throws Exception {
    Path root = ProjectFiles.root().orElseThrow(() -> new IOException("not in a checkout"));
    if (!podmanAnswers(bench)) {
      return TITLE
          + "Not measured: podman does not answer here (`apt-get install podman runc mmdebstrap`).\n\n";
    }
    Log.line("8. containers: building the images (images/build.sh)");
    Command.Result build =
        Command.run(
            List.of("bash", root.resolve("images/build.sh").toString()),
            bench.dir("containers").resolve("build.log"),
            Duration.ofMinutes(20));
    if (!build.ok()) {
      throw new IOException("images/build.sh failed, see " + bench.dir("containers"));
    }

    int n = bench.plan().containerRuns();
    Stats processCold = smallTasks(bench, NodeRuntime.PROCESSES, 0, n);
    Stats podmanCold = smallTasks(bench, NodeRuntime.PODMAN, 0, n);
    Stats processWarm =
        smallTasks(bench, NodeRuntime.PROCESSES, StackConfig.DEFAULT_WARM_WORKERS, n);
    Ratio ratio = transcodes(bench, n);

    StringBuilder s = new StringBuilder(TITLE);
    s.append(
        String.format(
            Locale.ROOT,
            "Four stacks of their own, started one after the other beside the main one (whose warm"
                + " pods idle): pods as processes or as podman containers, with %d warm workers or"
                + " none. Small task: item 2's `%s` on the 1 s clip, register → completed, %d runs"
                + " each. Containers run the worker image built by `images/build.sh` in this run"
                + " (%.0f s, base images reused): Debian's ffmpeg 5.1 and OpenJDK 17 JRE with the"
                + " class data archive its build trained, as uid 65532 with a read-only root, no capabilities, the Job's cpu/memory limits, on the host's"
                + " network.\n\n",
            StackConfig.DEFAULT_WARM_WORKERS,
            BenchContext.SMALL_COMMAND,
            n,
            build.ms() / 1000));
    s.append(Report.header());
    s.append(
        Report.row("small task, Job of its own, process pod (ms)", processCold, "%.0f", "", null));
    s.append(
        Report.row("small task, Job of its own, container (ms)", podmanCold, "%.0f", "", null));
    s.append(Report.row("small task, warm process pod (ms)", processWarm, "%.0f", "", null));
    s.append(Report.row("small task, warm container (ms)", ratio.smallWarm(), "%.0f", "", null));
    s.append(
        Report.row(
            "720p transcode, warm container, register → completed (ms)",
            ratio.platform(),
            "%.0f",
            "",
            null));
    s.append(
        Report.row("same ffmpeg bare in a running container (ms)", ratio.bare(), "%.0f", "", null));
    s.append(
        Report.row(
            "platform / bare in containers (ratio)",
            ratio.ratio(),
            "%.2f",
            "≤ 1.10",
            ratio.ratio().median() <= 1.10));
    s.append(
        Report.row(
            "`podman run --rm` of `true` in the worker image (ms)",
            ratio.emptyContainer(),
            "%.0f",
            "",
            null));
    s.append(
        Report.row(
            "`ffprobe -version`, the image's Debian build (ms)",
            ratio.probeInImage(),
            "%.0f",
            "",
            null));
    s.append(
        Report.row(
            "`ffprobe -version`, the bundled static build on the host (ms)",
            ratio.probeHost(),
            "%.0f",
            "",
            null));
    s.append('\n');
    s.append(
        "What differs from a real node: no image pull (the images are local; a first pull of the"
            + " ~800 MB worker image on a node adds its download), no pod network or CNI set-up"
            + " (host network), no kubelet sync loop or container runtime over CRI (the local node"
            + " calls podman directly), and the API server, S3 and operator share this machine's"
            + " cores with the pods.\n\n");
    bench.finding(
        String.format(
            Locale.ROOT,
            "Containers: a small task on a Job of its own took %.0f ms with a container against"
                + " %.0f ms with a process pod (median); on a warm container %.0f ms against %.0f ms"
                + " on a warm process pod. On the cold path the difference is the container's"
                + " start and end (a `podman run --rm` of `true` in the worker image took %.0f ms)"
                + " and Debian's ffmpeg starting slower (below). In containers the 720p transcode's platform/bare ratio was %.2f. Debian's"
                + " ffprobe takes %.0f ms to start against %.0f ms for the static build the process"
                + " pods run (it loads a few hundred shared libraries), and a task starts three such"
                + " processes (the input's check, ffmpeg, the output's check): much of the warm"
                + " container's extra fixed cost. A static ffmpeg in the image would win that back at"
                + " the price of an update channel outside Debian's security support.",
            podmanCold.median(),
            processCold.median(),
            ratio.smallWarm().median(),
            processWarm.median(),
            ratio.emptyContainer().median(),
            ratio.ratio().median(),
            ratio.probeInImage().median(),
            ratio.probeHost().median()));
    return s.toString();
  }

  private static boolean podmanAnswers(BenchContext bench) throws InterruptedException {
    try {
      return Command.run(
              List.of("podman", "info"),
              bench.dir("containers").resolve("podman-info.log"),
              Duration.ofMinutes(1))
          .ok();
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code n} small tasks on a stack of the given kind; register → completed in ms. */
  private static Stats smallTasks(BenchContext bench, NodeRuntime runtime, int warm, int n)
      throws Exception {
    try (Mode mode = Mode.start(bench, runtime, warm)) {
      return Stats.of(mode.smallTasks(n));
    }
  }

  private record Ratio(
      Stats smallWarm,
      Stats platform,
      Stats bare,
      Stats ratio,
      Stats probeInImage,
      Stats probeHost,
      Stats emptyContainer) {}

  /**
   * On warm containers: small tasks, then the 720p transcode of item 1 through the platform and the
   * same ffmpeg (the image's) bare, in a container kept running, timed inside it.
   */
  private static Ratio transcodes(BenchContext bench, int n) throws Exception {
    try (Mode mode = Mode.start(bench, NodeRuntime.PODMAN, StackConfig.DEFAULT_WARM_WORKERS)) {
      Stats small = Stats.of(mode.smallTasks(n));
      Path dir = bench.dir("containers");
      Path clip = dir.resolve("clip.mp4");
      TestClips.make(
          mode.stack().ffmpeg().ffmpeg(), clip, bench.plan().clipSeconds(), 1280, 720, 30, true);
      String key = "bench/inputs/container-clip.mp4";
      mode.stack().storage().put(key, clip);
      String input = "s3://" + mode.stack().storage().bucket() + "/" + key;
      List<Double> platform = new ArrayList<>();
      List<Double> bare = new ArrayList<>();
      List<Double> probeInImage = new ArrayList<>();
      List<Double> probeHost = new ArrayList<>();
      List<Double> emptyContainer = new ArrayList<>();
      try (BareContainer container = BareContainer.start(dir)) {
        for (int i = 0; i < 5; i++) {
          emptyContainer.add(container.emptyContainer(i));
          probeInImage.add(container.ffprobeStart(i));
          probeHost.add(
              Command.run(
                      List.of(
                          mode.stack().ffmpeg().ffprobe().toString(), "-v", "error", "-version"),
                      dir.resolve("probe-host-" + i + ".log"),
                      Duration.ofMinutes(1))
                  .ms());
        }
        for (int i = 0; i < n; i++) {
          mode.context().warmPool().awaitReady();
          platform.add(
              mode.context()
                  .platformTask(
                      "-i in_1 " + TRANSCODE + " out_1", input, "out.mp4", Duration.ofMinutes(5)));
          mode.context().warmPool().awaitReady();
          bare.add(container.transcode("clip.mp4", TRANSCODE, i));
          Log.line(
              String.format(
                  Locale.ROOT,
                  "   container run %d: platform %.0f ms, bare %.0f ms",
                  i + 1,
                  platform.get(i),
                  bare.get(i)));
        }
      }
      return new Ratio(
          small,
          Stats.of(platform),
          Stats.of(bare),
          Stats.ofPairs(platform, bare, (x, y) -> x / y),
          Stats.of(probeInImage),
          Stats.of(probeHost),
          Stats.of(emptyContainer));
    }
  }

  /** A stack of one kind with the bench's client and watch on it. */
  private record Mode(EmbeddedStack stack, TaskFinishes finishes, BenchContext context)
      implements AutoCloseable {
    static Mode start(BenchContext bench, NodeRuntime runtime, int warm) throws Exception {
      String name = "stack-" + runtime.name().toLowerCase(Locale.ROOT) + "-" + warm;
      Log.line("8. containers: " + name);
      EmbeddedStack stack =
          EmbeddedStack.start(
              StackConfig.forTest(bench.scratch().resolve(name))
                  .withWarmWorkers(warm)
                  .withNodeRuntime(runtime));
      TaskFinishes finishes =
          new TaskFinishes(stack.kubernetesClient(), stack.config().namespace());
      return new Mode(
          stack, finishes, new BenchContext(bench.plan(), stack, finishes, bench.scratch()));
    }

    List<Double> smallTasks(int n) throws Exception {
      String input = context.tinyInput();
      // One task first, not timed: the first start of anything (image layers, JIT) is not the
      // steady state the others show.
      context.warmPool().awaitReady();
      context.platformTask(BenchContext.SMALL_COMMAND, input, "out.mp4", Duration.ofMinutes(2));
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        context.warmPool().awaitReady();
        ms.add(
            context.platformTask(
                BenchContext.SMALL_COMMAND, input, "out.mp4", Duration.ofMinutes(2)));
      }
      return ms;
    }

    @Override
    public void close() throws Exception {
      finishes.close();
      stack.close();
    }
  }
}
