package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 7. The video library's concat and fast trim through the API (upload, queue, execute), against the
 * libx264 re-encode the original service ran for them, run bare on the same files in the same run;
 * the result is a speed-up factor.
 */
final class LibraryOperations implements Item {
  private static final int WIDTH = 1920;
  private static final int HEIGHT = 1080;
  private static final int FPS = 30;

  /** What the original ran: libx264 and AAC at ffmpeg's defaults (preset medium, crf 23). */
  private static final List<String> REENCODE = List.of("-c:v", "libx264", "-c:a", "aac");

  private static final Duration BARE_TIMEOUT = Duration.ofMinutes(30);

  @Override
  public String run(BenchContext bench) throws Exception {
    Path dir = bench.dir("library");
    Path ffmpeg = bench.stack().ffmpeg().ffmpeg();
    int seconds = bench.plan().libraryClipSeconds();
    Log.line("7. library: making two " + seconds + " s 1080p clips");
    double t = Clock.nowMs();
    Path a = TestClips.make(ffmpeg, dir.resolve("clip-a.mp4"), seconds, WIDTH, HEIGHT, FPS, true);
    Path b = TestClips.make(ffmpeg, dir.resolve("clip-b.mp4"), seconds, WIDTH, HEIGHT, FPS, true);
    double makeMs = Clock.nowMs() - t;
    ApiClient api = bench.api();
    JsonNode uploaded = api.upload(List.of(a, b), dir, "upload", Duration.ofMinutes(10)).videos();
    long idA = uploaded.get(0).get("id").asLong();
    long idB = uploaded.get(1).get("id").asLong();

    Path list = dir.resolve("concat.txt");
    Files.writeString(list, "file '" + a + "'\nfile '" + b + "'\n");
    List<String> concatInput = List.of("-f", "concat", "-safe", "0", "-i", list.toString());
    long trimStartMs = seconds * 1000L / 5;
    long trimEndMs = seconds * 1000L - trimStartMs;
    List<String> trimInput =
        List.of(
            "-ss",
            seconds(trimStartMs),
            "-i",
            a.toString(),
            "-t",
            seconds(trimEndMs - trimStartMs));

    Timings concat = new Timings("concat", api, ffmpeg, dir);
    Timings trim = new Timings("trim", api, ffmpeg, dir);
    long concatOutput = 0;
    long trimOutput = 0;
    for (int run = 1; run <= bench.plan().libraryRuns(); run++) {
      Log.line("   run " + run);
      // Alternate which goes first, so neither always gets the warmer machine.
      boolean platformFirst = run % 2 == 1;
      concatOutput =
          compare(
              concat,
              Map.of("request_code", "bench-concat-" + run, "video_ids", List.of(idA, idB)),
              concatInput,
              List.of("-map", "0", "-c", "copy"),
              ".mp4",
              platformFirst);
      trimOutput =
          compare(
              trim,
              Map.of(
                  "request_code",
                  "bench-trim-" + run,
                  "video_id",
                  idA,
                  "trim_start",
                  String.valueOf(trimStartMs),
                  "trim_end",
                  String.valueOf(trimEndMs),
                  "mode",
                  "fast"),
              trimInput,
              List.of("-map", "0", "-c", "copy", "-avoid_negative_ts", "make_zero"),
              // The platform keeps the source's container, as a trim of an .mp4 is.
              ".mp4",
              platformFirst);
    }
    return report(
        bench,
        seconds,
        makeMs,
        a,
        trimStartMs,
        trimEndMs,
        concat,
        trim,
        durationMs(bench, concatOutput),
        durationMs(bench, trimOutput));
  }

  /**
   * One run of one operation, through the platform and bare both ways (re-encoding as the original
   * did, and stream-copying as the platform's worker does); returns the id of the video made.
   *
   * @param copy the codec options of the bare stream copy
   */
  private static long compare(
      Timings timings,
      Map<String, ?> request,
      List<String> input,
      List<String> copy,
      String extension,
      boolean platformFirst)
      throws Exception {
    long made = platformFirst ? timings.runOnPlatform(request) : 0;
    timings.reencode.add(timings.bare(input, REENCODE, "-reencode" + extension));
    timings.copy.add(timings.bare(input, copy, "-copy" + extension));
    return platformFirst ? made : timings.runOnPlatform(request);
  }

  /** The times of one operation, in ms: through the platform, and bare both ways. */
  private static final class Timings {
    final String operation;
    final List<Double> platform = new ArrayList<>();
    final List<Double> reencode = new ArrayList<>();
    final List<Double> copy = new ArrayList<>();
    private final ApiClient api;
    private final Path ffmpeg;
    private final Path dir;

    Timings(String operation, ApiClient api, Path ffmpeg, Path dir) {
      this.operation = operation;
      this.api = api;
      this.ffmpeg = ffmpeg;
      this.dir = dir;
    }

    /**
     * Queues one job, executes its request code (which answers once the job is done) and checks the
     * job succeeded; records the time from queueing to execute's answer; returns the id of the
     * video made.
     */
    long runOnPlatform(Map<String, ?> request) throws Exception {
      double t = Clock.nowMs();
      long jobId = api.post("/video/process/" + operation, request).get("job_id").asLong();
      api.post("/video/process/execute", Map.of("request_code", request.get("request_code")));
      platform.add(Clock.nowMs() - t);
      JsonNode job = api.get("/video/jobs/" + jobId);
      if (!job.path("state").asText().equals("succeeded") || job.path("output_video_id").isNull()) {
        throw new IOException(operation + " job ended as " + job);
      }
      return job.get("output_video_id").asLong();
    }

