package io.ffmpegoperator.protocol;

/**
 * How a warm worker pod gets its work order. A warm worker is a worker Job started before any task
 * needs it, so the task does not wait for a pod to be scheduled and a JVM to start. Its pod has no
 * {@value WorkOrder#ENV}; it asks the operator instead:
 *
 * <pre>
 * GET {WARM_ORDER_URL}
 * Authorization: Bearer {the token in the file WARM_TOKEN_FILE names}
 * </pre>
 *
 * The operator holds the request open for up to {@link #HOLD_SECONDS} and answers:
 *
 * <ul>
 *   <li>{@code 200} with the {@link WorkOrder} as JSON: the pod's Job now belongs to a task; run it
 *       exactly like an order from the environment, then exit with its code;
 *   <li>{@code 204}: no task yet; ask again at once;
 *   <li>{@code 410}: this warm worker is retired (no longer wanted); exit {@link
 *       WorkerExitCodes#OK};
 *   <li>{@code 401}: the token is wrong, which no retry fixes; exit {@link
 *       WorkerExitCodes#SETUP_FAILED};
 *   <li>anything else, or no answer (a replica that is starting, a connection that broke): ask
 *       again after a short pause, and give up with {@link WorkerExitCodes#WARM_GAVE_UP} when no
 *       200 or 204 came for {@link #PATIENCE_SECONDS}.
 * </ul>
 *
 * Every operator replica answers orders alike, the leader and the standbys: what a replica answers
 * is read from the Job (whether a task has claimed it, the hash of its token), which every replica
 * watches. So a pod whose kept-alive connection landed on a standby gets its order there too.
 *
 * <p>Once the run has succeeded and its outputs are stored, the pod tells the operator, so the
 * task's status does not wait for the pod to exit and the Job to be marked complete:
 *
 * <pre>
 * POST {WARM_ORDER_URL with /order replaced by /done}
 * Authorization: Bearer {the token in the file WARM_TOKEN_FILE names}
 * Content-Type: application/json
 *
 * {the final WorkReport}
 * </pre>
 *
 * The leader answers {@code 204} and looks at the task at once, taking the report from the body; a
 * standby answers {@code 503} and does nothing, as only the leader reconciles. The pod stores the
 * same report only after this request, before it exits, so the task's status does not wait for that
 * write either. With no usable body (empty, not a report, over {@link #MAX_DONE_BYTES}) the
 * operator reads the stored report, which may not be there yet; the Job's completion then finishes
 * the task. This is only a hint: the pod ignores any failure, and the Job's completion tells the
 * operator the same a little later.
 *
 * <p>The token is good for this one Job only; once the pod has its order, the pod holds nothing
 * that reaches any other task.
 */
public final class WarmWorkerProtocol {
  /** Environment variable of a warm worker pod: the URL to ask for its order. */
  public static final String ORDER_URL_ENV = "WARM_ORDER_URL";

  /**
   * Environment variable of a warm worker pod: the file that holds the bearer token of its requests
   * (a Secret of its Job's own, mounted read-only), so that whoever may read pods does not read the
   * token. A line end after the token is not part of it.
   */
  public static final String TOKEN_FILE_ENV = "WARM_TOKEN_FILE";

  /** Longest the operator holds one request before answering 204. */
  public static final int HOLD_SECONDS = 20;

  /** Longest body of a "run is over" request the operator reads; a longer one is not used. */
  public static final int MAX_DONE_BYTES = 1024 * 1024;

  /** How long a warm worker pod keeps asking without a 200 or 204 before it gives up. */
  public static final int PATIENCE_SECONDS = 120;

  /** Path of a warm worker Job's order on the operator's order endpoint. */
  public static String orderPath(String namespace, String jobName) {
    return "/warm/v1/namespaces/" + namespace + "/jobs/" + jobName + ORDER;
  }

  /** Where a warm worker says its run is over, next to its order URL. */
  public static String doneUrl(String orderUrl) {
    if (!orderUrl.endsWith(ORDER)) {
      throw new IllegalArgumentException("not an order URL");
    }
    return orderUrl.substring(0, orderUrl.length() - ORDER.length()) + DONE;
  }

  private static final String ORDER = "/order";
  private static final String DONE = "/done";

  private WarmWorkerProtocol() {}
}
