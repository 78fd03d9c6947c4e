package io.ffmpegoperator.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StderrTailTest {

  @Test
  void keepsEverythingWhenShort() throws Exception {
    StderrTail tail = StderrTail.start(stream("a\nb\n"), 64, "t");
    assertThat(tail.awaitText()).isEqualTo("a\nb\n");
  }

  @Test
  void keepsOnlyTheLastWholeLines() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      text.append("line ").append(i).append('\n');
    }
    String kept = StderrTail.start(stream(text.toString()), 64, "t").awaitText();
    assertThat(kept.length()).isLessThanOrEqualTo(64);
    assertThat(kept).startsWith("line ").endsWith("line 999\n");
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
