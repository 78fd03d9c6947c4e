package io.ffmpegoperator.dev.kube;

import static io.ffmpegoperator.dev.kube.SchemaViolationsTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** What the API server removes from a custom resource before storing it, and reports as unknown. */
class SchemaPruningTest {

  private static final JsonNode SCHEMA =
      yaml(
          """
          type: object
          properties:
            spec:
              type: object
              properties:
                command: {type: string}
                note: {type: string, nullable: true}
                outputs:
                  type: object
                  additionalProperties: {type: string}
                items:
                  type: array
                  items:
                    type: object
                    properties:
                      name: {type: string}
                free:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    inner:
                      type: object
                      properties:
                        a: {type: string}
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  properties:
                    spec: {type: object}
            status:
              type: object
              properties:
                state: {type: string}
          """);

  @Test
  void unknownFieldsGoAndAreNamed() {
    ObjectNode object =
        object(
            "{apiVersion: v, kind: K, metadata: {name: a, labels: {x: y}, bogus: 1},"
                + " spec: {command: c, extra: 1, outputs: {out_1: o}, items: [{name: a, colour: red}]},"
                + " status: {state: s, weird: 2}, top: 3}");
    SchemaPruning.Result result = SchemaPruning.prune(object, SCHEMA);
    assertThat(result.unknownFields())
        .containsExactly(
            "metadata.bogus", "spec.extra", "spec.items[0].colour", "status.weird", "top");
    assertThat(result.changed()).isTrue();
    assertThat(object)
        .isEqualTo(
            yaml(
                "{apiVersion: v, kind: K, metadata: {name: a, labels: {x: y}},"
                    + " spec: {command: c, outputs: {out_1: o}, items: [{name: a}]},"
                    + " status: {state: s}}"));
  }

  @Test
  void preservedFieldsStayButDeclaredOnesBelowArePruned() {
    ObjectNode object = object("{spec: {free: {anything: [1, 2], inner: {a: x, b: y}}}}");
    SchemaPruning.Result result = SchemaPruning.prune(object, SCHEMA);
    assertThat(result.unknownFields()).containsExactly("spec.free.inner.b");
    assertThat(object).isEqualTo(yaml("{spec: {free: {anything: [1, 2], inner: {a: x}}}}"));
  }

  @Test
  void anEmbeddedResourceKeepsItsTypeAndMetadata() {
    ObjectNode object =
        object(
            "{spec: {template: {apiVersion: v1, kind: Pod, metadata: {name: p, x: 1}, spec: {},"
                + " other: 2}}}");
    assertThat(SchemaPruning.prune(object, SCHEMA).unknownFields())
        .containsExactly("spec.template.metadata.x", "spec.template.other");
    assertThat(object)
        .isEqualTo(
            yaml("{spec: {template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {}}}}"));
  }

  @Test
  void nullsOfFieldsThatAreNotNullableGoSilently() {
    ObjectNode object = object("{spec: {command: null, note: null, outputs: {out_1: null}}}");
    SchemaPruning.Result result = SchemaPruning.prune(object, SCHEMA);
    assertThat(result.unknownFields()).isEmpty();
    assertThat(result.changed()).isTrue();
    assertThat(object).isEqualTo(yaml("{spec: {note: null, outputs: {}}}"));
  }

  @Test
  void aFittingObjectIsLeftAsItIs() {
    ObjectNode object = object("{apiVersion: v, kind: K, metadata: {name: a}, spec: {command: c}}");
    SchemaPruning.Result result = SchemaPruning.prune(object, SCHEMA);
    assertThat(result.changed()).isFalse();
    assertThat(result.unknownFields()).isEmpty();
  }

  private static ObjectNode object(String yaml) {
    return (ObjectNode) yaml(yaml);
  }
}
