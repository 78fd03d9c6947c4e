package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.protocol.WorkOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcatListsTest {

  @Test
  void listsEachFileInOrderInSingleQuotes() {
    assertThat(ConcatLists.text(List.of("in_1.mp4", "in_2.mp4", "in_1.mp4")))
        .isEqualTo("ffconcat version 1.0\nfile 'in_1.mp4'\nfile 'in_2.mp4'\nfile 'in_1.mp4'\n");
  }

  @Test
  void quotesQuotesAndKeepsEverythingElseLiteral() {
    assertThat(ConcatLists.quote("it's.mp4")).isEqualTo("'it'\\''s.mp4'");
    assertThat(ConcatLists.quote("''")).isEqualTo("''\\'''\\'''");
    assertThat(ConcatLists.quote("a b\\c#d.mp4")).isEqualTo("'a b\\c#d.mp4'");
    assertThat(ConcatLists.quote("../x/y.mp4")).isEqualTo("'../x/y.mp4'");
    assertThat(ConcatLists.text(List.of("it's 2.mp4")))
        .isEqualTo("ffconcat version 1.0\nfile 'it'\\''s 2.mp4'\n");
  }

  @Test
  void lineBreaksCannotBeListed() {
    for (String path : List.of("a\nb.mp4", "a\rb.mp4", "a\0b.mp4")) {
      assertThatThrownBy(() -> ConcatLists.quote(path))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void expectedLengthIsTheLongestInputOrListSum() {
    Map<String, Double> seconds = Map.of("a", 1.0, "b", 1.5, "long", 10.0);
    WorkOrder.ConcatList aba =
        new WorkOrder.ConcatList("l", "in/l.ffconcat", List.of("a", "b", "a"));

    assertThat(ConcatLists.expectedSeconds(Map.of("a", 1.0, "b", 1.5), List.of())).isEqualTo(1.5);
    assertThat(ConcatLists.expectedSeconds(Map.of("a", 1.0, "b", 1.5), List.of(aba)))
        .isEqualTo(3.5);
    assertThat(ConcatLists.expectedSeconds(seconds, List.of(aba))).isEqualTo(10.0);
    WorkOrder.ConcatList twice =
        new WorkOrder.ConcatList(
            "m", "in/m.ffconcat", List.of("b", "b", "b", "b", "b", "b", "b", "b"));
    assertThat(ConcatLists.expectedSeconds(seconds, List.of(aba, twice))).isEqualTo(12.0);
  }

  @Test
  void inputsWithoutADurationCountAsNothing() {
    WorkOrder.ConcatList list =
        new WorkOrder.ConcatList("l", "in/l.ffconcat", List.of("a", "image", "a"));
    assertThat(ConcatLists.expectedSeconds(Map.of("a", 2.0), List.of(list))).isEqualTo(4.0);
    assertThat(ConcatLists.expectedSeconds(Map.of(), List.of(list))).isZero();
  }
}
