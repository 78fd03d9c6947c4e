package io.ffmpegoperator.bench;

import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.StackConfig;
import io.ffmpegoperator.settings.ApiClients;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Item 9, part 2: two API clients sharing the cluster. Alice registers a burst of small tasks and
 * bob the same burst a moment later, on a stack of their own whose keys give each a limit of
 * running tasks; the same two bursts on the main stack, keys off, are the baseline. Each burst's
 * tasks are followed by the bench's own watch ({@link TaskWatch}).
 */
final class ClientSharing {
  /** Between the end of the first client's burst and the start of the second's. */
  static final Duration SECOND_AFTER = Duration.ofMillis(500);

  static final String FIRST = "alice";
  static final String SECOND = "bob";

  /** Lone small tasks on the clients' stack, timed: what "one task time" means there. */
  private static final int LONE_TASKS = 3;

  /**
   * One client's burst.
   *
   * @param startMs when its first register was sent ({@link Clock#nowMs()})
   * @param jobMs when the bench's watch first saw each of its tasks with a Job
   * @param finishedMs when the bench's watch saw each of its tasks finished
   * @param mostHolding the most of its client's tasks seen holding a slot at once
   * @param onWarm its tasks that claimed a warm worker rather than getting a Job of their own
   * @param outOfOrder its tasks that got a Job before one registered ahead of them
   * @param firstOnWarm whether the first of its tasks to get a Job claimed a warm worker
   */
  record Burst(
      int tasks,
      double startMs,
      List<Double> jobMs,
      List<Double> finishedMs,
      int failed,
      int mostHolding,
      int onWarm,
      int outOfOrder,
      boolean firstOnWarm) {
    double spanS() {
      return (Stats.of(finishedMs).max() - startMs) / 1000;
    }

    double tasksPerS() {
      return tasks / spanS();
    }

    /** Its first register sent → its first task seen with a Job: the queue let it start. */
    double firstJobMs() {
      return Stats.of(jobMs).min() - startMs;
    }

    /** Its first register sent → its first task seen finished. */
    double firstDoneMs() {
      return Stats.of(finishedMs).min() - startMs;
    }
  }

  /**
   * The two bursts of one run.
   *
   * @param queuedAtSecond the first client's tasks waiting for a slot when the second's burst began
   */
  record Run(Burst first, Burst second, int queuedAtSecond) {
    double totalTasksPerS() {
      double end = Math.max(Stats.of(first.finishedMs).max(), Stats.of(second.finishedMs).max());
      return (first.tasks + second.tasks) / ((end - first.startMs) / 1000);
    }
  }

  /**
   * What part 2 measured.
   *
   * @param limit each client's max-running
   * @param loneMs small tasks registered one at a time on the clients' stack, each alone
   */
  record Result(int limit, Stats loneMs, Run shared, Run baseline) {}

  private ClientSharing() {}

  /**
   * Each client may run half the cores' worth of tasks: while both have work the two limits fill
   * the machine (one working pod per core is what item 3 finds the cores allow), and one client
   * alone leaves the other half idle, which is what a limit costs.
   */
  static int limit() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  static Result measure(BenchContext bench, int m) throws Exception {
    String input = bench.tinyInput();
    EmbeddedStack main = bench.stack();
    Log.line("9. integrations: baseline, keys off, two bursts of " + m + " small tasks");
    Run baseline;
    try (TaskWatch watch = new TaskWatch(main.kubernetesClient(), main.config().namespace())) {
      bench.warmPool().awaitReady();
      baseline =
          run(bench.api(), TaskWatch.NO_CLIENT, bench.api(), TaskWatch.NO_CLIENT, watch, input, m);
    }

    int limit = limit();
    String aliceKey = randomKey();
    String bobKey = randomKey();
    Log.line("9. integrations: a stack whose keys are alice and bob, max-running=" + limit);
    StackConfig config =
        StackConfig.forTest(bench.scratch().resolve("stack-clients"))
            .withWarmWorkers(bench.warmPool().count())
            .withApiClients(
                ApiClients.of(
                    aliceKey + " name=" + FIRST + " max-running=" + limit,
                    bobKey + " name=" + SECOND + " max-running=" + limit));
    try (EmbeddedStack stack = EmbeddedStack.start(config);
        TaskFinishes finishes =
            new TaskFinishes(stack.kubernetesClient(), stack.config().namespace());
        TaskWatch watch = new TaskWatch(stack.kubernetesClient(), stack.config().namespace())) {
      String stackInput = bench.tinyInput(stack);
      ApiClient alice = new ApiClient(stack.apiUri(), aliceKey);
      ApiClient bob = new ApiClient(stack.apiUri(), bobKey);
      WarmPool pool = new WarmPool(stack);
      // One task per client first, not timed: the first start of anything on a new stack.
      for (ApiClient client : List.of(alice, bob)) {
        pool.awaitReady();
        lone(client, stackInput, finishes);
      }
      List<Double> lone = new ArrayList<>();
      for (int i = 0; i < LONE_TASKS; i++) {
        pool.awaitReady();
        lone.add(lone(alice, stackInput, finishes));
      }
      pool.awaitReady();
      Run shared = run(alice, FIRST, bob, SECOND, watch, stackInput, m);
      return new Result(limit, Stats.of(lone), shared, baseline);
    }
  }

