package io.ffmpegoperator.worker;

import static io.ffmpegoperator.worker.TestingWorker.FAST;
import static io.ffmpegoperator.worker.TestingWorker.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.Ffprobe;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkReport.Phase;
import io.ffmpegoperator.protocol.WorkReport.Step;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker end to end against real ffmpeg and a local HTTP server standing in for S3. */
class WorkerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  // The local server stands in for both input hosts and S3; clusters allow no such network.
  private static final String LOCAL = "127.0.0.1/32";
  private static final String IN_1 = "/media/in_1.mp4";
  private static final RunLimits GENEROUS = limits(100_000_000);
  private static final String COPY = "-i in/in_1.mp4 -c copy out/o.mp4";
  // Reads the input in real time for ever: only a kill ends it. The output path follows.
  private static final String FOREVER = "-re -stream_loop -1 -i in/in_1.mp4 -c copy ";

  private static FfmpegBinaries binaries;
  private static byte[] video;

  @TempDir Path workDir;
  private TestingHttpServer http;

  @BeforeAll
  static void media() throws Exception {
    binaries = TestingFfmpeg.binaries();
    video = Files.readAllBytes(TestingFfmpeg.testVideo(2));
  }

  @BeforeEach
  void startServer() throws Exception {
    http = TestingWorker.serving(video);
  }

  @AfterEach
  void stopServer() {
    http.close();
  }

  @Test
  void encodesUploadsAndReportsProgress() throws Exception {
    // -re paces reading at the media's speed, so a 2 s input gives progress lines on the way.
    WorkOrder order =
        oneInOneOut(
            IN_1,
            "output.mp4",
            GENEROUS,
            "-re -i in/in_1.mp4 -vf scale=80:60 -c:v libx264 -preset ultrafast -pix_fmt yuv420p"
                + " out/output.mp4");

    assertThat(run(order)).isEqualTo(WorkerExitCodes.OK);

    byte[] uploaded = single(http.puts("/s3/output.mp4"));
    JsonNode stream = probe(uploaded).path("streams").get(0);
    assertThat(stream.path("codec_name").asText()).isEqualTo("h264");
    assertThat(stream.path("width").asInt()).isEqualTo(80);
    assertThat(stream.path("height").asInt()).isEqualTo(60);

    List<WorkReport> reports = TestingWorker.reports(http);
    // Hints a newer one replaced before it was written are dropped; the rest keep the run's order.
    assertThat(reports)
        .extracting(WorkReport::phase)
        .contains(Phase.Running)
        .isSortedAccordingTo(Comparator.comparing(Phase::ordinal))
        .endsWith(Phase.Succeeded);
    assertThat(reports)
        .filteredOn(r -> r.phase() == Phase.Running)
        .extracting(WorkReport::progress)
        .anyMatch(p -> p > 0 && p < 100)
        .allMatch(p -> p >= 0 && p <= 99)
        .isSorted();
    WorkReport last = reports.get(reports.size() - 1);
    assertThat(last.progress()).isEqualTo(100);
    assertThat(last.outputs())
        .extracting(WorkReport.OutputSize::name, WorkReport.OutputSize::size)
        .containsExactly(tuple("out_1", (long) uploaded.length));
    MediaInfo media = last.outputs().get(0).media();
    assertThat(media.getVideoCodec()).isEqualTo("h264");
    assertThat(media.resolution()).isEqualTo("80:60");
    assertThat(media.getDurationMillis()).isBetween(1800L, 2200L);
    assertThat(media.getSizeBytes()).isEqualTo(uploaded.length);
    assertThat(Files.size(workDir.resolve("in/in_1.mp4"))).isEqualTo(video.length);
  }

  @Test
  void handlesTwoInputsAndTwoOutputsThroughARedirect() throws Exception {
    http.serve("/media/in_2.mp4", video, true);
    http.redirect("/moved/in_2.mp4", "/media/in_2.mp4");
    WorkOrder order =
        order(
            args(
                "-i in/in_1.mp4 -i in/in_2.mp4 -map 0:v -c copy out/a.mp4"
                    + " -map 1:v -c:v mpeg4 -s 96x72 out/b.mkv"),
            List.of(
                input("in_1", IN_1, "in/in_1.mp4"),
                input("in_2", "/moved/in_2.mp4", "in/in_2.mp4")),
            List.of(
                output("out_1", "out/a.mp4", "/s3/a.mp4"),
                output("out_2", "out/b.mkv", "/s3/b.mkv")),
            GENEROUS,
            LOCAL);

    assertThat(run(order)).isEqualTo(WorkerExitCodes.OK);

    byte[] a = single(http.puts("/s3/a.mp4"));
    byte[] b = single(http.puts("/s3/b.mkv"));
    assertThat(probe(b).path("streams").get(0).path("codec_name").asText()).isEqualTo("mpeg4");
    List<WorkReport.OutputSize> outputs = lastReport().outputs();
    assertThat(outputs)
        .extracting(WorkReport.OutputSize::name, WorkReport.OutputSize::size)
        .containsExactly(tuple("out_1", (long) a.length), tuple("out_2", (long) b.length));
    assertThat(outputs.get(0).media().getVideoCodec()).isEqualTo("h264");
    assertThat(outputs.get(1).media().getVideoCodec()).isEqualTo("mpeg4");
    assertThat(outputs.get(1).media().getFormatName()).isEqualTo("matroska,webm");
  }

  @Test
  void joinsInputsThroughAConcatList() throws Exception {
    Path first = TestingFfmpeg.clip(1, 96, 72, 10, true);
    Path second = TestingFfmpeg.clip(1.5, 96, 72, 10, true);
    http.serve("/media/a.mp4", Files.readAllBytes(first), false);
    http.serve("/media/b.mp4", Files.readAllBytes(second), true);
    WorkOrder order =
        new WorkOrder(
            "task-1",
            args("-f concat -i in/parts.ffconcat -c copy out/joined.mp4"),
            List.of(
                input("in_1", "/media/a.mp4", "in/in_1.mp4"),
                input("in_2", "/media/b.mp4", "in/in_2.mp4")),
            List.of(
                new WorkOrder.ConcatList(
                    "parts", "in/parts.ffconcat", List.of("in_1", "in_2", "in_1"))),
            List.of(output("joined", "out/joined.mp4", "/s3/joined.mp4")),
            http.url(TestingWorker.REPORT_PATH),
            GENEROUS,
            LOCAL);

    assertThat(run(order)).isEqualTo(WorkerExitCodes.OK);

    assertThat(Files.readString(workDir.resolve("in/parts.ffconcat")))
        .isEqualTo("ffconcat version 1.0\nfile 'in_1.mp4'\nfile 'in_2.mp4'\nfile 'in_1.mp4'\n");
    JsonNode firstProbe = probe(Files.readAllBytes(first));
    double expected = 2 * duration(firstProbe) + duration(probe(Files.readAllBytes(second)));
    byte[] joined = single(http.puts("/s3/joined.mp4"));
    JsonNode joinedProbe = probe(joined);
    assertThat(duration(joinedProbe)).isCloseTo(expected, within(0.2));
    JsonNode inputVideo = videoStream(firstProbe);
    JsonNode joinedVideo = videoStream(joinedProbe);
    assertThat(joinedVideo.path("codec_name").asText())
        .isEqualTo(inputVideo.path("codec_name").asText())
        .isEqualTo("h264");
    // Stream copy keeps the encoder's parameters as they were.
    assertThat(joinedVideo.path("profile").asText()).isEqualTo(inputVideo.path("profile").asText());
    assertThat(joinedVideo.path("pix_fmt").asText()).isEqualTo(inputVideo.path("pix_fmt").asText());

    WorkReport last = lastReport();
    assertThat(last.phase()).isEqualTo(Phase.Succeeded);
    assertThat(last.outputs()).hasSize(1);
    WorkReport.OutputSize stored = last.outputs().get(0);
    assertThat(stored.name()).isEqualTo("joined");
    assertThat(stored.size()).isEqualTo(joined.length);
    assertThat(stored.media().getVideoCodec()).isEqualTo("h264");
    assertThat(stored.media().getAudioCodec()).isEqualTo("aac");
    assertThat(stored.media().getWidth()).isEqualTo(96);
    assertThat(stored.media().getHeight()).isEqualTo(72);
    assertThat(stored.media().getDurationMillis())
        .isCloseTo((long) (expected * 1000), within(200L));
  }

  @Test
  void brokenConcatListsAreSetupFailures() throws Exception {
    Map<WorkOrder.ConcatList, String> broken = new java.util.LinkedHashMap<>();
    broken.put(
        new WorkOrder.ConcatList("parts", "in/parts.ffconcat", List.of("in_1", "in_9")),
        "the concat list 'parts' names an unknown input 'in_9'");
    broken.put(
        new WorkOrder.ConcatList("parts", "../parts.ffconcat", List.of("in_1")),
        "the local path of 'parts' is outside the work directory");
    broken.put(
        new WorkOrder.ConcatList("parts", "/tmp/parts.ffconcat", List.of("in_1")),
        "the local path of 'parts' is outside the work directory");
    broken.put(
        new WorkOrder.ConcatList("parts", "in/in_1.mp4", List.of("in_1")),
        "the concat list 'parts' has the path of another file");
    broken.put(
        new WorkOrder.ConcatList("parts", "in/parts.ffconcat", List.of()),
        "the work order has an incomplete concat list");
    for (Map.Entry<WorkOrder.ConcatList, String> list : broken.entrySet()) {
      WorkOrder order =
          new WorkOrder(
              "task-1",
              args("-f concat -i in/parts.ffconcat -c copy out/o.mp4"),
              List.of(input("in_1", IN_1, "in/in_1.mp4")),
              List.of(list.getKey()),
              List.of(output("out_1", "out/o.mp4", "/s3/o.mp4")),
              http.url(TestingWorker.REPORT_PATH),
              GENEROUS,
              LOCAL);

      assertThat(run(order)).as(list.getValue()).isEqualTo(WorkerExitCodes.SETUP_FAILED);
      assertFailed(Step.Setup, list.getValue());
    }
    // Refused before any fetch.
    assertThat(workDir.resolve("in/in_1.mp4")).doesNotExist();
    assertThat(http.puts("/s3/o.mp4")).isEmpty();
  }

  @Test
  void outputThatDoesNotProbeIsStoredWithoutMedia() throws Exception {
    WorkOrder order =
        oneInOneOut(
            IN_1, "frame.raw", GENEROUS, "-i in/in_1.mp4 -frames:v 1 -f rawvideo out/frame.raw");

    assertThat(run(order)).isEqualTo(WorkerExitCodes.OK);

    byte[] frame = single(http.puts("/s3/frame.raw"));
    WorkReport last = lastReport();
    assertThat(last.phase()).isEqualTo(Phase.Succeeded);
    assertThat(last.outputs())
        .extracting(
            WorkReport.OutputSize::name, WorkReport.OutputSize::size, WorkReport.OutputSize::media)
        .containsExactly(tuple("out_1", (long) frame.length, null));
  }

  @Test
  void missingInputFailsNamingIt() throws Exception {
    WorkOrder order = oneInOneOut("/media/nope.mp4", "o.mp4", GENEROUS, "-i in/in_1.mp4 out/o.mp4");

    assertFails(
        order,
        WorkerExitCodes.INPUT_FAILED,
        Step.Input,
        "input 'in_1' could not be fetched: HTTP 404");
    assertThat(http.puts("/s3/o.mp4")).isEmpty();
  }

  @Test
  void tooLargeInputFails() throws Exception {
    http.serve("/media/big.mp4", video, true);
    for (String path : List.of(IN_1, "/media/big.mp4")) {
      WorkOrder order = oneInOneOut(path, "o.mp4", limits(1000), "-i in/in_1.mp4 out/o.mp4");

      assertThat(run(order)).as(path).isEqualTo(WorkerExitCodes.INPUT_FAILED);
      assertFailed(Step.Input, "input 'in_1' could not be fetched: larger than 1000 bytes");
    }
  }

  @Test
  void refusedAddressFailsTheInputStepBeforeAnyConnection() throws Exception {
    try (RecordingListener listener = new RecordingListener("127.0.0.1")) {
      String url = "http://127.0.0.1:" + listener.port() + "/in_1.mp4";
      WorkOrder order =
          order(
              args(COPY),
              List.of(new WorkOrder.Input("in_1", url, "in/in_1.mp4", false)),
              List.of(output("out_1", "out/o.mp4", "/s3/o.mp4")),
              GENEROUS,
              "");

      assertFails(
          order,
          WorkerExitCodes.INPUT_FAILED,
          Step.Input,
          "input 'in_1' could not be fetched: 127.0.0.1 resolves to a loopback address, which"
              + " inputs may not reach");
      assertThat(listener.hits()).isZero();
      assertThat(workDir.resolve("in/in_1.mp4")).doesNotExist();
    }
  }

  @Test
  void storageInputsSkipTheAddressPolicy() throws Exception {
    WorkOrder order =
        order(
            args(COPY),
            List.of(new WorkOrder.Input("in_1", http.url(IN_1), "in/in_1.mp4", true)),
            List.of(output("out_1", "out/o.mp4", "/s3/o.mp4")),
            GENEROUS,
            "");

    assertThat(run(order)).isEqualTo(WorkerExitCodes.OK);
    assertThat(single(http.puts("/s3/o.mp4"))).hasSize(video.length);
  }

  @Test
  void playlistsAreNeverOpened(@TempDir Path elsewhere) throws Exception {
    // A real segment on local disk, and one on a listener that counts connections: a playlist
    // that got opened would copy the one or fetch the other.
    Path secret = elsewhere.resolve("secret.ts");
    ffmpeg("-i", TestingFfmpeg.testVideo(2).toString(), "-c", "copy", "-f", "mpegts", secret);
    byte[] secretBytes = Files.readAllBytes(secret);
    byte[] window = Arrays.copyOfRange(secretBytes, 1000, 1188);
    try (RecordingListener listener = new RecordingListener("127.0.0.1")) {
      // The local segment comes first: opened as a playlist, it alone would make a readable file.
      String playlist =
          "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n"
              + secret
              + "\n#EXTINF:2.0,\nhttp://127.0.0.1:"
              + listener.port()
              + "/segment.ts\n#EXT-X-ENDLIST\n";
      http.serve("/media/list.mp4", playlist.getBytes(StandardCharsets.UTF_8), false);
      // Saved as .mp4 (what a command would claim), and under a playlist's own name.
      for (String local : List.of("in/in_1.mp4", "in/in_1.m3u8")) {
        WorkOrder order =
            order(
                args("-i " + local + " -c copy -f mpegts out/o.ts"),
                List.of(input("in_1", "/media/list.mp4", local)),
                List.of(output("out_1", "out/o.ts", "/s3/o.ts")),
                GENEROUS,
                LOCAL);

        assertThat(run(order)).as(local).isEqualTo(WorkerExitCodes.INPUT_FAILED);
        assertFailed(Step.Input, "input 'in_1' is not usable media: unsupported format");
      }
      assertThat(listener.hits()).isZero();
    }
    assertThat(http.puts("/s3/o.ts")).isEmpty();
    try (var files = Files.walk(workDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(indexOf(Files.readAllBytes(file), window)).as(file.toString()).isEqualTo(-1);
      }
    }
  }

  @Test
  void textIsNoMedia() throws Exception {
    http.serve("/media/notes.mp4", "just some text\n".getBytes(StandardCharsets.UTF_8), false);
    WorkOrder order = oneInOneOut("/media/notes.mp4", "o.mp4", GENEROUS, COPY);

    assertFails(
        order,
        WorkerExitCodes.INPUT_FAILED,
        Step.Input,
        "input 'in_1' is not usable media: unsupported format");
  }

  @Test
  void mediaOverTheCapsIsRefused() throws Exception {
    RunLimits smallFrames =
        new RunLimits(100_000_000, 30, 1_000_000_000, 120, new MediaPolicy(16, 100, 10_000, 60));
    WorkOrder order = oneInOneOut(IN_1, "o.mp4", smallFrames, COPY);

    assertFails(
        order,
        WorkerExitCodes.INPUT_FAILED,
        Step.Input,
        "input 'in_1' is not usable media: its 160x120 frames exceed the limit of 100 pixels a"
            + " side and 10000 pixels a frame");
  }

  @Test
  void cpuTimeIsCapped() throws Exception {
    // Loops for ever at a size that keeps both cores busy: only the cap ends it.
    RunLimits oneCpuSecond =
        new RunLimits(100_000_000, 30, 1_000_000_000, 1, MediaPolicy.defaults());
    WorkOrder order =
        oneInOneOut(
            IN_1,
            "o.mkv",
            oneCpuSecond,
            "-stream_loop -1 -i in/in_1.mp4 -vf scale=1280:960 -c:v libx264 -preset slow"
                + " -f matroska out/o.mkv");

    assertEndedByTheCap(order, "ffmpeg used more than 1 s of CPU time", "/s3/o.mkv");
  }

  @Test
  void outputSizeIsCapped() throws Exception {
    // Raw frames (28.8 KB each) at the input's pace, for ever: only the cap ends it.
    RunLimits smallOutputs = new RunLimits(100_000_000, 30, 100_000, 120, MediaPolicy.defaults());
    WorkOrder order =
        oneInOneOut(
            IN_1,
            "o.nut",
            smallOutputs,
            "-re -stream_loop -1 -i in/in_1.mp4 -c:v rawvideo -f nut out/o.nut");

    assertEndedByTheCap(order, "outputs grew past 100000 bytes", "/s3/o.nut");
  }

  @Test
  void unknownEncoderFailsWithAShortMessage() throws Exception {
    WorkOrder order = oneInOneOut(IN_1, "o.mp4", GENEROUS, "-i in/in_1.mp4 -c:v libnope out/o.mp4");

    assertFails(
        order,
        WorkerExitCodes.FFMPEG_FAILED,
        Step.Ffmpeg,
        "ffmpeg failed (exit 8): Unknown encoder 'libnope'");
  }

  @Test
  void ffmpegKilledFromOutsideIsRetriedAsKilled(@TempDir Path cgroup) throws Exception {
    oomKills(cgroup, 0);
    WorkOrder order = oneInOneOut(IN_1, "killed.mkv", GENEROUS, FOREVER + "out/killed.mkv");

    assertThat(runKillingFfmpeg(order, cgroup, "out/killed.mkv", () -> null))
        .isEqualTo(WorkerExitCodes.FFMPEG_KILLED);
    assertFailed(Step.Killed, "ffmpeg was killed by signal 9 (SIGKILL)");
    assertThat(WorkerExitCodes.PERMANENT).doesNotContain(WorkerExitCodes.FFMPEG_KILLED);
  }

  @Test
  void ffmpegKilledByTheOomKillerIsOutOfMemory(@TempDir Path cgroup) throws Exception {
    oomKills(cgroup, 4);
    Files.writeString(cgroup.resolve("memory.max"), "67108864\n");
    WorkOrder order = oneInOneOut(IN_1, "big.mkv", GENEROUS, FOREVER + "out/big.mkv");

    // The kernel counts the kill in the cgroup, then sends SIGKILL: so does the test.
    assertThat(runKillingFfmpeg(order, cgroup, "out/big.mkv", () -> oomKills(cgroup, 5)))
        .isEqualTo(WorkerExitCodes.OUT_OF_MEMORY);
    assertFailed(Step.OutOfMemory, "out of memory (limit 64Mi)");
    assertThat(WorkerExitCodes.PERMANENT).doesNotContain(WorkerExitCodes.OUT_OF_MEMORY);
  }

  @Test
  void failedUploadFails() throws Exception {
    http.answer("/s3/o.mp4", 500);
    WorkOrder order = oneInOneOut(IN_1, "o.mp4", GENEROUS, COPY);

    assertFails(
        order,
        WorkerExitCodes.UPLOAD_FAILED,
        Step.Upload,
        "output 'out_1' could not be stored: HTTP 500");
  }

  @Test
  void outputFfmpegDidNotWriteFails() throws Exception {
    WorkOrder order = oneInOneOut(IN_1, "o.mp4", GENEROUS, "-i in/in_1.mp4 -c copy out/other.mp4");

    assertFails(
        order,
        WorkerExitCodes.UPLOAD_FAILED,
        Step.Upload,
        "ffmpeg wrote no file for output 'out_1'");
  }

  @Test
  void pathOutsideTheWorkDirIsRefused() throws Exception {
    WorkOrder order =
        order(
            args("-i in/in_1.mp4 out/o.mp4"),
            List.of(input("in_1", IN_1, "../in_1.mp4")),
            List.of(output("out_1", "out/o.mp4", "/s3/o.mp4")),
            GENEROUS,
            LOCAL);

    assertThat(run(order)).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    assertThat(lastReport().failedStep()).isEqualTo(Step.Setup);
  }

  @Test
  void mainRunsInItsOwnJvm() throws Exception {
    WorkOrder order = oneInOneOut(IN_1, "o.mp4", GENEROUS, COPY);

    TestingWorker.Exit exit = TestingWorker.runJvm(env(order), workDir.resolve("worker.log"));

    assertThat(exit.code()).as(exit.log()).isEqualTo(WorkerExitCodes.OK);
    assertThat(single(http.puts("/s3/o.mp4"))).hasSize((int) lastReport().outputs().get(0).size());
    assertThat(lastReport().phase()).isEqualTo(Phase.Succeeded);
  }

  @Test
  void missingWorkOrderIsASetupFailure() {
    assertThat(WorkerMain.run(Map.of(), FAST)).isEqualTo(WorkerExitCodes.SETUP_FAILED);
    assertThat(WorkerMain.run(Map.of(WorkOrder.ENV, "{not json"), FAST))
        .isEqualTo(WorkerExitCodes.SETUP_FAILED);
  }

  private int run(WorkOrder order) throws Exception {
    return WorkerMain.run(env(order), FAST);
  }

  /**
   * Runs {@code order} with the memory cgroup at {@code cgroupMount}; once ffmpeg writes {@code
   * output}, runs {@code beforeKill} and kills ffmpeg with SIGKILL. Returns the worker's exit code.
   */
  private int runKillingFfmpeg(
      WorkOrder order, Path cgroupMount, String output, Callable<?> beforeKill) throws Exception {
    Map<String, String> env = env(order);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> WorkerMain.run(env, TestingWorker.fast(cgroupMount)));
    ProcessHandle ffmpeg =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains(output))
                        .findFirst(),
                Optional::isPresent)
            .get();
    beforeKill.call();
    ffmpeg.destroyForcibly();
    return exit.get(30, TimeUnit.SECONDS);
  }

  /** Writes cgroup v2's memory.events under {@code mount}, with {@code kills} OOM kills. */
  private static Void oomKills(Path mount, int kills) throws Exception {
    Files.writeString(
        mount.resolve("memory.events"),
        "low 0\nhigh 0\nmax 0\noom " + kills + "\noom_kill " + kills + "\noom_group_kill 0\n");
    return null;
  }

  private Map<String, String> env(WorkOrder order) throws Exception {
    Map<String, String> env = TestingWorker.env(workDir);
    env.put(WorkOrder.ENV, JSON.writeValueAsString(order));
    return env;
  }

  /** ffmpeg's arguments as written on a command line (none of them holds a space). */
  private static List<String> args(String commandLine) {
    return List.of(commandLine.split(" "));
  }

  /**
   * An order running the ffmpeg {@code commandLine} on in_1, fetched from {@code inputPath} to
   * in/in_1.mp4, that stores out/{@code file} as out_1 at /s3/{@code file}.
   */
  private WorkOrder oneInOneOut(
      String inputPath, String file, RunLimits limits, String commandLine) {
    return order(
        args(commandLine),
        List.of(input("in_1", inputPath, "in/in_1.mp4")),
        List.of(output("out_1", "out/" + file, "/s3/" + file)),
        limits,
        LOCAL);
  }

  private WorkOrder order(
      List<String> args,
      List<WorkOrder.Input> inputs,
      List<WorkOrder.Output> outputs,
      RunLimits limits,
      String allowedNetworks) {
    // No concat lists, as from an operator older than them.
    return new WorkOrder(
        "task-1",
        args,
        inputs,
        null,
        outputs,
        http.url(TestingWorker.REPORT_PATH),
        limits,
        allowedNetworks);
  }

  /** Generous limits but for the input size. */
  private static RunLimits limits(long maxInputBytes) {
    return new RunLimits(maxInputBytes, 30, 1_000_000_000, 120, MediaPolicy.defaults());
  }

  private WorkOrder.Input input(String name, String path, String local) {
    return new WorkOrder.Input(name, http.url(path), local, false);
  }

  private WorkOrder.Output output(String name, String local, String path) {
    return new WorkOrder.Output(name, local, http.url(path));
  }

  private WorkReport lastReport() throws Exception {
    return TestingWorker.lastReport(http);
  }

  /**
   * Runs {@code order}: it must exit with {@code exitCode}, reporting {@code message} at {@code
   * step}.
   */
  private void assertFails(WorkOrder order, int exitCode, Step step, String message)
      throws Exception {
    assertThat(run(order)).isEqualTo(exitCode);
    assertFailed(step, message);
  }

  /**
   * Runs {@code order}, which would run for ever, and checks that its cap ended ffmpeg within 20 s
   * with {@code message} and that nothing was stored at {@code outputPath}.
   */
  private void assertEndedByTheCap(WorkOrder order, String message, String outputPath)
      throws Exception {
    long started = System.nanoTime();
    assertThat(run(order)).isEqualTo(WorkerExitCodes.FFMPEG_FAILED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertFailed(Step.Ffmpeg, message);
    assertThat(http.puts(outputPath)).isEmpty();
  }

  private void assertFailed(Step step, String message) throws Exception {
    WorkReport last = lastReport();
    assertThat(last.phase()).isEqualTo(Phase.Failed);
    assertThat(last.failedStep()).isEqualTo(step);
    assertThat(last.message()).isEqualTo(message);
  }

  private JsonNode probe(byte[] media) throws Exception {
    Path file = Files.createTempFile(workDir, "probe", ".bin");
    Files.write(file, media);
    return new Ffprobe(binaries).streamsAndFormat(file);
  }

  private static double duration(JsonNode probe) {
    return probe.path("format").path("duration").asDouble();
  }

  private static JsonNode videoStream(JsonNode probe) {
    for (JsonNode stream : probe.path("streams")) {
      if (stream.path("codec_type").asText().equals("video")) {
        return stream;
      }
    }
    throw new AssertionError("no video stream in " + probe);
  }

  private static void ffmpeg(Object... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binaries.ffmpeg().toString(), "-v", "error"));
    for (Object arg : args) {
      command.add(arg.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(log).isZero();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
