package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator's findings as the API server words them: field, cause type and message. */
class SchemaViolationsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final String SCHEMA =
      """
      type: object
      properties:
        spec:
          type: object
          required: [command, outputs]
          properties:
            command: {type: string, minLength: 1, maxLength: 5, pattern: '^[a-z]+$'}
            priority: {type: string, enum: [High, Low, Normal]}
            timeoutSeconds: {type: integer, minimum: 1.0, maximum: 86400.0}
            ratio: {type: number, minimum: 0, exclusiveMinimum: true, multipleOf: 0.5}
            outputs:
              type: object
              additionalProperties: {type: string}
            items:
              type: array
              minItems: 1
              maxItems: 2
              items:
                type: object
                required: [name]
                properties:
                  name: {type: string}
            limits:
              type: object
              maxProperties: 2
              additionalProperties:
                anyOf: [{type: integer}, {type: string}]
                x-kubernetes-int-or-string: true
            note: {type: string, nullable: true}
            either:
              anyOf: [{type: integer, minimum: 10}, {type: string}]
      """;

  private final SchemaViolations violations = new SchemaViolations(yaml(SCHEMA));

  @Test
  void aValidObjectHasNone() {
    assertThat(
            check(
                "{spec: {command: abc, priority: High, timeoutSeconds: 1.0, ratio: 1.5,"
                    + " outputs: {out_1: o.mp4}, items: [{name: a}], limits: {cpu: 2, memory: 1Gi},"
                    + " note: null, either: 11}}"))
        .isEmpty();
  }

  @Test
  void aMissingRequiredFieldIsNamedWithItsParent() {
    assertThat(check("{spec: {command: abc}}"))
        .containsExactly("FieldValueRequired spec.outputs: Required value");
    assertThat(check("{spec: {command: abc, outputs: {}, items: [{}]}}"))
        .containsExactly("FieldValueRequired spec.items[0].name: Required value");
  }

  @Test
  void aValueOutsideTheEnumListsTheSupportedOnes() {
    assertThat(check("{spec: {command: abc, outputs: {}, priority: Urgent}}"))
        .containsExactly(
            "FieldValueNotSupported spec.priority: Unsupported value: \"Urgent\": supported"
                + " values: \"High\", \"Low\", \"Normal\"");
  }

  @Test
  void aWrongTypeShowsTheTypeFound() {
    assertThat(check("{spec: {command: 3, outputs: {out_1: 4}, timeoutSeconds: abc}}"))
        .containsExactlyInAnyOrder(
            "FieldValueTypeInvalid spec.command: Invalid value: \"integer\": spec.command in body"
                + " must be of type string: \"integer\"",
            "FieldValueTypeInvalid spec.outputs[out_1]: Invalid value: \"integer\":"
                + " spec.outputs[out_1] in body must be of type string: \"integer\"",
            "FieldValueTypeInvalid spec.timeoutSeconds: Invalid value: \"string\":"
                + " spec.timeoutSeconds in body must be of type integer: \"string\"");
  }

  @Test
  void aFractionIsNoInteger() {
    assertThat(check("{spec: {command: abc, outputs: {}, timeoutSeconds: 1.5}}"))
        .containsExactly(
            "FieldValueTypeInvalid spec.timeoutSeconds: Invalid value: \"number\":"
                + " spec.timeoutSeconds in body must be of type integer: \"number\"");
  }

  @Test
  void intOrStringIsOneTypeCheck() {
    assertThat(check("{spec: {command: abc, outputs: {}, limits: {cpu: true}}}"))
        .containsExactly(
            "FieldValueTypeInvalid spec.limits[cpu]: Invalid value: \"boolean\":"
                + " spec.limits[cpu] in body must be of type integer,string: \"boolean\"");
  }

  @Test
  void boundsSayWhatTheyAllow() {
    assertThat(check("{spec: {command: abc, outputs: {}, timeoutSeconds: 0}}"))
        .containsExactly(
            "FieldValueInvalid spec.timeoutSeconds: Invalid value: 0: spec.timeoutSeconds in body"
                + " should be greater than or equal to 1");
    assertThat(check("{spec: {command: abc, outputs: {}, timeoutSeconds: 90000}}"))
        .containsExactly(
            "FieldValueInvalid spec.timeoutSeconds: Invalid value: 90000: spec.timeoutSeconds in"
                + " body should be less than or equal to 86400");
    assertThat(check("{spec: {command: abc, outputs: {}, ratio: 0}}"))
        .containsExactly(
            "FieldValueInvalid spec.ratio: Invalid value: 0: spec.ratio in body should be greater"
                + " than 0");
    assertThat(check("{spec: {command: abc, outputs: {}, ratio: 0.7}}"))
        .containsExactly(
            "FieldValueInvalid spec.ratio: Invalid value: 0.7: spec.ratio in body should be a"
                + " multiple of 0.5");
  }

  @Test
  void stringsAreHeldToLengthAndPattern() {
    assertThat(check("{spec: {command: '', outputs: {}}}"))
        .containsExactlyInAnyOrder(
            "FieldValueInvalid spec.command: Invalid value: \"\": spec.command in body should be"
                + " at least 1 chars long",
            "FieldValueInvalid spec.command: Invalid value: \"\": spec.command in body should"
                + " match '^[a-z]+$'");
    assertThat(check("{spec: {command: abcdef, outputs: {}}}"))
        .containsExactly("FieldValueTooLong spec.command: Too long: may not be longer than 5");
    assertThat(check("{spec: {command: 'a b', outputs: {}}}"))
        .containsExactly(
            "FieldValueInvalid spec.command: Invalid value: \"a b\": spec.command in body should"
                + " match '^[a-z]+$'");
  }

  @Test
  void listsAndMapsAreCounted() {
    assertThat(
            check("{spec: {command: abc, outputs: {}, items: [{name: a}, {name: b}, {name: c}]}}"))
        .containsExactly("FieldValueTooMany spec.items: Too many: 3: must have at most 2 items");
    assertThat(check("{spec: {command: abc, outputs: {}, items: []}}"))
        .containsExactly(
            "FieldValueInvalid spec.items: Invalid value: 0: spec.items in body should have at"
                + " least 1 items");
    assertThat(check("{spec: {command: abc, outputs: {}, limits: {cpu: 1, memory: 2, gpu: 3}}}"))
        .containsExactly("FieldValueTooMany spec.limits: Too many: 3: must have at most 2 items");
  }

  @Test
  void nullIsAllowedOnlyWhereNullable() {
    // The API server prunes such nulls before it validates (SchemaPruning); left in, they fail.
    assertThat(check("{spec: {command: null, outputs: {}, note: null}}"))
        .containsExactly(
            "FieldValueTypeInvalid spec.command: Invalid value: \"null\": spec.command in body"
                + " must be of type string: \"null\"");
  }

  @Test
  void aFailedAnyOfIsOneError() {
    assertThat(check("{spec: {command: abc, outputs: {}, either: 3}}"))
        .containsExactly(
            "FieldValueInvalid spec.either: Invalid value: 3: spec.either in body must validate"
                + " at least one schema (anyOf)");
  }

  @Test
  void theTaskCrdsSchemaIsCheckedAsDeclared() throws Exception {
    JsonNode crd =
        YAML.readTree(
            getClass()
                .getResourceAsStream(
                    "/META-INF/fabric8/ffmpegtasks.media.ffmpeg-operator.io-v1.yml"));
    SchemaViolations tasks =
        new SchemaViolations(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    List<FieldError> errors =
        tasks.check(
            yaml(
                "{apiVersion: media.ffmpeg-operator.io/v1alpha1, kind: FfmpegTask, metadata: {name:"
                    + " t1}, spec: {command: x, outputs: {out_1: o.mp4}, priority: Urgent,"
                    + " timeoutSeconds: 0, resources: {limits: {cpu: 2, memory: 1Gi}}}}"));
    assertThat(errors)
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.priority: Unsupported value: \"Urgent\": supported values: \"High\", \"Low\","
                + " \"Normal\"",
            "spec.timeoutSeconds: Invalid value: 0: spec.timeoutSeconds in body should be greater"
                + " than or equal to 1");
  }

  private List<String> check(String object) {
    return violations.check(yaml(object)).stream().map(e -> e.reason() + " " + e).toList();
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
