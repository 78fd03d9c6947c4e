package io.ffmpegoperator.bench;

import java.util.List;
import java.util.Locale;

/** The tables and figures of item 2's report, made from its measured small tasks. */
final class SmallTaskTables {
  private SmallTaskTables() {}

  static Stats totals(List<SmallTask> tasks) {
    return Stats.of(tasks.stream().map(SmallTask::totalMs).toList());
  }

  static List<Double> values(List<SmallTask> tasks, String step) {
    return tasks.stream()
        .map(x -> x.steps().getOrDefault(step, Double.NaN))
        .filter(d -> !d.isNaN())
        .toList();
  }

  static String medianMs(List<SmallTask> tasks, String step) {
    return ms(Stats.of(values(tasks, step)).median());
  }

  /** {@link #medianMs} of each of {@code steps}, in their order. */
  static List<String> medians(List<SmallTask> tasks, List<String> steps) {
    return steps.stream().map(step -> medianMs(tasks, step)).toList();
  }

  static String ms(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.0f ms", value);
  }

  static String sequence(List<SmallTask> tasks) {
    StringBuilder s = new StringBuilder();
    for (SmallTask x : tasks) {
      s.append(!x.warm() ? 'J' : x.podWaiting() == null ? 'w' : x.podWaiting() ? 'W' : 'S');
    }
    return s.toString();
  }

  static String pathRow(String name, Stats st) {
    if (st.n() == 0) {
      return "| " + name + " | 0 | | | | |\n";
    }
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.0f | %.0f | %.0f | %.0f |\n",
        name,
        st.n(),
        st.percentile(50),
        st.percentile(95),
        st.min(),
        st.max());
  }

  /**
   * The steps of one path, those seen at least once; with a share of {@code medianTotal} and the
   * sum of the medians when it is a number.
   */
  static String stepTable(List<SmallTask> tasks, List<String> steps, double medianTotal) {
    boolean shares = !Double.isNaN(medianTotal);
    StringBuilder s = new StringBuilder();
    s.append("| step | median (ms) | min | max | N |")
        .append(shares ? " share of median total |" : "");
    s.append("\n|---|---:|---:|---:|---:|").append(shares ? "---:|" : "").append('\n');
    double sum = 0;
    for (String step : steps) {
      Stats st = Stats.of(values(tasks, step));
      if (st.n() == 0) {
        continue; // did not happen on this path
      }
      sum += st.median();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.0f | %d |",
              step,
              st.median(),
              st.min(),
              st.max(),
              st.n()));
      if (shares) {
        s.append(String.format(Locale.ROOT, " %.0f%% |", 100 * st.median() / medianTotal));
      }
      s.append('\n');
    }
    if (shares) {
      s.append(
          String.format(
              Locale.ROOT,
              "\nThe step medians add up to %.0f ms; the median register → completed on this path"
                  + " is %.0f ms.\n",
              sum,
              medianTotal));
    }
    return s.append('\n').toString();
  }

  /** " On <path> the biggest step is ..." or nothing when the path had no task. */
  static String biggest(
      String path, List<SmallTask> tasks, List<String> steps, double medianTotal) {
    String biggest = null;
    double biggestMs = -1;
    for (String step : steps) {
      double m = Stats.of(values(tasks, step)).median();
      if (!Double.isNaN(m) && m > biggestMs) {
        biggestMs = m;
        biggest = step;
      }
    }
    if (biggest == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%s the biggest step is \"%s\" at %.0f ms median (%.0f%% of that path's median).",
        path,
        biggest,
        biggestMs,
        100 * biggestMs / medianTotal);
  }
}
