package io.ffmpegoperator.dev.kube;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod log cut the way the kubelet cuts it: the last lines ({@code tailLines}), those since a
 * time, each with its timestamp in front ({@code timestamps}). Pure functions on lines read from
 * the node's files.
 */
final class LogText {

  // The kubelet's RFC3339NanoFixed: always nine digits, so that stamped lines line up.
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private LogText() {}

  /** One line as written, its {@code \n} included (the last line of a file may have none). */
  record Line(byte[] bytes, Instant time) {}

  /** The lines of {@code bytes}, each given {@code time}: when it was written, as far as known. */
  static List<Line> lines(byte[] bytes, Instant time) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lines.add(new Line(copy(bytes, start, i + 1), time));
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      lines.add(new Line(copy(bytes, start, bytes.length), time));
    }
    return lines;
  }

  /** The last {@code count} lines; all of them when {@code count} is null. */
  static List<Line> tail(List<Line> lines, Long count) {
    if (count == null || count >= lines.size()) {
      return lines;
    }
    return lines.subList(lines.size() - count.intValue(), lines.size());
  }

  /** The lines written at or after {@code since}; all of them when it is null. */
  static List<Line> since(List<Line> lines, Instant since) {
    return since == null ? lines : lines.stream().filter(l -> !l.time().isBefore(since)).toList();
  }

  /** The lines as one text, each after its timestamp and a space if {@code timestamps}. */
  static byte[] render(List<Line> lines, boolean timestamps) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (Line line : lines) {
      if (timestamps) {
        text.writeBytes((timestamp(line.time()) + " ").getBytes(StandardCharsets.US_ASCII));
      }
      text.writeBytes(line.bytes());
    }
    return text.toByteArray();
  }

  /** {@code 2026-12-06T07:30:14.120000000Z}. */
  static String timestamp(Instant time) {
    return TIMESTAMP.format(time);
  }

  private static byte[] copy(byte[] bytes, int from, int to) {
    byte[] part = new byte[to - from];
    System.arraycopy(bytes, from, part, 0, part.length);
    return part;
  }
}
