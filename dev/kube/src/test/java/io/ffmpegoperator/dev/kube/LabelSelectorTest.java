package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode labelled(Map<String, String> labels) {
    JsonNode object = JSON.createObjectNode();
    ((com.fasterxml.jackson.databind.node.ObjectNode) object)
        .putObject("metadata")
        .set("labels", JSON.valueToTree(labels));
    return object;
  }

  private final JsonNode web = labelled(Map.of("tier", "web", "app.kubernetes.io/name", "x"));
  private final JsonNode bare = labelled(Map.of());

  private boolean selects(String selector, JsonNode object) {
    return LabelSelector.parse(selector).matches(object);
  }

  @Test
  void equalityAndInequality() {
    assertThat(selects("tier=web", web)).isTrue();
    assertThat(selects("tier==web", web)).isTrue();
    assertThat(selects("tier=db", web)).isFalse();
    assertThat(selects("tier!=db", web)).isTrue();
    assertThat(selects("tier!=web", web)).isFalse();
    // As the API server: != and notin select objects without the label.
    assertThat(selects("tier!=web", bare)).isTrue();
    assertThat(selects("tier=web", bare)).isFalse();
  }

  @Test
  void setsAndExistence() {
    assertThat(selects("tier in (db, web)", web)).isTrue();
    assertThat(selects("tier in (db)", web)).isFalse();
    assertThat(selects("tier notin (db,cache)", web)).isTrue();
    assertThat(selects("tier notin (web)", web)).isFalse();
    assertThat(selects("tier notin (web)", bare)).isTrue();
    assertThat(selects("tier", web)).isTrue();
    assertThat(selects("tier", bare)).isFalse();
    assertThat(selects("!tier", bare)).isTrue();
    assertThat(selects("!tier", web)).isFalse();
    assertThat(selects("app.kubernetes.io/name=x", web)).isTrue();
  }

  @Test
  void requirementsAreAndedAndCommasInsideSetsDoNotSplit() {
    assertThat(selects("tier in (web,db),app.kubernetes.io/name", web)).isTrue();
    assertThat(selects("tier in (web,db),!app.kubernetes.io/name", web)).isFalse();
    assertThat(LabelSelector.parse("a in (x,y),b").requirements()).hasSize(2);
    assertThat(selects("", bare)).isTrue();
    assertThat(selects(null, web)).isTrue();
  }

  @Test
  void unparsableSelectorsAreRefused() {
    for (String bad :
        new String[] {"tier in (web", "=web", "tier=a b", "a,,b", "tier in web", "!"}) {
      assertThatThrownBy(() -> LabelSelector.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("unable to parse requirement: ");
    }
  }
}
