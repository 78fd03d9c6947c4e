package io.ffmpegoperator.bridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.JsonBodies;
import io.ffmpegoperator.bridge.http.ValidationError;
import io.ffmpegoperator.bridge.http.ValidationErrorResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The register body, read as FastAPI reads it into the seed's model. */
class RegisterRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheSeedExampleKeepingOrder() {
    RegisterRequest request =
        parse(
            "application/json; charset=utf-8",
            """
            {"ffmpeg_command": "-i in_1 -i in_2 out_1",
             "input_files": {"in_2": "https://e.com/b.mp4", "in_1": "https://e.com/a.mp4"},
             "output_files": {"out_1": "output.mp4"}}
            """);

    assertThat(request.ffmpegCommand()).isEqualTo("-i in_1 -i in_2 out_1");
    assertThat(request.inputFiles().keySet()).containsExactly("in_2", "in_1");
    assertThat(request.outputFiles()).isEqualTo(Map.of("out_1", "output.mp4"));
    assertThat(request.resources()).isNull();
  }

  @Test
  void resourcesTakeQuantitiesAsTextOrNumbers() {
    RegisterRequest request =
        parse(
            null,
            """
            {"ffmpeg_command": "x out_1", "input_files": {}, "output_files": {"out_1": "a.mp4"},
             "resources": {"requests": {"cpu": 0.5, "memory": "256Mi"}, "limits": {"cpu": 2}}}
            """);

    assertThat(request.resources())
        .isEqualTo(
            Map.of(
                "requests", Map.of("cpu", "0.5", "memory", "256Mi"),
                "limits", Map.of("cpu", "2")));
    assertThat(errors(null, "{\"resources\": {\"limits\": {\"cpu\": true}}}"))
        .extracting(ValidationError::type)
        .contains("string_type");
  }

  @Test
  void unknownKeysAreRefusedAfterTheFieldsProblemsLikeExtraForbid() throws Exception {
    List<ValidationError> errors =
        errors(
            "application/json",
            "{\"foo\": [1, 2], \"ffmpeg_command\": \"x out_1\", \"output_files\": {\"o\": \"a.mp4\"}}");

    assertThat(errors)
        .extracting(ValidationError::type, ValidationError::loc)
        .containsExactly(
            tuple("missing", List.of("body", "input_files")),
            tuple("extra_forbidden", List.of("body", "foo")));
    assertThat(errors.get(1).msg()).isEqualTo("Extra inputs are not permitted");
    assertThat(errors.get(1).input()).isEqualTo(JSON.readTree("[1, 2]"));
  }

  @Test
  void aLeadingFfmpegWordIsDroppedAsTheOriginalDid() {
    assertThat(command("ffmpeg -i in_1 out_1")).isEqualTo("-i in_1 out_1");
    assertThat(command("  ffmpeg\t-i in_1 out_1")).isEqualTo("-i in_1 out_1");
    assertThat(command("ffmpeg")).isEmpty();
    assertThat(command("ffmpegx -i in_1 out_1")).isEqualTo("ffmpegx -i in_1 out_1");
    assertThat(command("-i ffmpeg out_1")).isEqualTo("-i ffmpeg out_1");
  }

  @Test
  void reportsEveryFieldProblemAtOnceLikePydantic() throws Exception {
    String body = "{\"ffmpeg_command\": null, \"input_files\": \"x\"}";

    List<ValidationError> errors = errors("application/json", body);

    assertThat(JSON.writeValueAsString(errors))
        .isEqualTo(
            "[{\"type\":\"string_type\",\"loc\":[\"body\",\"ffmpeg_command\"],"
                + "\"msg\":\"Input should be a valid string\",\"input\":null},"
                + "{\"type\":\"dict_type\",\"loc\":[\"body\",\"input_files\"],"
                + "\"msg\":\"Input should be a valid dictionary\",\"input\":\"x\"},"
                + "{\"type\":\"missing\",\"loc\":[\"body\",\"output_files\"],"
                + "\"msg\":\"Field required\",\"input\":"
                + "{\"ffmpeg_command\":null,\"input_files\":\"x\"}}]");
  }

  @Test
  void malformedJsonPointsAtTheOffendingCharacter() throws Exception {
    List<ValidationError> errors = errors("application/json", "{\"a\": 1,}");

    assertThat(errors)
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.type()).isEqualTo("json_invalid");
              assertThat(error.loc()).containsExactly("body", 8);
              assertThat(error.msg()).isEqualTo("JSON decode error");
              assertThat(error.ctx()).containsKey("error");
            });
    assertThat(errors("application/json", "{} {}").get(0).type()).isEqualTo("json_invalid");
    assertThat(errors("application/json", "   ").get(0).type()).isEqualTo("json_invalid");
  }

  @Test
  void bodiesThatAreNotObjects() {
    assertThat(errors("application/json", "null").get(0).type()).isEqualTo("missing");
    assertThat(errors("application/json", "\"text\"").get(0).type())
        .isEqualTo("model_attributes_type");
    assertThat(errors("application/json", "").get(0).loc()).containsExactly("body");
    assertThat(errors("text/plain", "{}").get(0).input()).isEqualTo("{}");
  }

  @Test
  void parallelTakesSegmentsOrSegmentSecondsAsWholeNumbers() {
    String body =
        "{\"ffmpeg_command\": \"-i in_1 -c:v libx264 out_1\", \"input_files\": {},"
            + " \"output_files\": {\"out_1\": \"o.mp4\"}, \"parallel\": %s}";

    assertThat(parse("application/json", body.formatted("{\"segments\": \"4\"}")).taskParallel())
        .satisfies(p -> assertThat(p.getSegments()).isEqualTo(4));
    assertThat(
            parse("application/json", body.formatted("{\"segment_seconds\": 30}"))
                .taskParallel()
                .getSegmentSeconds())
        .isEqualTo(30L);
    assertThat(errors("application/json", body.formatted("{\"segments\": 2.5}")).get(0).loc())
        .containsExactly("body", "parallel", "segments");
    ApiException unknown =
        catchThrowableOfType(
            ApiException.class,
            () -> parse("application/json", body.formatted("{\"chunks\": 4}")).taskParallel());
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(
            parse("application/json", body.formatted("null").replace(", \"parallel\": null", ""))
                .taskParallel())
        .isNull();
  }

  private static String command(String ffmpegCommand) {
    return new RegisterRequest(ffmpegCommand, Map.of(), Map.of(), null, null, null, null).command();
  }

  private static RegisterRequest parse(String contentType, String body) {
    return JsonBodies.read(
        RegisterRequest.class,
        contentType,
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<ValidationError> errors(String contentType, String body) {
    ApiException error = catchThrowableOfType(ApiException.class, () -> parse(contentType, body));
    assertThat(error.status()).isEqualTo(422);
    return ((ValidationErrorResponse) error.body()).detail();
  }
}
