package io.ffmpegoperator.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.Ffprobe;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.protocol.WorkReport.Phase;
import io.ffmpegoperator.protocol.WorkReport.Step;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the worker container: takes the work order from the environment ({@value
 * WorkOrder#ENV}) or, in a warm worker pod, from the operator ({@link WarmWorkerProtocol}), and
 * runs it.
 */
public final class WorkerMain {
  /** Environment variable naming the work directory; the current directory when unset. */
  public static final String WORK_DIR = "WORK_DIR";

  private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** What ffprobe says of a small MP4 with video and audio, in the shape a run reads. */
  private static final String SAMPLE_PROBE =
      "{\"streams\": [{\"codec_type\": \"video\", \"codec_name\": \"h264\", \"width\": 160,"
          + " \"height\": 120, \"r_frame_rate\": \"30/1\", \"avg_frame_rate\": \"30/1\"},"
          + " {\"codec_type\": \"audio\", \"codec_name\": \"aac\"}], \"format\":"
          + " {\"format_name\": \"mov,mp4,m4a,3gp,3g2,mj2\", \"duration\": \"1.000000\","
          + " \"size\": \"25000\"}}";

  private WorkerMain() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv()));
  }

  /**
   * Runs the work order found in {@code env}, or asked for with what {@code env} holds, and returns
   * the exit code ({@link WorkerExitCodes}).
   */
  public static int run(Map<String, String> env) {
    return run(env, WorkerSettings.defaults());
  }

  static int run(Map<String, String> env, WorkerSettings settings) {
    String json = env.get(WorkOrder.ENV);
    String warmUrl = env.get(WarmWorkerProtocol.ORDER_URL_ENV);
    if (isBlank(json) && !isBlank(warmUrl)) {
      return runWarm(warmUrl, env, settings);
    }
    if (!isBlank(warmUrl)) {
      LOG.info(
          "{} ignored: the work order is in {}", WarmWorkerProtocol.ORDER_URL_ENV, WorkOrder.ENV);
    }
    WorkOrder order;
    try {
      order = parse(json);
    } catch (IOException e) {
      // Never echo the order: it holds pre-signed links.
      LOG.error("no usable work order in {}: {}", WorkOrder.ENV, e.getClass().getSimpleName());
      return WorkerExitCodes.SETUP_FAILED;
    }
    return worker(order, env, FfmpegBinaries.fromEnv(env), settings).run();
  }

  /** A warm worker: warms up, asks the operator for the order, then runs it like any other. */
  private static int runWarm(String url, Map<String, String> env, WorkerSettings settings) {
    String token = readToken(env.get(WarmWorkerProtocol.TOKEN_FILE_ENV));
    if (token == null) {
      return WorkerExitCodes.SETUP_FAILED;
    }
    URI uri = httpUri(url);
    if (uri == null) {
      LOG.error("{} is not an http(s) URL", WarmWorkerProtocol.ORDER_URL_ENV);
      return WorkerExitCodes.SETUP_FAILED;
    }
    FfmpegBinaries binaries = FfmpegBinaries.fromEnv(env);
    warmUp(binaries);
    long waitStarted = System.nanoTime();
    try (WarmOrderWait operator = new WarmOrderWait(uri, token, settings)) {
      byte[] answer;
      try {
        answer = operator.await();
      } catch (WarmOrderWait.NoOrderException e) {
        return e.exitCode();
      }
      WorkOrder order;
      try {
        order = parse(new String(answer, StandardCharsets.UTF_8));
      } catch (IOException e) {
        // Never echo the answer: it holds pre-signed links.
        LOG.error("no usable work order from the operator: {}", e.getClass().getSimpleName());
        return WorkerExitCodes.SETUP_FAILED;
      }
      LOG.info(
          "task {}: work order came after {} ms of waiting",
          order.taskId(),
          Worker.millisSince(waitStarted));
      // The outputs are stored: the task need not wait for this pod's exit to be seen, nor for
      // its final report to be stored, which the operator gets with the request.
      return worker(order, env, binaries, settings).run(operator::tellDone);
    }
  }

  /**
   * The bearer token in the file {@value WarmWorkerProtocol#TOKEN_FILE_ENV} names (a mounted
   * Secret), without the line end an editor or {@code echo} adds; null, and the reason logged, if
   * there is none. The token itself is never logged.
   */
  private static String readToken(String file) {
    if (isBlank(file)) {
      LOG.error(
          "{} is set but {} is not: the work order cannot be asked for",
          WarmWorkerProtocol.ORDER_URL_ENV,
          WarmWorkerProtocol.TOKEN_FILE_ENV);
      return null;
    }
    String token;
    try {
      token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException | InvalidPathException e) {
      LOG.error(
          "the token file {} ({}) cannot be read: {}",
          file,
          WarmWorkerProtocol.TOKEN_FILE_ENV,
          e.getClass().getSimpleName());
      return null;
    }
    if (token.isEmpty()) {
      LOG.error("the token file {} ({}) is empty", file, WarmWorkerProtocol.TOKEN_FILE_ENV);
      return null;
    }
    return token;
  }

  private static Worker worker(
      WorkOrder order, Map<String, String> env, FfmpegBinaries binaries, WorkerSettings settings) {
    String dir = env.get(WORK_DIR);
    Path workDir = isBlank(dir) ? Path.of("") : Path.of(dir);
    LOG.info(
        "task {}: {} input(s), {} concat list(s), {} output(s)",
        order.taskId(),
        order.inputs() == null ? 0 : order.inputs().size(),
        order.concatLists() == null ? 0 : order.concatLists().size(),
        order.outputs() == null ? 0 : order.outputs().size());
    return new Worker(order, workDir, binaries, settings);
  }

  /**
   * Pays, while no task waits, what the start of a run would otherwise pay: loading the classes
   * that read an order and carry it out, and ffprobe's and ffmpeg's first start (their executables
   * and shared libraries read from disk). Nothing here is needed by the run, so a failure is only
   * logged.
   */
  private static void warmUp(FfmpegBinaries binaries) {
    long started = System.nanoTime();
    try {
      parse(JSON.writeValueAsString(sampleOrder()));
      // A final report with an output's media info, made from ffprobe's JSON as a run makes it.
      MediaInfo media = MediaInfo.fromFfprobe(JSON.readTree(SAMPLE_PROBE));
      ReportWriter.json(
          new WorkReport(
              Phase.Succeeded,
              100,
              List.of(new WorkReport.OutputSize("b", 1, media)),
              Step.Ffmpeg,
              "warm-up"));
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      for (Class<?> used :
          List.of(
              // Its table of refused networks is parsed once per JVM, on first use: not in a run.
              AddressPolicy.class,
              Worker.class,
              InputFetcher.class,
              Ffprobe.class,
              FfmpegRunner.class,
              ReportWriter.class,
              OutputUploader.class)) {
        lookup.ensureInitialized(used);
      }
    } catch (IOException | IllegalAccessException e) {
      LOG.info("warm-up: classes not loaded: {}", e.toString());
    }
    if (!binaries.ffprobeInstalled()) {
      LOG.info("warm-up: {} -version failed", binaries.ffprobe());
    }
    if (!binaries.ffmpegInstalled()) {
      LOG.info("warm-up: {} -version failed", binaries.ffmpeg());
    }
    LOG.info("warm-up took {} ms; waiting for a work order", Worker.millisSince(started));
  }

  /** An order with every part an order can have, so reading it loads all that reading needs. */
  private static WorkOrder sampleOrder() {
    return new WorkOrder(
        "warm-up",
        List.of("-f", "concat", "-i", "in/list.ffconcat", "out/b.mp4"),
        List.of(new WorkOrder.Input("a", "http://localhost/a", "in/a.mp4", false)),
        List.of(new WorkOrder.ConcatList("list", "in/list.ffconcat", List.of("a"))),
        List.of(new WorkOrder.Output("b", "out/b.mp4", "http://localhost/b")),
        "http://localhost/report",
        RunLimits.defaults(),
        "");
  }

  private static WorkOrder parse(String json) throws IOException {
    if (isBlank(json)) {
      throw new IOException("missing");
    }
    WorkOrder order = JSON.readValue(json, WorkOrder.class);
    if (order == null) {
      throw new IOException("empty");
    }
    return order;
  }

  /** {@code url} if it is an http(s) URL with a host, else null. */
  private static URI httpUri(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
      return http && uri.getHost() != null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
