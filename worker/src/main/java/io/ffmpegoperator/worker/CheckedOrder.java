package io.ffmpegoperator.worker;

import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkReport.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A work order checked before anything of it runs: it is complete, every local path it names lies
 * inside the work directory (whose folders it makes), its concat lists name its own inputs, and its
 * allowed networks parse. Anything else is a broken order, a failure of the setup step.
 */
final class CheckedOrder {
  private final WorkOrder order;
  private final Path workDir;
  private final RunLimits limits;
  // Each concat list's file and text, written after the fetch.
  private final Map<Path, String> concatFiles = new LinkedHashMap<>();
  private AddressPolicy addresses;

  private CheckedOrder(WorkOrder order, Path workDir) {
    this.order = order;
    this.workDir = workDir;
    this.limits = orDefaults(order.limits());
  }

  /**
   * Checks {@code order} for a run in {@code workDir} and makes the folders it writes to.
   *
   * @throws StepFailedException of the setup step, saying what is wrong
   */
  static CheckedOrder check(WorkOrder order, Path workDir) throws StepFailedException {
    CheckedOrder checked = new CheckedOrder(order, workDir);
    checked.check();
    return checked;
  }

  RunLimits limits() {
    return limits;
  }

  /** Where inputs may be fetched from, besides public addresses. */
  AddressPolicy addresses() {
    return addresses;
  }

  /** Each concat list's file and the text to write there. */
  Map<Path, String> concatFiles() {
    return concatFiles;
  }

  private void check() throws StepFailedException {
    if (order.args() == null || order.args().stream().anyMatch(Objects::isNull)) {
      throw setup("the work order has no ffmpeg arguments");
    }
    for (WorkOrder.Input input : inputs()) {
      if (input == null || input.name() == null || input.url() == null) {
        throw setup("the work order has an incomplete input");
      }
      resolve(input.path(), input.name());
    }
    for (WorkOrder.Output output : outputs()) {
      if (output == null || output.name() == null || output.uploadUrl() == null) {
        throw setup("the work order has an incomplete output");
      }
      resolve(output.path(), output.name());
    }
    checkConcatLists();
    try {
      addresses = AddressPolicy.allowing(order.allowedNetworks());
    } catch (IllegalArgumentException e) {
      throw setup("the work order's allowed networks are not valid");
    }
    try {
      Files.createDirectories(workDir.resolve("in"));
      Files.createDirectories(workDir.resolve("out"));
      for (WorkOrder.Input input : inputs()) {
        Files.createDirectories(resolve(input.path(), input.name()).getParent());
      }
      for (WorkOrder.Output output : outputs()) {
        Files.createDirectories(resolve(output.path(), output.name()).getParent());
      }
      for (Path list : concatFiles.keySet()) {
        Files.createDirectories(list.getParent());
      }
    } catch (IOException e) {
      throw setup("the work directory is not writable");
    }
  }

  /**
   * Each list must name known inputs and have a path of its own in the work directory; its text is
   * kept for {@link #concatFiles()}.
   */
  private void checkConcatLists() throws StepFailedException {
    Map<String, Path> inputPaths = new HashMap<>();
    Set<Path> taken = new HashSet<>();
    for (WorkOrder.Input input : inputs()) {
      Path path = resolve(input.path(), input.name());
      inputPaths.putIfAbsent(input.name(), path);
      taken.add(path);
    }
    for (WorkOrder.Output output : outputs()) {
      taken.add(resolve(output.path(), output.name()));
    }
    for (WorkOrder.ConcatList list : concatLists()) {
      if (list == null
          || list.name() == null
          || list.inputs() == null
          || list.inputs().isEmpty()
          || list.inputs().contains(null)) {
        throw setup("the work order has an incomplete concat list");
      }
      Path file = resolve(list.path(), list.name());
      if (!taken.add(file)) {
        throw setup("the concat list '" + list.name() + "' has the path of another file");
      }
      Path folder = file.getParent();
      List<String> entries = new ArrayList<>();
      for (String member : list.inputs()) {
        Path input = inputPaths.get(member);
        if (input == null) {
          throw setup(
              "the concat list '" + list.name() + "' names an unknown input '" + member + "'");
        }
        entries.add(folder.relativize(input).toString());
      }
      try {
        concatFiles.put(file, ConcatLists.text(entries));
      } catch (IllegalArgumentException e) {
        throw setup("the concat list '" + list.name() + "' names a path it cannot hold");
      }
    }
  }

  /** A path of the order inside the work directory; anything else is a broken order. */
  Path resolve(String relative, String name) throws StepFailedException {
    if (relative == null || relative.isBlank()) {
      throw setup("no local path for '" + name + "'");
    }
    Path path = workDir.resolve(relative).normalize();
    if (Path.of(relative).isAbsolute() || !path.startsWith(workDir) || path.equals(workDir)) {
      throw setup("the local path of '" + name + "' is outside the work directory");
    }
    return path;
  }

  List<WorkOrder.Input> inputs() {
    return order.inputs() == null ? List.of() : order.inputs();
  }

  List<WorkOrder.ConcatList> concatLists() {
    return order.concatLists() == null ? List.of() : order.concatLists();
  }

  List<WorkOrder.Output> outputs() {
    return order.outputs() == null ? List.of() : order.outputs();
  }

  /** The order's limits; an order without them (from an older operator) gets the defaults. */
  private static RunLimits orDefaults(RunLimits limits) {
    if (limits == null) {
      return RunLimits.defaults();
    }
    if (limits.media() == null) {
      return new RunLimits(
          limits.maxInputBytes(),
          limits.maxDownloadSeconds(),
          limits.maxOutputBytes(),
          limits.maxCpuSeconds(),
          MediaPolicy.defaults());
    }
    return limits;
  }

  private static StepFailedException setup(String message) {
    return new StepFailedException(Step.Setup, message);
  }
}