    /** Bare re-encode time over platform time, per run. */
    Stats speedUp() {
      return Stats.ofPairs(reencode, platform, (r, p) -> r / p);
    }

    /** Bare ffmpeg on the local files; its output is {@code bare-<operation><suffix>}. */
    double bare(List<String> input, List<String> codecs, String suffix) throws Exception {
      String output = operation + suffix;
      List<String> args = new ArrayList<>(input);
      args.addAll(codecs);
      args.add(dir.resolve("bare-" + output).toString());
      return BareFfmpeg.run(ffmpeg, args, dir.resolve("bare-" + output + ".log"), BARE_TIMEOUT);
    }
  }

  /** Milliseconds as the seconds ffmpeg takes, exactly: 2000 → 2.000. */
  private static String seconds(long millis) {
    return BigDecimal.valueOf(millis).movePointLeft(3).toPlainString();
  }

  /** How long the library says one of its videos lasts, as probed when it was stored. */
  private static long durationMs(BenchContext bench, long videoId) throws IOException {
    return bench
        .stack()
        .kubernetesClient()
        .resources(Video.class)
        .inNamespace(bench.stack().config().namespace())
        .list()
        .getItems()
        .stream()
        .filter(v -> v.getSpec().getId() == videoId)
        .map(v -> v.getSpec().getMedia().getDurationMillis())
        .findFirst()
        .orElseThrow(() -> new IOException("no video " + videoId));
  }

  private static String report(
      BenchContext bench,
      int seconds,
      double makeMs,
      Path clip,
      long trimStartMs,
      long trimEndMs,
      Timings concat,
      Timings trim,
      long concatMs,
      long trimMs)
      throws IOException {
    StringBuilder s = new StringBuilder("## 7. Library operations: concat and fast trim\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Two %d s %dx%d %d fps clips with AAC audio (`TestClips`, %s each; making them took"
                + " %.1f s, not counted), uploaded once through the stack's API. Platform: `POST"
                + " /video/process/concat` of both (or `/video/process/trim` of the first from"
                + " %d to %d ms with `\"mode\": \"fast\"`), then `POST /video/process/execute`,"
                + " which answers once the job is done; timed from the first request to that"
                + " answer, then `GET /video/jobs/{id}` must say succeeded. The results last %.1f s"
                + " and %.1f s. The original service re-encoded: the reference is bare ffmpeg"
                + " with `%s` (ffmpeg's defaults: preset medium, crf 23) on the same local files,"
                + " through the concat demuxer for concat and as `-ss %s -i <clip> -t %s` for the"
                + " trim. For scale, the stream copies the platform's worker runs are"
                + " timed bare too. Speed-up = bare re-encode / platform, per run. %d runs;"
                + " platform and bare alternate which goes first.\n\n",
            seconds,
            WIDTH,
            HEIGHT,
            FPS,
            Report.size(clip),
            makeMs / 1000,
            trimStartMs,
            trimEndMs,
            concatMs / 1000.0,
            trimMs / 1000.0,
            String.join(" ", REENCODE),
            seconds(trimStartMs),
            seconds(trimEndMs - trimStartMs),
            bench.plan().libraryRuns()));
    String target = "none in issue 6";
    s.append(Report.header());
    s.append(Report.row("concat speed-up (×)", concat.speedUp(), "%.1f", target, null));
    s.append(Report.row("fast trim speed-up (×)", trim.speedUp(), "%.1f", target, null));
    s.append(
        Report.row(
            "platform concat, queued → done (ms)", Stats.of(concat.platform), "%.0f", "", null));
    s.append(
        Report.row(
            "bare concat, libx264 re-encode (ms)", Stats.of(concat.reencode), "%.0f", "", null));
    s.append(Report.row("bare concat, stream copy (ms)", Stats.of(concat.copy), "%.0f", "", null));
    s.append(
        Report.row(
            "platform fast trim, queued → done (ms)", Stats.of(trim.platform), "%.0f", "", null));
    s.append(
        Report.row("bare trim, libx264 re-encode (ms)", Stats.of(trim.reencode), "%.0f", "", null));
    s.append(Report.row("bare trim, stream copy (ms)", Stats.of(trim.copy), "%.0f", "", null));
    s.append('\n');
    bench.finding(
        String.format(
            Locale.ROOT,
            "Library: concatenating two %d s 1080p clips took %.1f s through the platform against"
                + " %.1f s for the original's libx264 re-encode (%.1f× faster); a fast trim took"
                + " %.1f s against %.1f s (%.1f×). Stream copy itself is quick (%.0f ms and %.0f"
                + " ms bare): most of the platform's time is the fixed cost of any task (a claimed"
                + " warm worker or a Job and worker JVM of its own, S3 transfers, status; see"
                + " small-task latency), so the factor grows with longer clips.",
            seconds,
            Stats.of(concat.platform).median() / 1000,
            Stats.of(concat.reencode).median() / 1000,
            concat.speedUp().median(),
            Stats.of(trim.platform).median() / 1000,
            Stats.of(trim.reencode).median() / 1000,
            trim.speedUp().median(),
            Stats.of(concat.copy).median(),
            Stats.of(trim.copy).median()));
    return s.toString();
  }
}
