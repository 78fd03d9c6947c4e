package io.ffmpegoperator.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.crds.WorkOrder;
import io.ffmpegoperator.crds.WorkerExitCodes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the worker container: reads the work order from the environment and runs it. */
public final class WorkerMain {
  /** Environment variable naming the work directory; the current directory when unset. */
  public static final String WORK_DIR = "WORK_DIR";

  private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private WorkerMain() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv()));
  }

  /**
   * Runs the work order found in {@code env} and returns the exit code ({@link WorkerExitCodes}).
   */
  public static int run(Map<String, String> env) {
    return run(env, WorkerSettings.defaults());
  }

  static int run(Map<String, String> env, WorkerSettings settings) {
    WorkOrder order;
    try {
      order = parse(env.get(WorkOrder.ENV));
    } catch (IOException e) {
      // Never echo the order: it holds pre-signed links.
      LOG.error("no usable work order in {}: {}", WorkOrder.ENV, e.getClass().getSimpleName());
      return WorkerExitCodes.SETUP_FAILED;
    }
    String dir = env.get(WORK_DIR);
    Path workDir = dir == null || dir.isBlank() ? Path.of("") : Path.of(dir);
    LOG.info(
        "task {}: {} input(s), {} concat list(s), {} output(s)",
        order.taskId(),
        order.inputs() == null ? 0 : order.inputs().size(),
        order.concatLists() == null ? 0 : order.concatLists().size(),
        order.outputs() == null ? 0 : order.outputs().size());
    return new Worker(order, workDir, FfmpegBinaries.fromEnv(env), settings).run();
  }

  private static WorkOrder parse(String json) throws IOException {
    if (json == null || json.isBlank()) {
      throw new IOException("missing");
    }
    WorkOrder order = JSON.readValue(json, WorkOrder.class);
    if (order == null) {
      throw new IOException("empty");
    }
    return order;
  }
}
