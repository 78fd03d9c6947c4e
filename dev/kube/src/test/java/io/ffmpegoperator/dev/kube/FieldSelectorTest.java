package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {

  private final JsonNode event =
      read(
          "{\"metadata\":{\"name\":\"e1\"},\"type\":\"Warning\","
              + "\"involvedObject\":{\"kind\":\"FfmpegTask\",\"name\":\"t1\",\"uid\":\"u-1\"}}");

  @Test
  void matchesNestedFieldsWithEveryOperator() {
    assertThat(FieldSelector.parse("involvedObject.name=t1,involvedObject.uid==u-1").matches(event))
        .isTrue();
    assertThat(FieldSelector.parse("involvedObject.name=t2").matches(event)).isFalse();
    assertThat(FieldSelector.parse("type!=Normal").matches(event)).isTrue();
    assertThat(FieldSelector.parse("type!=Warning").matches(event)).isFalse();
  }

  @Test
  void missingFieldsCompareAsEmptyAndBlankSelectsAll() {
    assertThat(FieldSelector.parse("involvedObject.namespace=").matches(event)).isTrue();
    assertThat(FieldSelector.parse(null).matches(event)).isTrue();
    assertThat(FieldSelector.parse(" ").matches(event)).isTrue();
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> FieldSelector.parse("justaword"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static JsonNode read(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
