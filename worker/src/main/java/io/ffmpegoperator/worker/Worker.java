package io.ffmpegoperator.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.FfmpegErrorSummary;
import io.ffmpegoperator.media.Ffprobe;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkReport.Phase;
import io.ffmpegoperator.protocol.WorkReport.Step;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one work order: fetch inputs, check they are media, write its concat lists, run
 * ffmpeg within the order's limits, probe and upload outputs, report each phase.
 */
final class Worker {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final WorkOrder order;
  private final Path workDir;
  private final FfmpegBinaries binaries;
  private final WorkerSettings settings;
  private final StorageClient http;
  private final ReportWriter reports;
  private final Ffprobe ffprobe;
  // What ffprobe found in each fetched input, by the input's path as the order writes it.
  private final Map<String, JsonNode> probes = new LinkedHashMap<>();
  private CheckedOrder checked;

  Worker(WorkOrder order, Path workDir, FfmpegBinaries binaries, WorkerSettings settings) {
    this.order = order;
    this.workDir = workDir.toAbsolutePath().normalize();
    this.binaries = binaries;
    this.settings = settings;
    // For reports and uploads, to the operator's pre-signed links. Inputs have a client of their
    // own (InputFetcher).
    this.http = new StorageClient(settings.connectTimeout());
    this.reports = new ReportWriter(http, reportUri(order.reportUrl()), settings);
    this.ffprobe = new Ffprobe(binaries.ffprobe(), settings.probeTimeout());
  }

  /** Does the work and returns the worker's exit code. */
  int run() {
    return run(report -> {});
  }

  /**
   * Does the work and returns the worker's exit code; {@code succeeded} gets the final report of a
   * run whose outputs are stored, before that report is stored itself.
   */
  int run(Consumer<WorkReport> succeeded) {
    int exitCode = work(succeeded);
    try {
      http.close();
    } catch (IOException e) {
      // Only an idle connection failed to close, after the outcome was reported.
    }
    return exitCode;
  }

  private int work(Consumer<WorkReport> succeeded) {
    long started = System.nanoTime();
    try {
      checked = CheckedOrder.check(order, workDir);
      reports.phase(Phase.Downloading, 0);
      fetchInputs();
      checkInputMedia();
      writeConcatLists();
      reports.phase(Phase.Running, 0);
      runFfmpeg(expectedSeconds());
      reports.phase(Phase.Uploading, 100);
      List<WorkReport.OutputSize> sizes = uploadOutputs();
      WorkReport report = new WorkReport(Phase.Succeeded, 100, sizes, null, null);
      succeeded.accept(report);
      reports.finish(report);
      LOG.info("task {}: succeeded in {} ms", order.taskId(), millisSince(started));
      return WorkerExitCodes.OK;
    } catch (StepFailedException e) {
      LOG.error("task {}: step {} failed: {}", order.taskId(), e.step(), e.getMessage());
      reports.finish(
          new WorkReport(
              Phase.Failed, reports.lastProgress(), List.of(), e.step(), e.getMessage()));
      return e.step().exitCode();
    }
  }

