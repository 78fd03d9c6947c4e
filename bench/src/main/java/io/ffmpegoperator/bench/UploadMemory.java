package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 5. One large {@code PUT /video/upload} into the bridge running alone in its own JVM: how fast it
 * goes, and how much the bridge's heap and resident memory grow while the file streams through it
 * (to disk, through ffprobe, on to S3).
 */
final class UploadMemory implements Item {
  private static final int WIDTH = 1920;
  private static final int HEIGHT = 1080;
  private static final long FRAME_BYTES = WIDTH * HEIGHT * 3L / 2; // raw yuv420p
  private static final long TARGET_GROWTH = 64L << 20;
  private static final long SAMPLE_EVERY_MS = 100;
  private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(15);

  /** One upload; memory figures are growth over the bridge's state just before, in bytes. */
  private record Run(
      double seconds,
      long peakHeap,
      long liveHeapDuring,
      long liveHeapAfter,
      long heapCommitted,
      long buffers,
      long peakRss,
      long rssAfter,
      double liveHeapBefore,
      long rssBefore,
      int rssSamples) {}

  @Override
  public String run(BenchContext bench) throws Exception {
    Path dir = bench.dir("upload");
    Path file = dir.resolve("upload.mkv");
    try {
      double makeMs = makeUploadFile(bench, dir, file);
      long size = Files.size(file);
      List<Run> runs = new ArrayList<>();
      try (StandaloneProcess bridge =
          StandaloneProcess.bridge(bench.stack(), dir.resolve("bridge"), List.of())) {
        bridge.awaitReady(Duration.ofMinutes(2));
        ApiClient client = new ApiClient(bridge.uri());
        // The first upload loads and compiles the multipart, ffprobe, S3 and Kubernetes code
        // paths, a one-off cost of a fresh process: not counted.
        removeStored(bench, client.upload(List.of(file), dir, "warm-up", UPLOAD_TIMEOUT));
        for (int i = 1; i <= bench.plan().uploadRuns(); i++) {
          Run run = measure(bench, bridge, client, dir, file, i);
          runs.add(run);
          Log.line(
              String.format(
                  Locale.ROOT,
                  "   run %d: %.0f MB/s; growth: heap peak %.0f MiB, RSS peak %.0f MiB",
                  i,
                  size / 1e6 / run.seconds(),
                  run.peakHeap() / Report.MIB,
                  run.peakRss() / Report.MIB));
        }
      }
      return report(bench, size, makeMs, runs);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Raw 1080p frames of a test pattern in Matroska: a real video (the bridge probes every upload)
   * of exactly the size wanted, written at disk speed instead of encoding speed.
   */
  private static double makeUploadFile(BenchContext bench, Path dir, Path file) throws Exception {
    long frames = (bench.plan().uploadBytes() + FRAME_BYTES - 1) / FRAME_BYTES;
    Log.line(
        "5. upload: making a "
            + Report.bytes(frames * FRAME_BYTES)
            + " raw 1080p Matroska file ("
            + frames
            + " frames)");
    return BareFfmpeg.run(
        bench.stack().ffmpeg().ffmpeg(),
        List.of(
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=30",
            "-frames:v",
            String.valueOf(frames),
            "-c:v",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",
            file.toString()),
        dir.resolve("make-upload.log"),
        Duration.ofMinutes(10));
  }

  private static Run measure(
      BenchContext bench, StandaloneProcess bridge, ApiClient client, Path dir, Path file, int i)
      throws Exception {
    bridge.collectGarbage();
    PrometheusText start = bridge.metrics();
    double heapBefore = start.sum("jvm_memory_used_bytes", "area", "heap");
    double committedBefore = start.sum("jvm_memory_committed_bytes", "area", "heap");
    double buffersBefore = start.sum("jvm_buffer_memory_used_bytes");
    long rssBefore = bridge.rssBytes();
    boolean peakReset = bridge.resetPeakRss();
    List<StandaloneProcess.Collection> before = bridge.collections();
    int lastCollection = before.isEmpty() ? -1 : before.get(before.size() - 1).id();

    AtomicLong sampledPeak = new AtomicLong(rssBefore);
    AtomicLong samples = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  sampledPeak.accumulateAndGet(bridge.rssBytes(), Math::max);
                  samples.incrementAndGet();
                  Thread.sleep(SAMPLE_EVERY_MS);
                }
              } catch (IOException | InterruptedException stopped) {
                // the upload is over, or the bridge is gone (checked below)
              }
            },
            "rss-sampler");
    sampler.start();
    ApiClient.Upload upload;
    try {
      upload = client.upload(List.of(file), dir, "upload-" + i, UPLOAD_TIMEOUT);
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    bridge.checkAlive();
    PrometheusText end = bridge.metrics();
    double heapEnd = end.sum("jvm_memory_used_bytes", "area", "heap");
    double committedEnd = end.sum("jvm_memory_committed_bytes", "area", "heap");
    double buffersEnd = end.sum("jvm_buffer_memory_used_bytes");
    // Heap in use only grows between collections: its peak is just before one, or now.
    double peakHeap = heapEnd;
    double liveDuring = heapBefore;
    for (StandaloneProcess.Collection c : bridge.collections()) {
      if (c.id() > lastCollection) {
        peakHeap = Math.max(peakHeap, c.usedBefore());
        liveDuring = Math.max(liveDuring, c.usedAfter());
      }
    }
    long peakRss = Math.max(sampledPeak.get(), peakReset ? bridge.peakRssBytes() : 0);
    long rssEnd = bridge.rssBytes();
    bridge.collectGarbage();
    double heapAfter = bridge.heapUsedBytes();
    try {
      checkStored(client, upload);
    } finally {
      removeStored(bench, upload);
    }
    return new Run(
        upload.seconds(),
        (long) (peakHeap - heapBefore),
        (long) (liveDuring - heapBefore),
        (long) (heapAfter - heapBefore),
        (long) (committedEnd - committedBefore),
        (long) (buffersEnd - buffersBefore),
        peakRss - rssBefore,
        rssEnd - rssBefore,
        heapBefore,
        rssBefore,
        (int) samples.get());
  }

  /** The upload made one video record, and the library describes it as the file it was. */
  private static void checkStored(ApiClient client, ApiClient.Upload upload) throws Exception {
    JsonNode videos = upload.videos();
    if (videos.size() != 1 || videos.get(0).path("original_file_path").isNull()) {
      throw new IOException("the upload answered " + videos);
    }
    JsonNode info = client.get("/video/view/info?video_id=" + videos.get(0).get("id").asLong());
    if (!info.path("video_streams").asText().equals("rawvideo")
        || !info.path("resolution").asText().equals(WIDTH + ":" + HEIGHT)) {
      throw new IOException("the uploaded video is described as " + info);
    }
  }

  /** Frees the disk: the stored copies are of no further use. */
  private static void removeStored(BenchContext bench, ApiClient.Upload upload) {
    for (JsonNode video : upload.videos()) {
      // The file_path is ./storage/ and the key.
      bench
          .stack()
          .storage()
          .delete(video.get("original_file_path").asText().replaceFirst("^\\./storage/", ""));
    }
  }

  private static String report(BenchContext bench, long size, double makeMs, List<Run> runs) {
    List<Double> speeds = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    List<Double> peakHeap = new ArrayList<>();
    List<Double> liveDuring = new ArrayList<>();
    List<Double> liveAfter = new ArrayList<>();
    List<Double> committed = new ArrayList<>();
    List<Double> buffers = new ArrayList<>();
    List<Double> peakRss = new ArrayList<>();
    List<Double> rssAfter = new ArrayList<>();
    List<Double> heapBefore = new ArrayList<>();
    List<Double> rssBefore = new ArrayList<>();
    int samples = 0;
    for (Run r : runs) {
      speeds.add(size / 1e6 / r.seconds());
      seconds.add(r.seconds());
      peakHeap.add(r.peakHeap() / Report.MIB);
      liveDuring.add(r.liveHeapDuring() / Report.MIB);
      liveAfter.add(r.liveHeapAfter() / Report.MIB);
      committed.add(r.heapCommitted() / Report.MIB);
      buffers.add(r.buffers() / Report.MIB);
      peakRss.add(r.peakRss() / Report.MIB);
      rssAfter.add(r.rssAfter() / Report.MIB);
      heapBefore.add(r.liveHeapBefore() / Report.MIB);
      rssBefore.add(r.rssBefore() / Report.MIB);
      samples += r.rssSamples();
    }
    double target = TARGET_GROWTH / Report.MIB;
    boolean heapMet = Stats.of(peakHeap).max() < target;
    boolean rssMet = Stats.of(peakRss).max() < target;
    StringBuilder s = new StringBuilder("## 5. Upload: `PUT /video/upload` of a large file\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "One %s file (%.0f MiB: raw 1080p test-pattern frames in Matroska, which the bridge's"
                + " ffprobe check takes as video; making it took %.1f s, not counted) sent by"
                + " `curl -F files=@<file>` (streamed from disk) to the API bridge running alone as"
                + " `BridgeMain` in its own JVM (%s), after one uncounted upload of the same file."
                + " Time is curl's total, from connecting to the bridge's answer: receiving the"
                + " body, probing it, storing it in S3 (the stack's s3proxy, on the same disk) and"
                + " creating the Video. s3proxy runs in the stack's JVM, which uses the C1"
                + " compiler only (see Method): in quick runs of this item that JVM with C2 allowed"
                + " took the upload about twice as fast. Each run then checks that"
                + " `GET /video/view/info` describes the new video as raw 1920:1080.\n\n",
            Report.bytes(size),
            size / Report.MIB,
            makeMs / 1000,
            StandaloneProcess.BRIDGE));
    s.append(
        String.format(
            Locale.ROOT,
            "Memory is the growth over the bridge's state just before each upload, taken after a"
                + " full collection (`jcmd <pid> GC.run`): heap in use from the bridge's"
                + " `/metrics` (`jvm_memory_used_bytes`) and from every collection in its GC log"
                + " (`-Xlog:gc`, heap in use before and after each: in use only grows between"
                + " collections, so the largest value before one, or at the end, is the peak);"
                + " RSS from `/proc/<pid>/status`: VmHWM after resetting it through"
                + " `/proc/<pid>/clear_refs`, and VmRSS sampled every %d ms (%d samples in all).\n\n",
            SAMPLE_EVERY_MS,
            samples));
    s.append(Report.header());
    s.append(Report.row("upload speed (MB/s, 10^6 bytes)", Stats.of(speeds), "%.0f", "", null));
    s.append(Report.row("upload time (s)", Stats.of(seconds), "%.1f", "", null));
    s.append(
        Report.row(
            "heap in use, peak growth, garbage included (MiB)",
            Stats.of(peakHeap),
            "%.0f",
            "< 64 MiB",
            heapMet));
    s.append(
        Report.row(
            "heap live after a collection during the upload, largest growth (MiB)",
            Stats.of(liveDuring),
            "%.0f",
            "",
            null));
    s.append(
        Report.row(
            "heap live after the upload and a full collection, growth (MiB)",
            Stats.of(liveAfter),
            "%.0f",
            "",
            null));
    s.append(Report.row("heap committed, growth (MiB)", Stats.of(committed), "%.0f", "", null));
    s.append(
        Report.row(
            "direct and mapped buffers (off the heap), growth (MiB)",
            Stats.of(buffers),
            "%.0f",
            "",
            null));
    s.append(Report.row("RSS, peak growth (MiB)", Stats.of(peakRss), "%.0f", "< 64 MiB", rssMet));
    s.append(
        Report.row("RSS after the upload, growth (MiB)", Stats.of(rssAfter), "%.0f", "", null));
    s.append(Report.row("before: live heap (MiB)", Stats.of(heapBefore), "%.0f", "", null));
    s.append(Report.row("before: RSS (MiB)", Stats.of(rssBefore), "%.0f", "", null));
    s.append("\nThe target is checked against the largest growth of all runs, not the median.\n\n");
    bench.finding(
        String.format(
            Locale.ROOT,
            "Upload: %s went through the bridge at %.0f MB/s end to end (curl's total, storage"
                + " in S3 included). The bridge's heap in use grew by at most %.0f MiB and its RSS"
                + " by at most %.0f MiB (target < 64 MiB: heap %s, RSS %s). Its live heap grew by"
                + " at most %.0f MiB during the upload, its committed heap by at most %.0f MiB and"
                + " its direct and mapped buffers by at most %.0f MiB: the file is streamed to"
                + " disk, not held in memory.",
            Report.bytes(size),
            Stats.of(speeds).median(),
            Stats.of(peakHeap).max(),
            Stats.of(peakRss).max(),
            Report.metOrNot(heapMet),
            Report.metOrNot(rssMet),
            Stats.of(liveDuring).max(),
            Stats.of(committed).max(),
            Stats.of(buffers).max()));
    return s.toString();
  }
}
