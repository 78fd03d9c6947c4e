package io.ffmpegoperator.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/** Order statistics of a sample: nearest-rank percentiles, no interpolation. */
record Stats(List<Double> sorted) {
  static Stats of(Collection<Double> values) {
    List<Double> s = new ArrayList<>(values);
    s.sort(Double::compare);
    return new Stats(s);
  }

  /**
   * {@code op(a[i], b[i])} for two samples taken in pairs (run by run), e.g. {@code (x, y) -> x /
   * y} for their ratios.
   */
  static Stats ofPairs(List<Double> a, List<Double> b, DoubleBinaryOperator op) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      values.add(op.applyAsDouble(a.get(i), b.get(i)));
    }
    return of(values);
  }

  int n() {
    return sorted.size();
  }

  double percentile(double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  double median() {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  double min() {
    return sorted.isEmpty() ? Double.NaN : sorted.get(0);
  }

  double max() {
    return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
  }
}