  private void writeConcatLists() throws StepFailedException {
    for (Map.Entry<Path, String> list : checked.concatFiles().entrySet()) {
      try {
        Files.writeString(list.getKey(), list.getValue(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw setup("a concat list could not be written");
      }
    }
  }

  private void fetchInputs() throws StepFailedException {
    InputFetcher fetcher = new InputFetcher(checked.addresses(), settings.connectTimeout());
    RunLimits limits = checked.limits();
    long cap = limits.maxInputBytes() > 0 ? limits.maxInputBytes() : Long.MAX_VALUE;
    Duration time = settings.transferTimeout();
    if (limits.maxDownloadSeconds() > 0) {
      time = min(time, Duration.ofSeconds(limits.maxDownloadSeconds()));
    }
    for (WorkOrder.Input input : checked.inputs()) {
      long started = System.nanoTime();
      Path target = checked.resolve(input.path(), input.name());
      long bytes = fetcher.fetch(input.name(), input.url(), target, cap, time, input.storage());
      LOG.info(
          "task {}: fetched input {} ({} bytes) in {} ms",
          order.taskId(),
          input.name(),
          bytes,
          millisSince(started));
    }
  }

  /**
   * Probes every fetched input, opening it only with an allowed demuxer (so a playlist is never
   * read as one), and refuses the run unless each is media within the order's caps.
   */
  private void checkInputMedia() throws StepFailedException {
    for (WorkOrder.Input input : checked.inputs()) {
      if (probes.containsKey(input.path())) {
        continue;
      }
      JsonNode probe;
      try {
        probe =
            ffprobe.streamsAndFormat(
                checked.resolve(input.path(), input.name()), MediaPolicy.TASK_INPUT_FORMATS);
      } catch (Ffprobe.UnreadableFileException e) {
        LOG.warn("task {}: input {} refused: {}", order.taskId(), input.name(), e.getMessage());
        throw notMedia(input.name(), "unsupported format");
      } catch (IOException e) {
        LOG.error("task {}: ffprobe could not be run: {}", order.taskId(), e.getMessage());
        throw setup("ffprobe could not be run");
      }
      String refusal = checked.limits().media().refusal(probe, MediaPolicy.TASK_INPUT_FORMATS);
      if (refusal != null) {
        throw notMedia(input.name(), refusal);
      }
      probes.put(input.path(), probe);
    }
  }

  /**
   * The length ffmpeg's progress is measured against: the longest input, or the longest concat list
   * (the sum of its entries) if that is longer; 0 when no input has a duration (progress then waits
   * for the end).
   */
  private double expectedSeconds() {
    Map<String, Double> seconds = new HashMap<>();
    for (WorkOrder.Input input : checked.inputs()) {
      double duration = probes.get(input.path()).path("format").path("duration").asDouble(-1);
      // A still image has none; it then counts for nothing.
      if (duration >= 0 && Double.isFinite(duration)) {
        seconds.putIfAbsent(input.name(), duration);
      }
    }
    return ConcatLists.expectedSeconds(seconds, checked.concatLists());
  }

  /** The order's arguments, each probed input read with the demuxer it was checked for. */
  private List<String> ffmpegArgs() {
    Map<String, String> demuxers = new HashMap<>();
    for (Map.Entry<String, JsonNode> probe : probes.entrySet()) {
      // Present for every accepted probe: the media policy refuses a file without one.
      MediaPolicy.demuxer(probe.getValue(), MediaPolicy.TASK_INPUT_FORMATS)
          .ifPresent(demuxer -> demuxers.put(probe.getKey(), demuxer));
    }
    return ForcedDemuxers.apply(order.args(), demuxers);
  }

  private void runFfmpeg(double durationSeconds) throws StepFailedException {
    long started = System.nanoTime();
    MemoryCgroup cgroup = new MemoryCgroup(settings.cgroupMount());
    // Read before the start, so that only a kill during this run counts.
    OptionalLong oomKillsBefore = cgroup.oomKills();
    FfmpegRunner.Result result;
    try {
      result =
          new FfmpegRunner(
                  binaries.ffmpeg(),
                  workDir,
                  checked.limits().maxCpuSeconds(),
                  checked.limits().maxOutputBytes())
              .run(
                  ffmpegArgs(),
                  durationSeconds,
                  percent -> reports.progress(Math.min(percent, 99)));
    } catch (IOException e) {
      throw setup("ffmpeg could not be started");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailedException(Step.Ffmpeg, "ffmpeg was interrupted");
    }
    LOG.info(
        "task {}: ffmpeg exited {} after {} ms",
        order.taskId(),
        result.exitCode(),
        millisSince(started));
    if (result.stoppedFor() != null) {
      throw new StepFailedException(Step.Ffmpeg, result.stoppedFor());
    }
    int signal = FfmpegKills.signal(result.exitCode());
    if (signal != 0) {
      throw FfmpegKills.failure(signal, oomKillsBefore, cgroup.oomKills(), cgroup);
    }
    if (result.exitCode() != 0) {
      throw new StepFailedException(
          Step.Ffmpeg, FfmpegErrorSummary.summarize(result.exitCode(), result.stderr(), workDir));
    }
  }

  private List<WorkReport.OutputSize> uploadOutputs() throws StepFailedException {
    OutputUploader uploader = new OutputUploader(http, settings.transferTimeout());
    List<WorkReport.OutputSize> sizes = new ArrayList<>();
    for (WorkOrder.Output output : checked.outputs()) {
      Path file = checked.resolve(output.path(), output.name());
      // ffprobe reads the file while it uploads: neither changes it.
      CompletableFuture<MediaInfo> media =
          CompletableFuture.supplyAsync(() -> probeOutput(output.name(), file));
      long started = System.nanoTime();
      long size = uploader.upload(output.name(), file, output.uploadUrl());
      LOG.info(
          "task {}: stored output {} ({} bytes) in {} ms",
          order.taskId(),
          output.name(),
          size,
          millisSince(started));
      sizes.add(new WorkReport.OutputSize(output.name(), size, media.join()));
    }
    return sizes;
  }

  /**
   * What ffprobe finds in an output, or null: some outputs (text, a checksum) are no media, and not
   * knowing is no failure.
   */
  private MediaInfo probeOutput(String name, Path file) {
    if (!Files.isRegularFile(file)) {
      return null; // the upload names the missing file
    }
    try {
      return MediaInfo.fromFfprobe(ffprobe.streamsAndFormat(file));
    } catch (IOException | RuntimeException e) {
      LOG.warn("task {}: output {} could not be probed: {}", order.taskId(), name, e.getMessage());
      return null;
    }
  }

  private static URI reportUri(String url) {
    if (url == null || url.isBlank()) {
      LOG.warn("the work order has no report link: progress and result are not reported");
      return null;
    }
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      LOG.warn("the work order's report link is not valid: progress and result are not reported");
      return null;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static StepFailedException notMedia(String name, String reason) {
    return new StepFailedException(
        Step.Input, "input '" + name + "' is not usable media: " + reason);
  }

  private static StepFailedException setup(String message) {
    return new StepFailedException(Step.Setup, message);
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
