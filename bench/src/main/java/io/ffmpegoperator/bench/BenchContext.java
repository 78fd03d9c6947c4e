package io.ffmpegoperator.bench;

import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the items of one bench run share: the plan, the embedded stack with the bench's client of
 * its API and its watch on its tasks, the scratch folder, the findings the report ends with, and
 * the last task the platform completed, which later items build on, and the small tasks' input.
 */
final class BenchContext {
  /** Item 2's trivial command; the warm-up and item 3 run it too. */
  static final String SMALL_COMMAND = "-i in_1 -t 0.1 -c copy out_1";

  private static final String TINY_KEY = "bench/inputs/tiny.mp4";

  private final Plan plan;
  private final EmbeddedStack stack;
  private final ApiClient api;
  private final TaskFinishes finishes;
  private final Path scratch;
  private final WarmPool warmPool;
  private final List<String> findings = new ArrayList<>();
  private String lastCompletedTask;
  private String tinyInput;

  BenchContext(Plan plan, EmbeddedStack stack, TaskFinishes finishes, Path scratch) {
    this.plan = plan;
    this.stack = stack;
    this.finishes = finishes;
    this.scratch = scratch;
    this.api = new ApiClient(stack.apiUri());
    this.warmPool = new WarmPool(stack);
  }

  Plan plan() {
    return plan;
  }

  EmbeddedStack stack() {
    return stack;
  }

  /** The client of the stack's own API bridge. */
  ApiClient api() {
    return api;
  }

  TaskFinishes finishes() {
    return finishes;
  }

  WarmPool warmPool() {
    return warmPool;
  }

  /** The bench's scratch folder; kept after a run in which an item failed. */
  Path scratch() {
    return scratch;
  }

  /** A folder of one item's own under the scratch folder, made if need be. */
  Path dir(String name) throws IOException {
    return Files.createDirectories(scratch.resolve(name));
  }

  /** Adds a line to the report's "What is slow and why". */
  void finding(String line) {
    findings.add(line);
  }

  /** The findings so far, in the order the items added them. */
  List<String> findings() {
    return List.copyOf(findings);
  }

  /** Registers one task, waits for completed; returns register → completed in ms. */
  double platformTask(String command, String input, String output, Duration timeout)
      throws Exception {
    double t = Clock.nowMs();
    String id = api.register(command, input, output);
    api.awaitCompleted(id, finishes, timeout);
    lastCompletedTask = id;
    return Clock.nowMs() - t;
  }

  /**
   * The last task {@link #platformTask} completed (items 1 and 2), which items 4 and 6 build on.
   */
  String completedTask() throws IOException {
    if (lastCompletedTask == null) {
      throw new IOException("items 1 and 2 completed no task to build on");
    }
    return lastCompletedTask;
  }

  /** The 1 s 160x120 clip of the small tasks, made by {@link #tinyInput()}. */
  Path tinyClip() {
    return scratch.resolve("tiny.mp4");
  }

  /** {@link #tinyClip()}, stored once in the stack's bucket: the small tasks' input. */
  String tinyInput() throws Exception {
    if (tinyInput == null) {
      Path tiny = tinyClip();
      TestClips.make(stack.ffmpeg().ffmpeg(), tiny, 1, 160, 120, 25, true);
      tinyInput = store(stack, TINY_KEY, tiny);
    }
    return tinyInput;
  }

  /** The small tasks' input on a stack an item started: {@link #tinyClip()} in its bucket. */
  String tinyInput(EmbeddedStack other) throws Exception {
    tinyInput();
    return store(other, TINY_KEY, tinyClip());
  }

  /** Puts {@code file} into the stack's bucket under {@code key}; returns it as a task's input. */
  static String store(EmbeddedStack stack, String key, Path file) {
    stack.storage().put(key, file);
    return "s3://" + stack.storage().bucket() + "/" + key;
  }
}
