package io.ffmpegoperator.worker;

import io.ffmpegoperator.protocol.WorkOrder;
import java.util.List;
import java.util.Map;

/**
 * The ffconcat files of a work order: their text, and what they mean for the expected length of the
 * ffmpeg run.
 */
final class ConcatLists {
  /** First line of every list; it makes ffmpeg pick the concat demuxer by content too. */
  static final String HEADER = "ffconcat version 1.0";

  private ConcatLists() {}

  /**
   * The text of an ffconcat file naming {@code files} in order, each a path relative to the list's
   * folder.
   *
   * @throws IllegalArgumentException if a path holds a line break or NUL, which no quoting can
   *     carry in this line-based format
   */
  static String text(List<String> files) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (String file : files) {
      text.append("file ").append(quote(file)).append('\n');
    }
    return text.toString();
  }

  /**
   * {@code path} as one ffconcat token: in single quotes, each {@code '} written as {@code '\''}
   * (close the quote, an escaped quote, reopen).
   */
  static String quote(String path) {
    if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0 || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a path in a concat list cannot hold a line break");
    }
    return "'" + path.replace("'", "'\\''") + "'";
  }

  /**
   * The duration ffmpeg's output time is measured against: the longest of any input alone and of
   * any list (the sum of its entries, an input counted each time it is listed). Inputs without a
   * known duration count as 0; 0 overall means unknown.
   *
   * @param inputSeconds each probed input's duration, by input name
   */
  static double expectedSeconds(
      Map<String, Double> inputSeconds, List<WorkOrder.ConcatList> lists) {
    double longest = 0;
    for (double seconds : inputSeconds.values()) {
      longest = Math.max(longest, seconds);
    }
    for (WorkOrder.ConcatList list : lists) {
      double sum = 0;
      for (String name : list.inputs()) {
        sum += inputSeconds.getOrDefault(name, 0.0);
      }
      longest = Math.max(longest, sum);
    }
    return longest;
  }
}
