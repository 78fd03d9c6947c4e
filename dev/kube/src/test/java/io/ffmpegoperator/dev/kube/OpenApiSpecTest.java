package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI documents built from the built-in kinds and the project's CRDs, without a server. */
class OpenApiSpecTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TASK = "io.ffmpeg-operator.media.v1alpha1.FfmpegTask";
  private static final String TASK_ITEM =
      "/apis/media.ffmpeg-operator.io/v1alpha1/namespaces/{namespace}/ffmpegtasks/{name}";

  private static List<JsonNode> crds;
  private static OpenApiSpec spec;

  @BeforeAll
  static void build() {
    crds = new ArrayList<>();
    List<ResourceType> types = new ArrayList<>(ResourceType.BUILT_IN);
    for (CustomResourceDefinition crd :
        ClasspathCrds.load(OpenApiSpecTest.class.getClassLoader())) {
      JsonNode json = JSON.valueToTree(crd);
      crds.add(json);
      types.addAll(ResourceType.fromCrd(json));
    }
    spec = OpenApiSpec.build(types, crds, BuiltInSchemas.get());
  }

  @Test
  void namesCustomSchemasAsTheApiServerDoes() {
    assertThat(
            OpenApiSpec.customDefinitionName("media.ffmpeg-operator.io", "v1alpha1", "FfmpegTask"))
        .isEqualTo(TASK);
    assertThat(BuiltInSchemas.definitionName(OpenApiSpec.EVENTS_V1))
        .isEqualTo("io.k8s.api.events.v1.Event");
  }

  @Test
  void hasOneDocumentPerServedGroupVersion() {
    assertThat(spec.groupVersionPaths())
        .contains(
            "api/v1",
            "apis/batch/v1",
            "apis/coordination.k8s.io/v1",
            "apis/events.k8s.io/v1",
            "apis/apiextensions.k8s.io/v1",
            "apis/media.ffmpeg-operator.io/v1alpha1");
    assertThat(spec.v3("apis/apps/v1")).isEmpty();
  }

  @Test
  void taskSchemaIsTheCrdsWithItsDescriptionsAndGroupVersionKind() {
    JsonNode doc = spec.v3("apis/media.ffmpeg-operator.io/v1alpha1").orElseThrow();
    JsonNode task = doc.path("components").path("schemas").path(TASK);

    assertThat(task.path(OpenApiSpec.GVK))
        .containsExactly(
            JSON.createObjectNode()
                .put("group", "media.ffmpeg-operator.io")
                .put("kind", "FfmpegTask")
                .put("version", "v1alpha1"));
    JsonNode declared = crdSchema("FfmpegTask").path("properties").path("spec");
    JsonNode command = task.path("properties").path("spec").path("properties").path("command");
    assertThat(command.path("description").asText())
        .isNotBlank()
        .isEqualTo(declared.path("properties").path("command").path("description").asText());
    assertThat(
            task.path("properties").path("spec").path("properties").path("priority").path("enum"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("High", "Low", "Normal");
    // metadata is the standard ObjectMeta, as the API server puts it into a CRD's schema.
    assertThat(task.path("properties").path("metadata").path("allOf").path(0).path("$ref").asText())
        .isEqualTo(OpenApiSpec.COMPONENTS + BuiltInSchemas.OBJECT_META);
    assertThat(doc.path("components").path("schemas").has(BuiltInSchemas.OBJECT_META)).isTrue();
    assertThat(task.path("properties").path("apiVersion").path("type").asText())
        .isEqualTo("string");
  }

  @Test
  void everyCrdKindDeclaresFieldValidationOnItsPatch() {
    JsonNode doc = spec.v3("apis/media.ffmpeg-operator.io/v1alpha1").orElseThrow();
    for (JsonNode crd : crds) {
      String plural = crd.path("spec").path("names").path("plural").asText();
      String kind = crd.path("spec").path("names").path("kind").asText();
      JsonNode patch =
          doc.path("paths")
              .path(
                  "/apis/media.ffmpeg-operator.io/v1alpha1/namespaces/{namespace}/"
                      + plural
                      + "/{name}")
              .path("patch");
      assertThat(patch.path(OpenApiSpec.GVK).path("kind").asText()).isEqualTo(kind);
      assertThat(parameterNames(patch)).contains("fieldValidation", "fieldManager", "force");
      assertThat(
              doc.path("components")
                  .path("schemas")
                  .has(
                      OpenApiSpec.customDefinitionName(
                          "media.ffmpeg-operator.io", "v1alpha1", kind)))
          .isTrue();
    }
    assertThat(
            doc.path("paths")
                .path(TASK_ITEM + "/status")
                .path("patch")
                .path(OpenApiSpec.GVK)
                .path("kind")
                .asText())
        .isEqualTo("FfmpegTask");
  }

  @Test
  void builtInKindsCarryTheirSchemasFromTheJar() {
    JsonNode core = spec.v3("api/v1").orElseThrow();
    JsonNode schemas = core.path("components").path("schemas");
    JsonNode pod = schemas.path("io.k8s.api.core.v1.Pod");
    assertThat(pod.path(OpenApiSpec.GVK).path(0).path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path(OpenApiSpec.GVK).path(0).path("group").asText()).isEmpty();
    assertThat(pod.has("x-fabric8-info")).isFalse();
    // kubectl explain pods.spec.containers follows spec's reference to PodSpec.
    String podSpec =
        pod.path("properties").path("spec").path("allOf").path(0).path("$ref").asText();
    assertThat(podSpec).isEqualTo(OpenApiSpec.COMPONENTS + "io.k8s.api.core.v1.PodSpec");
    JsonNode containers =
        schemas.path("io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
    assertThat(containers.path("type").asText()).isEqualTo("array");
    assertThat(containers.path("description").asText()).isNotBlank();
    // When a kind's group-version has no document, kubectl checks Namespace's PATCH instead.
    JsonNode namespacePatch = core.path("paths").path("/api/v1/namespaces/{name}").path("patch");
    assertThat(namespacePatch.path(OpenApiSpec.GVK).path("kind").asText()).isEqualTo("Namespace");
    assertThat(parameterNames(namespacePatch)).contains("fieldValidation");

    JsonNode jobs = spec.v3("apis/batch/v1").orElseThrow();
    assertThat(
            jobs.path("components")
                .path("schemas")
                .path("io.k8s.api.batch.v1.Job")
                .path(OpenApiSpec.GVK)
                .path(0)
                .path("group")
                .asText())
        .isEqualTo("batch");
    assertThat(
            parameterNames(
                jobs.path("paths")
                    .path("/apis/batch/v1/namespaces/{namespace}/jobs/{name}")
                    .path("patch")))
        .contains("fieldValidation");
    for (String gv : List.of("apis/coordination.k8s.io/v1", "apis/events.k8s.io/v1")) {
      assertThat(
              spec.v3(gv)
                  .orElseThrow()
                  .path("components")
                  .path("schemas")
                  .has(
                      gv.endsWith("events.k8s.io/v1")
                          ? "io.k8s.api.events.v1.Event"
                          : "io.k8s.api.coordination.v1.Lease"))
          .isTrue();
    }
  }

  @Test
  void everyReferenceResolvesInsideItsDocument() {
    for (String gv : spec.groupVersionPaths()) {
      JsonNode doc = spec.v3(gv).orElseThrow();
      Set<String> refs = references(doc, OpenApiSpec.COMPONENTS);
      assertThat(refs).as(gv).isNotEmpty();
      assertThat(doc.path("components").path("schemas").fieldNames())
          .toIterable()
          .as(gv)
          .containsAll(refs);
      assertThat(doc.toString()).as(gv).doesNotContain("#/definitions/");
    }
    JsonNode v2 = spec.v2();
    assertThat(v2.path("definitions").fieldNames())
        .toIterable()
        .containsAll(references(v2, BuiltInSchemas.DEFINITIONS));
    assertThat(v2.toString()).doesNotContain("#/components/");
  }

  @Test
  void v2HasEveryKindInSwaggerForm() {
    JsonNode v2 = spec.v2();
    assertThat(v2.path("swagger").asText()).isEqualTo("2.0");
    JsonNode task = v2.path("definitions").path(TASK);
    assertThat(task.path(OpenApiSpec.GVK).path(0).path("kind").asText()).isEqualTo("FfmpegTask");
    // Swagger 2.0 has no anyOf: the int-or-string quantities of spec.resources lose it.
    assertThat(task.toString()).doesNotContain("\"anyOf\"").doesNotContain("\"nullable\"");
    assertThat(
            v2.path("definitions")
                .path("io.k8s.api.core.v1.Pod")
                .path(OpenApiSpec.GVK)
                .path(0)
                .path("kind")
                .asText())
        .isEqualTo("Pod");
    JsonNode patch = v2.path("paths").path(TASK_ITEM).path("patch");
    assertThat(parameterNames(patch)).contains("fieldValidation", "body");
    assertThat(patch.path("consumes"))
        .extracting(JsonNode::asText)
        .contains("application/merge-patch+json");
  }

  @Test
  void toV3WrapsAReferenceWithSiblingsInAllOf() {
    JsonNode v2 =
        JSON.createObjectNode().put("$ref", "#/definitions/X").put("description", "the x");
    assertThat(OpenApiSpec.toV3(v2).toString())
        .isEqualTo("{\"allOf\":[{\"$ref\":\"#/components/schemas/X\"}],\"description\":\"the x\"}");
    assertThat(OpenApiSpec.toV3(JSON.createObjectNode().put("$ref", "#/definitions/X")).toString())
        .isEqualTo("{\"$ref\":\"#/components/schemas/X\"}");
  }

  private static JsonNode crdSchema(String kind) {
    for (JsonNode crd : crds) {
      if (crd.path("spec").path("names").path("kind").asText().equals(kind)) {
        return crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
      }
    }
    throw new AssertionError("no CRD of kind " + kind);
  }

  private static List<String> parameterNames(JsonNode operation) {
    List<String> names = new ArrayList<>();
    operation.path("parameters").forEach(p -> names.add(p.path("name").asText()));
    return names;
  }

  private static Set<String> references(JsonNode node, String prefix) {
    Set<String> refs = new TreeSet<>();
    collect(node, prefix, refs);
    return refs;
  }

  private static void collect(JsonNode node, String prefix, Set<String> refs) {
    if (node.isObject() && node.path("$ref").asText().startsWith(prefix)) {
      refs.add(node.path("$ref").asText().substring(prefix.length()));
    }
    node.forEach(child -> collect(child, prefix, refs));
  }
}
