package io.ffmpegoperator.dev.kube;

import static io.ffmpegoperator.dev.kube.SchemaViolationsTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** x-kubernetes-validations rules, as the API server evaluates and reports them. */
class CelRulesTest {

  private static final JsonNode TASKS;

  static {
    try {
      TASKS =
          new com.fasterxml.jackson.databind.ObjectMapper(
                  new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
              .readTree(
                  CelRulesTest.class.getResourceAsStream(
                      "/META-INF/fabric8/ffmpegtasks.media.ffmpeg-operator.io-v1.yml"))
              .at("/spec/versions/0/schema/openAPIV3Schema");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final JsonNode SCHEMA =
      yaml(
          """
          type: object
          x-kubernetes-validations:
          - rule: "!has(self.spec.a) || !has(self.spec.b)"
          properties:
            spec:
              type: object
              x-kubernetes-validations:
              - rule: "self.min <= self.max"
                message: min must not exceed max
                fieldPath: .min
              - rule: "self.max < 100"
                messageExpression: "'max is ' + string(self.max) + ', over 99'"
                reason: FieldValueForbidden
              - rule: "self.replicas >= oldSelf.replicas"
                message: replicas may only grow
              - rule: "quantity(self.size).isGreaterThan(quantity('1Gi'))"
              properties:
                min: {type: integer}
                max: {type: integer}
                replicas: {type: integer}
                a: {type: string}
                b: {type: string}
                size: {type: string}
                names:
                  type: array
                  items:
                    type: string
                    x-kubernetes-validations:
                    - rule: "self.startsWith('n-')"
          """);

  private final CelRules rules = new CelRules(SCHEMA);

  @Test
  void ourTaskRuleAllowsCpuAndMemoryOnly() {
    CelRules tasks = new CelRules(TASKS);
    assertThat(tasks.check(yaml("{spec: {resources: {limits: {cpu: 2, memory: 1Gi}}}}"), null))
        .isEmpty();
    assertThat(strings(tasks.check(yaml("{spec: {resources: {requests: {gpu: 1}}}}"), null)))
        .containsExactly(
            "FieldValueInvalid spec.resources.requests: Invalid value: \"object\": only cpu and"
                + " memory may be set");
  }

  @Test
  void aBrokenRuleSaysItsMessageAtItsFieldPath() {
    assertThat(strings(rules.check(yaml("{spec: {min: 5, max: 2, replicas: 1}}"), null)))
        .containsExactly(
            "FieldValueInvalid spec.min: Invalid value: \"object\": min must not exceed max");
  }

  @Test
  void aMessageExpressionAndAReasonAreUsed() {
    assertThat(strings(rules.check(yaml("{spec: {min: 1, max: 200, replicas: 1}}"), null)))
        .containsExactly("FieldValueForbidden spec: Forbidden: max is 200, over 99");
  }

  @Test
  void aRuleWithoutMessageQuotesItselfAndTheRootIsNil() {
    assertThat(strings(rules.check(yaml("{spec: {min: 1, max: 2, a: x, b: y}}"), null)))
        .containsExactly(
            "FieldValueInvalid <nil>: Invalid value: \"object\": failed rule: !has(self.spec.a)"
                + " || !has(self.spec.b)");
  }

  @Test
  void transitionRulesRunOnUpdatesOnly() {
    JsonNode old = yaml("{spec: {min: 1, max: 2, replicas: 3}}");
    JsonNode fewer = yaml("{spec: {min: 1, max: 2, replicas: 2}}");
    assertThat(rules.check(fewer, null)).isEmpty();
    assertThat(strings(rules.check(fewer, old)))
        .containsExactly(
            "FieldValueInvalid spec: Invalid value: \"object\": replicas may only grow");
  }

  @Test
  void aValueLeftAsStoredIsNotCheckedAgain() {
    JsonNode broken = yaml("{spec: {min: 5, max: 2, replicas: 1}}");
    assertThat(rules.check(broken, broken)).isEmpty();
  }

  @Test
  void itemsAreCheckedEachAtItsIndex() {
    assertThat(strings(rules.check(yaml("{spec: {min: 1, max: 2, names: [n-a, b]}}"), null)))
        .containsExactly(
            "FieldValueInvalid spec.names[1]: Invalid value: \"string\": failed rule:"
                + " self.startsWith('n-')");
  }

  @Test
  void anEvaluationErrorIsReported() {
    assertThat(strings(rules.check(yaml("{spec: {max: 2}}"), null)))
        .singleElement()
        .asString()
        .startsWith("FieldValueInvalid spec: Invalid value: \"object\": ")
        .contains("min");
  }

  @Test
  void fieldPathsBecomeFieldPaths() {
    assertThat(CelRules.withFieldPath("spec", ".limits['cpu']")).isEqualTo("spec.limits[cpu]");
    assertThat(CelRules.withFieldPath("", ".spec.items[0]")).isEqualTo("spec.items[0]");
    assertThat(CelRules.withFieldPath("", "")).isEqualTo(FieldError.ROOT);
  }

  private static List<String> strings(List<FieldError> errors) {
    return errors.stream().map(e -> e.reason() + " " + e).toList();
  }
}
