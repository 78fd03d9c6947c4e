package io.ffmpegoperator.bench;

/** How much of each measurement a mode does: {@code quick} (make bench-quick) or {@code full}. */
record Plan(
    String mode,
    int clipSeconds,
    int overheadRuns,
    int latencyTasks,
    int spacedTasks,
    int throughputTasks,
    int throughputRuns,
    int apiSeconds,
    int apiRuns,
    long uploadBytes,
    int uploadRuns,
    int scaleTasks,
    int scaleRuns,
    int libraryClipSeconds,
    int libraryRuns,
    int warmUpTasks,
    int containerRuns,
    int webhookTasks,
    int clientBurst,
    int parallelClipSeconds,
    int parallelClipHeight) {
  static Plan of(String mode) {
    return switch (mode) {
      case "quick" ->
          new Plan(
              "quick",
              4,
              3,
              20,
              5,
              50,
              1,
              5,
              2,
              256L << 20,
              2,
              2_000,
              1,
              10,
              2,
              20,
              3,
              10,
              6,
              20,
              720);
      // Long enough for stable medians; how long a run takes is in docs/benchmarks.md ("Whole
      // bench took"). The throughput runs, item 7's bare 1080p re-encodes and item 6 take most.
      case "full" ->
          new Plan(
              "full", 10, 9, 50, 15, 200, 3, 10, 5, 1L << 30, 3, 10_000, 2, 60, 2, 60, 7, 40, 20,
              120, 1080);
      default -> throw new IllegalArgumentException("mode is quick or full, not " + mode);
    };
  }
}