  /** One small task registered alone; register → completed in ms. */
  static double lone(ApiClient client, String input, TaskFinishes finishes) throws Exception {
    double t = Clock.nowMs();
    String id = client.register(BenchContext.SMALL_COMMAND, input, "out.mp4");
    client.awaitCompleted(id, finishes, Duration.ofMinutes(2));
    return Clock.nowMs() - t;
  }

  /**
   * The first client's burst of {@code m}, then after {@link #SECOND_AFTER} the second's, each
   * registered one after another; then until all are finished.
   */
  private static Run run(
      ApiClient first,
      String firstName,
      ApiClient second,
      String secondName,
      TaskWatch watch,
      String input,
      int m)
      throws Exception {
    double firstStart = Clock.nowMs();
    List<String> firstIds = register(first, input, m);
    Thread.sleep(SECOND_AFTER.toMillis());
    int queued = watch.queued(firstName);
    double secondStart = Clock.nowMs();
    List<String> secondIds = register(second, input, m);
    List<String> all = new ArrayList<>(firstIds);
    all.addAll(secondIds);
    if (!watch.awaitFinished(all, all.size() * 10_000.0 + 60_000)) {
      throw new IOException("not every task of the two bursts finished in time");
    }
    Log.line(
        String.format(
            Locale.ROOT,
            "   %s and %s: %d tasks finished %.1f s after the first register",
            firstName.isEmpty() ? "first burst" : firstName,
            secondName.isEmpty() ? "second burst" : secondName,
            all.size(),
            (Clock.nowMs() - firstStart) / 1000));
    return new Run(
        burst(watch, firstName, firstIds, firstStart),
        burst(watch, secondName, secondIds, secondStart),
        queued);
  }

  private static List<String> register(ApiClient client, String input, int m) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      ids.add(client.register(BenchContext.SMALL_COMMAND, input, "out.mp4"));
    }
    return ids;
  }

  /** One client's burst as the watch saw it; {@code ids} in the order they were registered. */
  private static Burst burst(TaskWatch watch, String client, List<String> ids, double start) {
    List<Double> job = new ArrayList<>();
    List<Double> finished = new ArrayList<>();
    int failed = 0;
    int onWarm = 0;
    int outOfOrder = 0;
    double latestJob = Double.NEGATIVE_INFINITY;
    double earliestJob = Double.POSITIVE_INFINITY;
    boolean firstOnWarm = false;
    for (String id : ids) {
      finished.add(watch.finishedAt(id));
      failed += watch.finalState(id) == TaskState.Completed ? 0 : 1;
      Double at = watch.jobAt(id);
      if (at == null) {
        continue;
      }
      job.add(at);
      boolean warm = WarmPool.ranOnWarmWorker(id, watch.jobName(id));
      onWarm += warm ? 1 : 0;
      if (at < earliestJob) {
        earliestJob = at;
        firstOnWarm = warm;
      }
      outOfOrder += at < latestJob ? 1 : 0;
      latestJob = Math.max(latestJob, at);
    }
    return new Burst(
        ids.size(),
        start,
        job,
        finished,
        failed,
        watch.mostHolding(client),
        onWarm,
        outOfOrder,
        firstOnWarm);
  }

  /** A new API key. */
  static String randomKey() {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
