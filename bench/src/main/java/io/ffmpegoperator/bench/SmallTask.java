package io.ffmpegoperator.bench;

import io.ffmpegoperator.bench.Lifecycle.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One small task of item 2 as the bench measured it, and the steps its time splits into on its path
 * (a claimed warm worker or a Job of its own), from the bench's own watches and the pod's log.
 *
 * @param warm whether it claimed a warm worker's Job (else it had a Job of its own)
 * @param podWaiting for a warm one, whether its pod was already waiting for an order when the Job
 *     was claimed (null if the log does not tell)
 * @param warmUpMs for a warm one, its pod's process start → waiting for an order
 * @param steps step name → ms; NaN for a step not seen
 */
record SmallTask(
    String id,
    boolean warm,
    Boolean podWaiting,
    double warmUpMs,
    double totalMs,
    Map<String, Double> steps) {
  /** Steps of a small task on a Job of its own, as the watches saw them. */
  static final List<String> OWN_STEPS =
      List.of(
          "POST /ffmpeg/register answered",
          "answer → Job created (operator)",
          "Job → Pod created (local node's job controller)",
          "Pod created → Running (node starts the process)",
          "Running → Pod finished (worker JVM: fetch, ffmpeg, upload, report)",
          "Pod finished → task Completed (operator)",
          "task Completed → REST answers completed (the bridge's cache)");

  /** Inside "Running → Pod finished" of a task's own pod, from its log. */
  static final List<String> OWN_WORKER_STEPS =
      List.of(
          "process started → worker's first log line (JVM start, class loading, logging)",
          "first log line → work begins (reading the order, set-up)",
          "fetch of the input over its pre-signed link (as logged)",
          "ffmpeg itself (as logged)",
          "upload of the output (as logged)",
          "rest of the worker's run (ffprobe check of the input, waiting for the output's"
              + " ffprobe, final report)",
          "worker's last log line → Pod finished seen (JVM exit, node writes pod status)");

  /** Steps of a small task that claimed a warm worker: watches and the pod's log together. */
  static final List<String> WARM_STEPS =
      List.of(
          OWN_STEPS.get(0),
          "answer → warm worker's Job claimed (operator)",
          "Job claimed → work order delivered to the pod (its log line)",
          "order delivered → work begins (reading the order, set-up)",
          OWN_WORKER_STEPS.get(2),
          "rest of the worker's run up to the stored output (ffprobe check of the input,"
              + " ffmpeg's start)",
          OWN_WORKER_STEPS.get(3),
          OWN_WORKER_STEPS.get(4),
          // The pod tells the operator when its outputs are stored, without waiting to exit.
          "output stored → task Completed (the output's ffprobe, `/done` with the final report,"
              + " the operator's check of the output and status write)",
          OWN_STEPS.get(6));

  /** A measured task's steps on its path; NaN for what was not seen. */
  static SmallTask of(
      String id,
      boolean warm,
      double t,
      double answered,
      double done,
      Map<Step, Double> at,
      WorkerLog log) {
    double nan = Double.NaN;
    double jobAt = at.getOrDefault(Step.JOB_CREATED, nan);
    double podFinished = at.getOrDefault(Step.POD_FINISHED, nan);
    double taskFinished = at.getOrDefault(Step.TASK_FINISHED, nan);
    // Worker-log parts: epoch milliseconds and durations from the pod's own log.
    double fetch = log == null ? nan : log.fetchMs();
    double ffmpeg = log == null ? nan : log.ffmpegMs();
    double store = log == null ? nan : log.storeMs();
    double rest = log == null ? nan : log.workerTotalMs() - fetch - ffmpeg - store;
    double exit = log == null ? nan : Clock.epochMs(podFinished) - log.lastLine();
    double[] values;
    List<String> names;
    Boolean podWaiting = null;
    double warmUp = nan;
    if (warm) {
      names = WARM_STEPS;
      boolean logged = log != null && log.warm();
      double orderCame = logged ? log.orderCame() : nan;
      if (logged && !Double.isNaN(log.waitingSince()) && !Double.isNaN(jobAt)) {
        podWaiting = log.waitingSince() <= Clock.epochMs(jobAt);
        warmUp = log.waitingSince() - log.processStart();
      }
      double stored = logged ? log.storedAt() : nan;
      values =
          new double[] {
            answered - t,
            jobAt - answered,
            orderCame - Clock.epochMs(jobAt),
            logged ? log.runStart() - orderCame : nan,
            logged ? fetch : nan,
            logged ? stored - log.runStart() - fetch - ffmpeg - store : nan,
            logged ? ffmpeg : nan,
            logged ? store : nan,
            Clock.epochMs(taskFinished) - stored,
            done - taskFinished
          };
    } else {
      names = new ArrayList<>(OWN_STEPS);
      names.addAll(OWN_WORKER_STEPS);
      values =
          new double[] {
            answered - t,
            jobAt - answered,
            at.getOrDefault(Step.POD_CREATED, nan) - jobAt,
            at.getOrDefault(Step.POD_RUNNING, nan) - at.getOrDefault(Step.POD_CREATED, nan),
            podFinished - at.getOrDefault(Step.POD_RUNNING, nan),
            taskFinished - podFinished,
            done - taskFinished,
            log == null ? nan : log.firstLine() - log.processStart(),
            log == null ? nan : log.runStart() - log.firstLine(),
            fetch,
            ffmpeg,
            store,
            rest,
            exit
          };
    }
    Map<String, Double> steps = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      steps.put(names.get(k), values[k]);
    }
    return new SmallTask(id, warm, podWaiting, warmUp, done - t, steps);
  }
}
