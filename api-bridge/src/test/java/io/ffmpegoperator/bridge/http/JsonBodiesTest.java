package io.ffmpegoperator.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bodies read into records as pydantic reads them into models, with its 422 when they misfit. */
class JsonBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Integers of every shape the bridge's request records use. */
  record Integers(
      @JsonProperty(value = "a", required = true) long a,
      @JsonProperty(value = "b", required = true) long b,
      @JsonProperty(value = "c", required = true) Long c,
      @JsonProperty(value = "f", required = true) List<Long> f,
      @JsonProperty("g") Long g) {}

  /** Strings, a string or number, a string map, and an optional string. */
  record Texts(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "time", required = true) @NumberAsText String time,
      @JsonProperty("files") Map<String, String> files,
      @JsonProperty("mode") String mode) {}

  record Unsupported(@JsonProperty("flag") boolean flag) {}

  @Test
  void integersAreReadInLaxMode() {
    Integers read =
        JsonBodies.parse(
            Integers.class, null, "{\"a\": 3, \"b\": \"4\", \"c\": 5.0, \"f\": [1, \" 2 \", 3.0]}");

    assertThat(read).isEqualTo(new Integers(3, 4, 5L, List.of(1L, 2L, 3L), null));
  }

  @Test
  void integersThatAreNoneAreEachReported() {
    List<ValidationError> errors =
        errors(
            Integers.class,
            null,
            "{\"a\": 5.5, \"b\": true, \"c\": 1e15, \"f\": [1, \"x\", null],"
                + " \"g\": 123456789012345678901234567890}");

    assertThat(errors)
        .extracting(ValidationError::type)
        .containsExactly(
            "int_from_float", "int_type", "int_from_float", "int_parsing", "int_type", "int_type");
    assertThat(errors)
        .extracting(ValidationError::loc)
        .containsExactly(
            List.of("body", "a"),
            List.of("body", "b"),
            List.of("body", "c"),
            List.of("body", "f", 1),
            List.of("body", "f", 2),
            List.of("body", "g"));
    assertThat(errors.get(0).msg())
        .isEqualTo("Input should be a valid integer, got a number with a fractional part");
    assertThat(errors.get(3).msg())
        .isEqualTo("Input should be a valid integer, unable to parse string as an integer");
    assertThat(errors.get(4).msg()).isEqualTo("Input should be a valid integer");
  }

  @Test
  void aListThatIsNotOneIsReportedAsSuch() {
    assertThat(errors(Integers.class, null, "{\"a\": 1, \"b\": 2, \"c\": 3, \"f\": \"1,2\"}"))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.type()).isEqualTo("list_type");
              assertThat(error.msg()).isEqualTo("Input should be a valid list");
              assertThat(error.input()).hasToString("\"1,2\"");
            });
  }

  @Test
  void stringsAreStrictButWhereNumbersMayStandForThem() {
    Texts read =
        JsonBodies.parse(
            Texts.class,
            null,
            "{\"name\": \"n\", \"time\": 5000, \"files\": {\"b\": \"2\", \"a\": \"1\"}}");

    assertThat(read.time()).isEqualTo("5000");
    assertThat(read.files().keySet()).containsExactly("b", "a");
    assertThat(read.mode()).isNull();
    assertThat(JsonBodies.parse(Texts.class, null, "{\"name\": \"n\", \"time\": \"0.5s\"}").time())
        .isEqualTo("0.5s");
  }

  @Test
  void anExplicitNullIsAValueOfTheWrongTypeEvenWhereTheFieldIsOptional() throws Exception {
    List<ValidationError> errors =
        errors(
            Texts.class,
            "application/json",
            "{\"name\": 7, \"time\": null, \"files\": {\"a\": 1}, \"mode\": null}");

    assertThat(JSON.writeValueAsString(errors))
        .isEqualTo(
            "[{\"type\":\"string_type\",\"loc\":[\"body\",\"name\"],"
                + "\"msg\":\"Input should be a valid string\",\"input\":7},"
                + "{\"type\":\"string_type\",\"loc\":[\"body\",\"time\"],"
                + "\"msg\":\"Input should be a valid string\",\"input\":null},"
                + "{\"type\":\"string_type\",\"loc\":[\"body\",\"files\",\"a\"],"
                + "\"msg\":\"Input should be a valid string\",\"input\":1},"
                + "{\"type\":\"string_type\",\"loc\":[\"body\",\"mode\"],"
                + "\"msg\":\"Input should be a valid string\",\"input\":null}]");
  }

  @Test
  void unknownFieldsAreIgnored() {
    assertThat(
            JsonBodies.parse(
                Texts.class, null, "{\"name\": \"n\", \"time\": \"1\", \"extra\": [1, {}]}"))
        .isEqualTo(new Texts("n", "1", null, null));
  }

  @Test
  void aRecordWithAComponentTheCheckDoesNotKnowIsRefusedOnItsFirstUse() {
    assertThatThrownBy(() -> JsonBodies.parse(Unsupported.class, null, "{\"flag\": true}"))
        .hasMessageContaining("flag");
  }

  @Test
  void jsonMediaTypesAreTheOnesFastApiParses() {
    assertThat(JsonBodies.isJson(null)).isTrue();
    assertThat(JsonBodies.isJson("application/json")).isTrue();
    assertThat(JsonBodies.isJson("Application/JSON; charset=utf-8")).isTrue();
    assertThat(JsonBodies.isJson("application/merge-patch+json")).isTrue();
    assertThat(JsonBodies.isJson("text/json")).isFalse();
    assertThat(JsonBodies.isJson("application/x-www-form-urlencoded")).isFalse();
  }

  private static List<ValidationError> errors(
      Class<? extends Record> type, String contentType, String body) {
    ApiException error =
        catchThrowableOfType(ApiException.class, () -> JsonBodies.parse(type, contentType, body));
    assertThat(error.status()).isEqualTo(422);
    return ((ValidationErrorResponse) error.body()).detail();
  }
}
