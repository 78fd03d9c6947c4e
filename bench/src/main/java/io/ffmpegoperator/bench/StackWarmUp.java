package io.ffmpegoperator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small tasks run before item 1, counted in no item, so that items 1 and 2 measure a stack in use
 * rather than one just started: the stack runs in this JVM, whose JIT compiles the hot paths of its
 * libraries during its first minutes of work, on the cores the tasks need.
 */
final class StackWarmUp {
  private StackWarmUp() {}

  /** Runs the small tasks; returns the Method line that says what these first tasks took. */
  static String run(BenchContext bench) throws Exception {
    Plan plan = bench.plan();
    String input = bench.tinyInput();
    Log.line("warm-up: " + plan.warmUpTasks() + " small tasks, counted in no item");
    List<Double> took = new ArrayList<>();
    for (int i = 0; i < plan.warmUpTasks(); i++) {
      took.add(
          bench.platformTask(BenchContext.SMALL_COMMAND, input, "out.mp4", Duration.ofMinutes(2)));
    }
    Stats all = Stats.of(took);
    Stats first = Stats.of(took.subList(0, Math.min(10, took.size())));
    Stats last = Stats.of(took.subList(Math.max(0, took.size() - 10), took.size()));
    Log.line(
        String.format(
            Locale.ROOT,
            "   p50 %.0f ms (first 10: %.0f ms, last 10: %.0f ms)",
            all.percentile(50),
            first.percentile(50),
            last.percentile(50)));
    return String.format(
        Locale.ROOT,
        "- Before item 1 the bench runs %d small tasks one after another (item 2's command and"
            + " input) and counts them in no item. The stack runs in the bench's JVM, which, like"
            + " `make run`'s, uses the C1 compiler only (`-XX:TieredStopAtLevel=1`, above: C2's"
            + " compile bursts would take the cores from the pods' ffmpeg) and still compiles its"
            + " libraries' hot paths during its first minutes of work, on the cores the tasks"
            + " need; items 1 and 2 measure the stack after that, as it is once in use. What the"
            + " first tasks after a start take: p50 %.0f ms over the first 10 of these, %.0f ms"
            + " over the last 10 (register → completed).\n",
        plan.warmUpTasks(),
        first.percentile(50),
        last.percentile(50));
  }
}
