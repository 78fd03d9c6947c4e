package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Status documents of refused custom resources, as apimachinery builds them. */
class FieldErrorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final FieldError PRIORITY =
      new FieldError(
          FieldError.NOT_SUPPORTED,
          "spec.priority",
          TextNode.valueOf("Urgent"),
          "supported values: \"High\", \"Low\", \"Normal\"",
          null);
  private static final FieldError TIMEOUT =
      new FieldError(
          FieldError.INVALID,
          "spec.timeoutSeconds",
          IntNode.valueOf(0),
          "spec.timeoutSeconds in body should be greater than or equal to 1",
          null);

  @Test
  void severalErrorsAreOneBracketedMessageAndOneCauseEach() throws Exception {
    MockResponse response =
        FieldErrors.invalid(
            "FfmpegTask", "media.ffmpeg-operator.io", "t1", List.of(PRIORITY, TIMEOUT));
    assertThat(response.code()).isEqualTo(422);
    JsonNode status = JSON.readTree(response.getBody().getBytes());
    assertThat(status)
        .isEqualTo(
            JSON.readTree(
                """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"FfmpegTask.media.ffmpeg-operator.io \\"t1\\" is invalid: [spec.priority: Unsupported value: \\"Urgent\\": supported values: \\"High\\", \\"Low\\", \\"Normal\\", spec.timeoutSeconds: Invalid value: 0: spec.timeoutSeconds in body should be greater than or equal to 1]",
                 "reason":"Invalid",
                 "details":{"name":"t1","group":"media.ffmpeg-operator.io","kind":"FfmpegTask",
                   "causes":[{"reason":"FieldValueNotSupported","message":"Unsupported value: \\"Urgent\\": supported values: \\"High\\", \\"Low\\", \\"Normal\\"","field":"spec.priority"},
                             {"reason":"FieldValueInvalid","message":"Invalid value: 0: spec.timeoutSeconds in body should be greater than or equal to 1","field":"spec.timeoutSeconds"}]},
                 "code":422}
                """));
  }

  @Test
  void oneErrorIsBareAndRepeatsAreSaidOnce() {
    assertThat(FieldErrors.message("FfmpegTask", "g", "t1", List.of(TIMEOUT, TIMEOUT)))
        .isEqualTo(
            "FfmpegTask.g \"t1\" is invalid: spec.timeoutSeconds: Invalid value: 0:"
                + " spec.timeoutSeconds in body should be greater than or equal to 1");
  }

  @Test
  void strictDecodingNamesEveryUnknownField() throws Exception {
    MockResponse response =
        FieldErrors.strictDecoding("FfmpegTask", "v1alpha1", List.of("spec.bogus", "top"));
    assertThat(response.code()).isEqualTo(400);
    JsonNode status = JSON.readTree(response.getBody().getBytes());
    assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "FfmpegTask in version \"v1alpha1\" cannot be handled as a FfmpegTask: strict decoding"
                + " error: unknown field \"spec.bogus\", unknown field \"top\"");
  }

  @Test
  void valuesArePrintedAsGoPrintsThem() {
    assertThat(FieldError.goValue(TextNode.valueOf("a\"b"))).isEqualTo("\"a\\\"b\"");
    assertThat(FieldError.goValue(JSON.getNodeFactory().numberNode(1.0))).isEqualTo("1");
    assertThat(FieldError.goValue(JSON.getNodeFactory().numberNode(0.25))).isEqualTo("0.25");
    assertThat(FieldError.goNumber(1e21)).isEqualTo("1e+21");
    assertThat(FieldError.goNumber(86400.0)).isEqualTo("86400");
    assertThat(FieldError.goValue(null)).isEqualTo("\"null\"");
    assertThat(new FieldError(FieldError.INVALID, FieldError.ROOT, null, "why", null).toString())
        .isEqualTo("<nil>: Invalid value: \"null\": why");
  }
}
