package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server-side apply as kubectl ({@code kubectl apply --server-side}, its exact requests) and the
 * fabric8 client ({@code serverSideApply()}) use it, answered as a real API server would.
 */
class ServerSideApplyIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APPLY = "application/apply-patch+yaml";
  private static final String GROUP_VERSION = "media.ffmpeg-operator.io/v1alpha1";
  private static final String TASKS = "/apis/" + GROUP_VERSION + "/namespaces/default/ffmpegtasks";
  private static final String T1 = TASKS + "/t1";
  // What kubectl 1.32 sends for `kubectl apply --server-side` (and with --force-conflicts).
  private static final String KUBECTL = "?fieldManager=kubectl&fieldValidation=Strict&force=false";
  private static final String KUBECTL_FORCE =
      "?fieldManager=kubectl&fieldValidation=Strict&force=true";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();

  private static String task(String priority) {
    return "apiVersion: "
        + GROUP_VERSION
        + "\n"
        + "kind: FfmpegTask\n"
        + "metadata:\n"
        + "  name: t1\n"
        + "spec:\n"
        + "  command: \"-i in_1 out_1\"\n"
        + "  inputs:\n"
        + "    in_1: https://example.com/a.mp4\n"
        + "  outputs:\n"
        + "    out_1: a.mp4\n"
        + (priority == null ? "" : "  priority: " + priority + "\n");
  }

  @Test
  void kubectlApplyCreatesThenAnUnchangedApplyWritesNothing() throws Exception {
    HttpResponse<String> created = kube.send("PATCH", T1 + KUBECTL, APPLY, task("High"));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode task = JSON.readTree(created.body());
    assertThat(task.path("spec").path("priority").asText()).isEqualTo("High");
    JsonNode entries = task.path("metadata").path("managedFields");
    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.path("manager").asText()).isEqualTo("kubectl");
    assertThat(entry.path("operation").asText()).isEqualTo("Apply");
    assertThat(entry.path("apiVersion").asText()).isEqualTo(GROUP_VERSION);
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(entry.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(entry.path("fieldsV1"))
        .isEqualTo(
            JSON.readTree(
                "{\"f:spec\":{\"f:command\":{},\"f:inputs\":{\"f:in_1\":{}},"
                    + "\"f:outputs\":{\"f:out_1\":{}},\"f:priority\":{}}}"));
    assertThat(kube.get(T1)).isEqualTo(task);

    // kubectl sends JSON in the same content type.
    String asJson =
        JSON.writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(task("High")));
    HttpResponse<String> again = kube.send("PATCH", T1 + KUBECTL, APPLY, asJson);

    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(JSON.readTree(again.body())).isEqualTo(task);
    assertThat(kube.get(T1).path("metadata").path("resourceVersion"))
        .isEqualTo(task.path("metadata").path("resourceVersion"));
  }

  @Test
  void aFieldNoLongerAppliedIsRemoved() throws Exception {
    kube.send("PATCH", T1 + KUBECTL, APPLY, task("High"));

    HttpResponse<String> applied = kube.send("PATCH", T1 + KUBECTL, APPLY, task(null));

    assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
    JsonNode task = kube.get(T1);
    assertThat(task.path("spec").has("priority")).isFalse();
    assertThat(task.path("spec").path("command").asText()).isEqualTo("-i in_1 out_1");
    assertThat(
            task.path("metadata")
                .path("managedFields")
                .get(0)
                .path("fieldsV1")
                .path("f:spec")
                .has("f:priority"))
        .isFalse();
  }

  @Test
  void aFieldAnotherManagerSetIsAConflictUntilForced() throws Exception {
    // kubectl apply (client-side) creates it first: an Update by kubectl-client-side-apply.
    String clientSide =
        JSON.writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(task("High")));
    HttpResponse<String> created =
        kube.send(
            "POST",
            TASKS + "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
            "application/json",
            clientSide);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode update = JSON.readTree(created.body()).path("metadata").path("managedFields").get(0);
    assertThat(update.path("manager").asText()).isEqualTo("kubectl-client-side-apply");
    assertThat(update.path("operation").asText()).isEqualTo("Update");

    HttpResponse<String> refused = kube.send("PATCH", T1 + KUBECTL, APPLY, task("Low"));

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(refused.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"Apply failed with 1 conflict: conflict with \\"kubectl-client-side-apply\\" using media.ffmpeg-operator.io/v1alpha1: .spec.priority",
                 "reason":"Conflict",
                 "details":{"causes":[{"reason":"FieldManagerConflict",
                   "message":"conflict with \\"kubectl-client-side-apply\\" using media.ffmpeg-operator.io/v1alpha1",
                   "field":".spec.priority"}]},
                 "code":409}
                """));
    assertThat(kube.get(T1).path("spec").path("priority").asText()).isEqualTo("High");

    HttpResponse<String> forced = kube.send("PATCH", T1 + KUBECTL_FORCE, APPLY, task("Low"));

    assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
    JsonNode task = kube.get(T1);
    assertThat(task.path("spec").path("priority").asText()).isEqualTo("Low");
    Map<String, JsonNode> byManager = byManager(task);
    assertThat(byManager.get("kubectl").path("f:spec").has("f:priority")).isTrue();
    assertThat(byManager.get("kubectl-client-side-apply").path("f:spec").has("f:priority"))
        .isFalse();
    // Fields applied with the value the other manager set are shared: no conflict for them.
    assertThat(byManager.get("kubectl-client-side-apply").path("f:spec").has("f:command")).isTrue();
  }

  @Test
  void severalConflictsAreListedByManager() throws Exception {
    kube.send("PATCH", T1 + KUBECTL, APPLY, task("High"));

    HttpResponse<String> refused =
        kube.send(
            "PATCH",
            T1 + "?fieldManager=ci&force=false",
            APPLY,
            task("Low").replace("out_1: a.mp4", "out_1: b.mp4"));

    assertThat(refused.statusCode()).isEqualTo(409);
    JsonNode status = JSON.readTree(refused.body());
    assertThat(status.path("message").asText())
        .isEqualTo(
            "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n"
                + "- .spec.outputs.out_1\n"
                + "- .spec.priority");
    assertThat(status.path("details").path("causes").findValuesAsText("field"))
        .containsExactlyInAnyOrder(".spec.outputs.out_1", ".spec.priority");
  }

  @Test
  void applyWithoutFieldManagerIsInvalidAsOnTheApiServer() throws Exception {
    HttpResponse<String> refused = kube.send("PATCH", T1, APPLY, task("High"));

    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode status = JSON.readTree(refused.body());
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
                + " for apply patch");
    assertThat(status.path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("fieldManager");
    assertThat(kube.status(T1)).isEqualTo(404);
  }

  @Test
  void aConfigurationThatDoesNotFitThePathIsABadRequest() throws Exception {
    assertThat(kube.send("PATCH", TASKS + "/t2" + KUBECTL, APPLY, task("High")).body())
        .contains("the name of the object (t1) does not match the name on the URL (t2)");
    assertThat(
            kube.send(
                    "PATCH",
                    T1 + KUBECTL,
                    APPLY,
                    task("High").replace(GROUP_VERSION, "media.ffmpeg-operator.io/v1"))
                .body())
        .contains("Incorrect version specified in apply patch");
    HttpResponse<String> withManagedFields =
        kube.send(
            "PATCH",
            T1 + KUBECTL,
            APPLY,
            task("High").replace("  name: t1\n", "  name: t1\n  managedFields: []\n"));
    assertThat(withManagedFields.statusCode()).isEqualTo(400);
    assertThat(withManagedFields.body()).contains("metadata.managedFields must be nil");
  }

  @Test
  void dryRunAnswersWithoutStoring() throws Exception {
    HttpResponse<String> answered =
        kube.send("PATCH", T1 + KUBECTL + "&dryRun=All", APPLY, task("High"));

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(201);
    assertThat(JSON.readTree(answered.body()).path("spec").path("priority").asText())
        .isEqualTo("High");
    assertThat(kube.status(T1)).isEqualTo(404);
  }

  @Test
  void fabric8ServerSideApplyAndUpdatesByOtherManagers() throws Exception {
    var configMaps = kube.client().configMaps().inNamespace("default");
    ConfigMap applied =
        configMaps
            .resource(configMap(Map.of("size", "1", "mode", "fast")))
            .fieldManager("bridge")
            .serverSideApply();
    assertThat(applied.getData()).containsEntry("size", "1");
    assertThat(applied.getMetadata().getManagedFields())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getManager()).isEqualTo("bridge");
              assertThat(e.getOperation()).isEqualTo("Apply");
              assertThat(e.getApiVersion()).isEqualTo("v1");
            });

    // An ordinary update (no fieldManager: the manager comes from the User-Agent).
    ConfigMap edited = configMaps.withName("settings").get();
    edited.getData().put("size", "2");
    configMaps.resource(edited).update();
    JsonNode stored = kube.get("/api/v1/namespaces/default/configmaps/settings");
    Map<String, JsonNode> byManager = byManager(stored);
    assertThat(byManager.get("fabric8-kubernetes-client").path("f:data").has("f:size")).isTrue();
    assertThat(byManager.get("bridge").path("f:data").has("f:size")).isFalse();

    KubernetesClientException conflict =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                configMaps
                    .resource(configMap(Map.of("size", "3", "mode", "fast")))
                    .fieldManager("bridge")
                    .serverSideApply());
    assertThat(conflict.getCode()).isEqualTo(409);
    assertThat(conflict.getStatus().getMessage())
        .isEqualTo(
            "Apply failed with 1 conflict: conflict with \"fabric8-kubernetes-client\" using v1:"
                + " .data.size");

    ConfigMap forced =
        configMaps
            .resource(configMap(Map.of("size", "3")))
            .fieldManager("bridge")
            .forceConflicts()
            .serverSideApply();
    // "mode" was the bridge's alone and is no longer applied: removed.
    assertThat(forced.getData()).isEqualTo(Map.of("size", "3"));
  }

  @Test
  void statusInTheConfigurationOfTheMainResourceIsIgnored() throws Exception {
    kube.send("PATCH", T1 + KUBECTL, APPLY, task("High") + "status:\n  state: Completed\n");

    JsonNode task = kube.get(T1);
    assertThat(task.has("status")).isFalse();
    assertThat(task.path("metadata").path("managedFields").get(0).path("fieldsV1").has("f:status"))
        .isFalse();
  }

  private static ConfigMap configMap(Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("settings")
        .endMetadata()
        .withData(data)
        .build();
  }

  private static Map<String, JsonNode> byManager(JsonNode object) {
    Map<String, JsonNode> fields = new HashMap<>();
    List<String> seen = new ArrayList<>();
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      seen.add(entry.path("manager").asText());
      fields.put(entry.path("manager").asText(), entry.path("fieldsV1"));
    }
    assertThat(seen).doesNotHaveDuplicates();
    return fields;
  }
}
