package io.ffmpegoperator.dev.kube;

import static io.ffmpegoperator.dev.kube.TestingTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ffmpegoperator.crds.FfmpegTask;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Custom resources are checked against their CRD's schema when a client writes them, as a real API
 * server checks them: 422 naming each field that does not fit and nothing stored, unknown fields
 * pruned with a warning (400 under fieldValidation=Strict), the CRD's CEL rules enforced.
 */
class SchemaValidationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API_VERSION = "media.ffmpeg-operator.io/v1alpha1";
  private static final String TASKS =
      "/apis/media.ffmpeg-operator.io/v1alpha1/namespaces/default/ffmpegtasks";
  private static final String JSON_TYPE = "application/json";
  private static final String MERGE_PATCH = "application/merge-patch+json";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();

  @Test
  void aTaskThatBreaksTheSchemaIsRefusedWithEachFieldNamedAndNotStored() {
    GenericKubernetesResource bad =
        resource("bad", "{command: 3, priority: Urgent, timeoutSeconds: 0, inputs: {in_1: 7}}");
    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class, () -> kube.client().resource(bad).create());

    assertThat(refused.getCode()).isEqualTo(422);
    Status status = refused.getStatus();
    assertThat(status.getReason()).isEqualTo("Invalid");
    assertThat(status.getDetails().getKind()).isEqualTo("FfmpegTask");
    assertThat(status.getDetails().getGroup()).isEqualTo("media.ffmpeg-operator.io");
    assertThat(status.getDetails().getName()).isEqualTo("bad");
    assertThat(status.getDetails().getCauses())
        .extracting(StatusCause::getReason, StatusCause::getField, StatusCause::getMessage)
        .containsExactlyInAnyOrder(
            cause(
                "FieldValueTypeInvalid",
                "spec.command",
                "Invalid value: \"integer\": spec.command in body must be of type string:"
                    + " \"integer\""),
            cause(
                "FieldValueTypeInvalid",
                "spec.inputs[in_1]",
                "Invalid value: \"integer\": spec.inputs[in_1] in body must be of type string:"
                    + " \"integer\""),
            cause(
                "FieldValueNotSupported",
                "spec.priority",
                "Unsupported value: \"Urgent\": supported values: \"High\", \"Low\", \"Normal\""),
            cause(
                "FieldValueInvalid",
                "spec.timeoutSeconds",
                "Invalid value: 0: spec.timeoutSeconds in body should be greater than or equal to"
                    + " 1"),
            cause("FieldValueRequired", "spec.outputs", "Required value"),
            // The CRD's CEL rules wait until the types fit, as the API server's do.
            cause(
                "FieldValueInvalid",
                "<nil>",
                "Invalid value: \"null\": some validation rules were not checked because the"
                    + " object was invalid; correct the existing errors to complete validation"));
    assertThat(status.getMessage())
        .startsWith("FfmpegTask.media.ffmpeg-operator.io \"bad\" is invalid: [")
        .contains("spec.priority: Unsupported value: \"Urgent\"")
        .contains("spec.outputs: Required value");
    assertThat(tasks().withName("bad").get()).isNull();
  }

  @Test
  void theStatusIsTheApiServersOverPlainHttp() throws Exception {
    HttpResponse<String> response =
        kube.send(
            "POST",
            TASKS + "?fieldManager=kubectl-create&fieldValidation=Strict",
            JSON_TYPE,
            json(
                "{apiVersion: "
                    + API_VERSION
                    + ", kind: FfmpegTask, metadata: {name: t1}, spec: {command: '-i in_1 out_1',"
                    + " outputs: {out_1: o.mp4}, timeoutSeconds: 0}}"));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"FfmpegTask.media.ffmpeg-operator.io \\"t1\\" is invalid: spec.timeoutSeconds: Invalid value: 0: spec.timeoutSeconds in body should be greater than or equal to 1",
                 "reason":"Invalid",
                 "details":{"name":"t1","group":"media.ffmpeg-operator.io","kind":"FfmpegTask",
                   "causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 0: spec.timeoutSeconds in body should be greater than or equal to 1","field":"spec.timeoutSeconds"}]},
                 "code":422}
                """));
    assertThat(kube.status(TASKS + "/t1")).isEqualTo(404);
  }

  @Test
  void unknownFieldsArePrunedWithAWarning() throws Exception {
    HttpResponse<String> response =
        kube.send(
            "POST",
            TASKS,
            JSON_TYPE,
            json(
                "{apiVersion: "
                    + API_VERSION
                    + ", kind: FfmpegTask, metadata: {name: extra, colour: red}, spec: {command:"
                    + " '-i in_1 out_1', outputs: {out_1: o.mp4}, bogus: 1, webhook: {url:"
                    + " 'https://h/x', secret: s}}}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.headers().allValues("Warning"))
        .containsExactlyInAnyOrder(
            "299 - \"unknown field \\\"metadata.colour\\\"\"",
            "299 - \"unknown field \\\"spec.bogus\\\"\"",
            "299 - \"unknown field \\\"spec.webhook.secret\\\"\"");
    // The answer and what is stored are the pruned object.
    JsonNode answered = JSON.readTree(response.body());
    JsonNode stored = kube.get(TASKS + "/extra");
    for (JsonNode task : List.of(answered, stored)) {
      assertThat(task.path("spec").has("bogus")).as(task.toString()).isFalse();
      assertThat(task.path("spec").path("webhook").has("secret")).isFalse();
      assertThat(task.path("spec").path("webhook").path("url").asText()).isEqualTo("https://h/x");
      assertThat(task.path("metadata").has("colour")).isFalse();
      assertThat(task.path("metadata").path("uid").asText()).isNotEmpty();
    }

    // The client library sees the same through a typed update.
    FfmpegTask typed = kube.client().resources(FfmpegTask.class).withName("extra").get();
    assertThat(typed.getSpec().getWebhook().getUrl()).isEqualTo("https://h/x");
  }

  @Test
  void strictRefusesUnknownFieldsAndIgnorePrunesSilently() throws Exception {
    String body =
        json(
            "{apiVersion: "
                + API_VERSION
                + ", kind: FfmpegTask, metadata: {name: strict}, spec: {command: '-i in_1 out_1',"
                + " outputs: {out_1: o.mp4}, bogus: 1, other: 2}}");
    HttpResponse<String> strict =
        kube.send("POST", TASKS + "?fieldValidation=Strict", JSON_TYPE, body);
    assertThat(strict.statusCode()).isEqualTo(400);
    JsonNode status = JSON.readTree(strict.body());
    assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "FfmpegTask in version \"v1alpha1\" cannot be handled as a FfmpegTask: strict decoding"
                + " error: unknown field \"spec.bogus\", unknown field \"spec.other\"");
    assertThat(kube.status(TASKS + "/strict")).isEqualTo(404);

    HttpResponse<String> ignore =
        kube.send("POST", TASKS + "?fieldValidation=Ignore", JSON_TYPE, body);
    assertThat(ignore.statusCode()).isEqualTo(201);
    assertThat(ignore.headers().allValues("Warning")).isEmpty();
    assertThat(kube.get(TASKS + "/strict").path("spec").has("bogus")).isFalse();
  }

  @Test
  void aCelRuleOfTheCrdIsEnforcedWithItsMessage() {
    GenericKubernetesResource gpu =
        resource(
            "gpu",
            "{command: '-i in_1 out_1', outputs: {out_1: o.mp4}, resources: {requests: {cpu: 1,"
                + " gpu: 1}}}");
    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class, () -> kube.client().resource(gpu).create());

    assertThat(refused.getCode()).isEqualTo(422);
    assertThat(refused.getStatus().getMessage())
        .isEqualTo(
            "FfmpegTask.media.ffmpeg-operator.io \"gpu\" is invalid: spec.resources.requests:"
                + " Invalid value: \"object\": only cpu and memory may be set");
    assertThat(refused.getStatus().getDetails().getCauses())
        .extracting(StatusCause::getReason, StatusCause::getField)
        .containsExactly(cause("FieldValueInvalid", "spec.resources.requests"));
    assertThat(tasks().withName("gpu").get()).isNull();

    // Rules wait for the types: with a type error they are not evaluated, and the answer says so.
    GenericKubernetesResource both =
        resource(
            "both",
            "{command: '-i in_1 out_1', outputs: {out_1: o.mp4}, priority: Urgent, resources:"
                + " {requests: {gpu: 1}}}");
    KubernetesClientException notChecked =
        catchThrowableOfType(
            KubernetesClientException.class, () -> kube.client().resource(both).create());
    assertThat(notChecked.getStatus().getDetails().getCauses())
        .extracting(StatusCause::getField, StatusCause::getMessage)
        .containsExactly(
            cause(
                "spec.priority",
                "Unsupported value: \"Urgent\": supported values: \"High\", \"Low\", \"Normal\""),
            cause(
                "<nil>",
                "Invalid value: \"null\": some validation rules were not checked because the"
                    + " object was invalid; correct the existing errors to complete validation"));
  }

  @Test
  void patchesAndStatusWritesAreCheckedOnTheirPart() throws Exception {
    kube.client().resource(task("t1")).create();

    HttpResponse<String> patch =
        kube.send("PATCH", TASKS + "/t1", MERGE_PATCH, "{\"spec\":{\"priority\":\"Urgent\"}}");
    assertThat(patch.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(patch.body()).at("/details/causes/0/field").asText())
        .isEqualTo("spec.priority");
    assertThat(kube.get(TASKS + "/t1").path("spec").has("priority")).isFalse();

    HttpResponse<String> status =
        kube.send(
            "PATCH",
            TASKS + "/t1/status?fieldManager=operator",
            MERGE_PATCH,
            "{\"status\":{\"state\":\"Weird\",\"progress\":\"half\"}}");
    assertThat(status.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(status.body()).path("details").path("causes"))
        .extracting(c -> c.path("field").asText())
        .containsExactlyInAnyOrder("status.state", "status.progress", "<nil>");
    assertThat(kube.get(TASKS + "/t1").has("status")).isFalse();

    HttpResponse<String> good =
        kube.send(
            "PATCH",
            TASKS + "/t1/status?fieldManager=operator",
            MERGE_PATCH,
            "{\"status\":{\"state\":\"Running\",\"progress\":50}}");
    assertThat(good.statusCode()).isBetween(200, 202);
    assertThat(kube.get(TASKS + "/t1").at("/status/state").asText()).isEqualTo("Running");
  }

  @Test
  void anObjectStoredWithoutValidationCanStillBeChangedElsewhere() throws Exception {
    String broken = "{command: '-i in_1 out_1', inputs: 'http://h/a.mp4', outputs: {out_1: o.mp4}}";
    System.setProperty(EmbeddedKubernetes.VALIDATION_PROPERTY, "off");
    try {
      kube.restart();
      kube.client().resource(resource("old", broken)).create();
    } finally {
      System.clearProperty(EmbeddedKubernetes.VALIDATION_PROPERTY);
    }
    kube.restart();
    assertThat(kube.get(TASKS + "/old").at("/spec/inputs").asText()).isEqualTo("http://h/a.mp4");

    // What was stored before is not held against a write that leaves it as it is...
    HttpResponse<String> label =
        kube.send(
            "PATCH", TASKS + "/old", MERGE_PATCH, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    assertThat(label.statusCode()).as(label.body()).isBetween(200, 202);
    // ...but a new value must fit.
    HttpResponse<String> still =
        kube.send("PATCH", TASKS + "/old", MERGE_PATCH, "{\"spec\":{\"inputs\":\"other\"}}");
    assertThat(still.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(still.body()).at("/details/causes/0/field").asText())
        .isEqualTo("spec.inputs");
  }

  @Test
  void builtInKindsAreNotChecked() {
    GenericKubernetesResource configMap =
        Serialization.unmarshal(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
                + "\"data\":{\"a\":\"b\"},\"whatever\":1}",
            GenericKubernetesResource.class);
    kube.client().resource(configMap).create();
    assertThat(kube.client().configMaps().withName("c").get().getData()).containsEntry("a", "b");
  }

  private io.fabric8.kubernetes.client.dsl.MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      tasks() {
    return kube.client().genericKubernetesResources(API_VERSION, "FfmpegTask");
  }

  private static GenericKubernetesResource resource(String name, String specYaml) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion(API_VERSION);
    resource.setKind("FfmpegTask");
    resource.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    resource.setAdditionalProperty(
        "spec", JSON.convertValue(SchemaViolationsTest.yaml(specYaml), Map.class));
    return resource;
  }

  private static String json(String yaml) {
    return SchemaViolationsTest.yaml(yaml).toString();
  }

  private static org.assertj.core.groups.Tuple cause(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
