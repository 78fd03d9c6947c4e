package io.ffmpegoperator.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real run of the worker with nothing but this machine: a small clip made with ffmpeg, served
 * as the input by an HTTP server on loopback that also takes the output and the reports. The worker
 * image's build runs it under {@code -XX:ArchiveClassesAtExit}, so the archive holds every class a
 * run loads and each pod's JVM maps them instead of loading and verifying them again: a cold pod
 * starts its work sooner, which is what a task on a Job of its own waits for.
 */
public final class Training {
  private Training() {}

  /** Exits 0 when the run succeeded; the archive is written on exit either way. */
  public static void main(String[] args) throws Exception {
    System.exit(run(System.getenv()) == WorkerExitCodes.OK ? 0 : 1);
  }

  /** Runs the training task with the ffmpeg {@code environment} names; the worker's exit code. */
  static int run(Map<String, String> environment) throws Exception {
    Path dir = Files.createTempDirectory("worker-training");
    Map<String, String> env = new HashMap<>(environment);
    FfmpegBinaries binaries = FfmpegBinaries.fromEnv(env);
    Path clip = dir.resolve("clip.mp4");
    makeClip(binaries, clip);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> answer(exchange, clip));
    server.start();
    int exit;
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      WorkOrder order =
          new WorkOrder(
              "training",
              List.of(
                  "-i",
                  "in/a.mp4",
                  "-vf",
                  "scale=32:24",
                  "-c:v",
                  "libx264",
                  "-preset",
                  "ultrafast",
                  "-c:a",
                  "aac",
                  "out/b.mp4"),
              List.of(new WorkOrder.Input("in_1", base + "/clip.mp4", "in/a.mp4", false)),
              List.of(),
              List.of(new WorkOrder.Output("out_1", "out/b.mp4", base + "/out")),
              base + "/report",
              RunLimits.defaults(),
              "127.0.0.0/8");
      env.put(WorkOrder.ENV, new ObjectMapper().writeValueAsString(order));
      Path work = Files.createDirectories(dir.resolve("work"));
      env.put(WorkerMain.WORK_DIR, work.toString());
      exit = WorkerMain.run(env);
    } finally {
      server.stop(0);
      // The build's layer keeps nothing of the run but the archive.
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return exit;
  }

  /** GET serves the clip; PUT (output, reports) is read to its end and accepted. */
  private static void answer(HttpExchange exchange, Path clip) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
      if ("GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Content-Type", "video/mp4");
        exchange.sendResponseHeaders(200, Files.size(clip));
        Files.copy(clip, exchange.getResponseBody());
      } else {
        exchange.sendResponseHeaders(200, -1);
      }
    }
  }

  private static void makeClip(FfmpegBinaries binaries, Path clip) throws Exception {
    Process ffmpeg =
        new ProcessBuilder(
                binaries.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc=duration=1:size=64x48:rate=10",
                "-f",
                "lavfi",
                "-i",
                "sine=duration=1",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest",
                clip.toString())
            .inheritIO()
            .start();
    if (!ffmpeg.waitFor(2, TimeUnit.MINUTES) || ffmpeg.exitValue() != 0) {
      throw new IOException("ffmpeg could not make the training clip");
    }
  }
}
