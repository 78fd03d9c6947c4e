package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTextTest {

  private static final Instant EARLY = Instant.parse("2026-12-06T07:30:14.12Z");
  private static final Instant LATE = Instant.parse("2026-12-06T07:31:00Z");

  @Test
  void splitsIntoLinesKeepingAnUnfinishedLastOne() {
    List<LogText.Line> lines = LogText.lines(bytes("a\nbb\nc"), EARLY);

    assertThat(lines).extracting(l -> text(l.bytes())).containsExactly("a\n", "bb\n", "c");
    assertThat(LogText.lines(new byte[0], EARLY)).isEmpty();
  }

  @Test
  void tailKeepsTheLastLines() {
    List<LogText.Line> lines = LogText.lines(bytes("1\n2\n3\n"), EARLY);

    assertThat(text(LogText.render(LogText.tail(lines, 2L), false))).isEqualTo("2\n3\n");
    assertThat(text(LogText.render(LogText.tail(lines, 0L), false))).isEmpty();
    assertThat(text(LogText.render(LogText.tail(lines, 9L), false))).isEqualTo("1\n2\n3\n");
    assertThat(text(LogText.render(LogText.tail(lines, null), false))).isEqualTo("1\n2\n3\n");
  }

  @Test
  void sinceKeepsWhatWasWrittenFromThatTimeOn() {
    List<LogText.Line> lines = new ArrayList<>(LogText.lines(bytes("old\n"), EARLY));
    lines.addAll(LogText.lines(bytes("new\n"), LATE));

    assertThat(text(LogText.render(LogText.since(lines, LATE), false))).isEqualTo("new\n");
    assertThat(text(LogText.render(LogText.since(lines, EARLY), false))).isEqualTo("old\nnew\n");
    assertThat(text(LogText.render(LogText.since(lines, null), false))).isEqualTo("old\nnew\n");
  }

  @Test
  void timestampsAreTheKubeletsFixedWidthRfc3339() {
    List<LogText.Line> lines = LogText.lines(bytes("a\nb"), EARLY);

    assertThat(text(LogText.render(lines, true)))
        .isEqualTo("2026-12-06T07:30:14.120000000Z a\n2026-12-06T07:30:14.120000000Z b");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
