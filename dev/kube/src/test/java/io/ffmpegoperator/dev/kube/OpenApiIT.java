package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI documents asked for exactly as kubectl 1.32 asks for them (same paths, query strings
 * and Accept headers), and read the way {@code kubectl explain} and {@code kubectl create/apply}'s
 * validation read them.
 */
class OpenApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER_AGENT = "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07";
  // kubectl's discovery client asks for the index with these; each document with plain JSON.
  private static final String INDEX_ACCEPT = "application/json, */*";
  private static final String DOCUMENT_ACCEPT = "application/json";
  // kubectl's only request for v2, made when v3 fails.
  private static final String V2_PROTOBUF =
      "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  private static final String MEDIA = "apis/media.ffmpeg-operator.io/v1alpha1";
  private static final String TASK_CRD = "ffmpegtasks.media.ffmpeg-operator.io";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void explainFindsTheTaskSpecAndTheCrdsDescriptionOfCommand() throws Exception {
    HttpResponse<String> response = get(documentUrl(MEDIA), DOCUMENT_ACCEPT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, immutable");
    JsonNode doc = JSON.readTree(response.body());
    // explain: the GVK of an operation on the kind's collection path, then the schema with it.
    JsonNode gvk =
        doc.path("paths")
            .path("/apis/media.ffmpeg-operator.io/v1alpha1/namespaces/{namespace}/ffmpegtasks")
            .path("get")
            .path("x-kubernetes-group-version-kind");
    assertThat(gvk.path("kind").asText()).isEqualTo("FfmpegTask");
    JsonNode task = schemaWithGvk(doc, gvk);
    assertThat(task).isNotNull();
    JsonNode command = task.path("properties").path("spec").path("properties").path("command");
    assertThat(command.path("type").asText()).isEqualTo("string");
    assertThat(command.path("description").asText())
        .isNotBlank()
        .isEqualTo(storedTaskSpec().getProperties().get("command").getDescription());
  }

  @Test
  void createAndApplyFindFieldValidationOnThePatchOfEachKind() throws Exception {
    for (String[] kind :
        List.of(
            new String[] {MEDIA, "FfmpegTask"},
            new String[] {MEDIA, "Video"},
            new String[] {MEDIA, "VideoJob"},
            new String[] {"api/v1", "ConfigMap"},
            new String[] {"api/v1", "Secret"},
            new String[] {"api/v1", "Namespace"},
            new String[] {"api/v1", "Pod"},
            new String[] {"api/v1", "Event"},
            new String[] {"apis/batch/v1", "Job"},
            new String[] {"apis/coordination.k8s.io/v1", "Lease"},
            new String[] {"apis/events.k8s.io/v1", "Event"})) {
      JsonNode doc = JSON.readTree(get(documentUrl(kind[0]), DOCUMENT_ACCEPT).body());
      List<JsonNode> patches = new ArrayList<>();
      doc.path("paths")
          .forEach(
              path -> {
                JsonNode patch = path.path("patch");
                if (patch
                    .path("x-kubernetes-group-version-kind")
                    .path("kind")
                    .asText()
                    .equals(kind[1])) {
                  patches.add(patch);
                }
              });
      assertThat(patches).as(kind[1]).isNotEmpty();
      for (JsonNode patch : patches) {
        assertThat(patch.path("parameters").findValuesAsText("name"))
            .as(kind[1])
            .contains("fieldValidation");
      }
      assertThat(schemaWithGvk(doc, patches.get(0).path("x-kubernetes-group-version-kind")))
          .as(kind[1])
          .isNotNull();
    }
    // What kubectl create -f then sends instead of validating itself.
    HttpResponse<String> created =
        kube.send(
            "POST",
            "/apis/media.ffmpeg-operator.io/v1alpha1/namespaces/default/ffmpegtasks"
                + "?fieldManager=kubectl-create&fieldValidation=Strict",
            "application/json",
            """
            {"apiVersion":"media.ffmpeg-operator.io/v1alpha1","kind":"FfmpegTask",
             "metadata":{"name":"t1","namespace":"default"},
             "spec":{"command":"-i in_1 out_1","inputs":{"in_1":"http://x/a.mp4"},
                     "outputs":{"out_1":"a.mp4"}}}
            """);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @Test
  void aCrdAppliedLaterIsServedAndOldHashesRedirect() throws Exception {
    String oldTaskUrl = documentUrl(MEDIA);
    kube.client().apiextensions().v1().customResourceDefinitions().resource(widgetCrd()).create();

    String widgets = documentUrl("apis/example.com/v1");
    JsonNode doc = JSON.readTree(get(widgets, DOCUMENT_ACCEPT).body());
    JsonNode widget = doc.path("components").path("schemas").path("com.example.v1.Widget");
    assertThat(
            widget
                .path("properties")
                .path("spec")
                .path("properties")
                .path("size")
                .path("description")
                .asText())
        .isEqualTo("How many wheels the widget has.");
    assertThat(
            doc.path("paths")
                .path("/apis/example.com/v1/widgets/{name}")
                .path("patch")
                .path("x-kubernetes-group-version-kind")
                .path("kind")
                .asText())
        .isEqualTo("Widget");

    // A changed CRD changes its group-version's document, hence the hash in its URL.
    kube.client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(TASK_CRD)
        .edit(
            crd -> {
              storedTaskSpec(crd).getProperties().get("command").setDescription("changed");
              return crd;
            });
    String newTaskUrl = documentUrl(MEDIA);
    assertThat(newTaskUrl).isNotEqualTo(oldTaskUrl);
    HttpResponse<String> old = get(oldTaskUrl, DOCUMENT_ACCEPT);
    assertThat(old.statusCode()).isEqualTo(301);
    assertThat(old.headers().firstValue("Location")).hasValue(newTaskUrl);
    JsonNode current = JSON.readTree(get(newTaskUrl, DOCUMENT_ACCEPT).body());
    assertThat(
            current
                .at(
                    "/components/schemas/io.ffmpeg-operator.media.v1alpha1.FfmpegTask/properties/spec/properties/command/description")
                .asText())
        .isEqualTo("changed");
  }

  @Test
  void v2IsServedAsJsonOnlyAndUnknownGroupVersionsAreNotFound() throws Exception {
    HttpResponse<String> v2 = get("/openapi/v2", "application/json");
    assertThat(v2.statusCode()).isEqualTo(200);
    JsonNode doc = JSON.readTree(v2.body());
    assertThat(doc.path("swagger").asText()).isEqualTo("2.0");
    assertThat(doc.path("definitions").has("io.ffmpeg-operator.media.v1alpha1.FfmpegTask"))
        .isTrue();
    assertThat(
            doc.path("definitions")
                .path("io.k8s.api.batch.v1.Job")
                .path("x-kubernetes-group-version-kind")
                .path(0)
                .path("group")
                .asText())
        .isEqualTo("batch");

    assertThat(get("/openapi/v2?timeout=32s", V2_PROTOBUF).statusCode()).isEqualTo(404);
    assertThat(get("/openapi/v3/apis/apps/v1", DOCUMENT_ACCEPT).statusCode()).isEqualTo(404);
    assertThat(
            get(
                    "/openapi/v3/" + MEDIA,
                    "application/com.github.proto-openapi.spec.v3@v1.0+protobuf")
                .statusCode())
        .isEqualTo(406);
  }

  /** The URL the index gives for a group-version, as kubectl reads it. */
  private String documentUrl(String groupVersion) throws Exception {
    HttpResponse<String> index = get("/openapi/v3", INDEX_ACCEPT);
    assertThat(index.statusCode()).isEqualTo(200);
    String url =
        JSON.readTree(index.body())
            .path("paths")
            .path(groupVersion)
            .path("serverRelativeURL")
            .asText();
    assertThat(url).as(groupVersion).startsWith("/openapi/v3/" + groupVersion + "?hash=");
    return url;
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    // kubectl adds its request timeout to every request.
    String uri =
        path.contains("timeout=") ? path : path + (path.contains("?") ? "&" : "?") + "timeout=32s";
    return http.send(
        HttpRequest.newBuilder(URI.create(kube.url() + uri))
            .header("Accept", accept)
            .header("User-Agent", USER_AGENT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The schema whose x-kubernetes-group-version-kind list holds this GVK, as explain finds it. */
  private static JsonNode schemaWithGvk(JsonNode doc, JsonNode gvk) {
    for (JsonNode schema : doc.path("components").path("schemas")) {
      for (JsonNode candidate : schema.path("x-kubernetes-group-version-kind")) {
        if (candidate.equals(gvk)) {
          return schema;
        }
      }
    }
    return null;
  }

  private JSONSchemaProps storedTaskSpec() {
    return storedTaskSpec(
        kube.client().apiextensions().v1().customResourceDefinitions().withName(TASK_CRD).get());
  }

  private static JSONSchemaProps storedTaskSpec(CustomResourceDefinition crd) {
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec");
  }

  private static CustomResourceDefinition widgetCrd() {
    JSONSchemaProps spec =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withProperties(
                Map.of(
                    "size",
                    new JSONSchemaPropsBuilder()
                        .withType("integer")
                        .withDescription("How many wheels the widget has.")
                        .build()))
            .build();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.example.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("example.com")
        .withScope("Cluster")
        .withNewNames()
        .withKind("Widget")
        .withPlural("widgets")
        .withSingular("widget")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withOpenAPIV3Schema(
            new JSONSchemaPropsBuilder()
                .withType("object")
                .withProperties(Map.of("spec", spec))
                .build())
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
