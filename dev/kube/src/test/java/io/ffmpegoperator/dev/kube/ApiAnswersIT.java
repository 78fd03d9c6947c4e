package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests the mock answered unlike an API server: the API server's answers instead. */
class ApiAnswersIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String MAPS = "/api/v1/namespaces/default/configmaps";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aSubresourceNobodyServesIsNotFoundNotAListOfEverything() throws Exception {
    kube.client()
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("p1")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("p1")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build())
        .create();
    kube.client()
        .configMaps()
        .resource(new ConfigMapBuilder().withNewMetadata().withName("other").endMetadata().build())
        .create();

    for (String subresource :
        // log is served (PodLogsIT); these are not.
        new String[] {
          "exec?command=ls&stdout=true",
          "attach",
          "proxy",
          "portforward",
          "eviction",
          "binding",
          "ephemeralcontainers"
        }) {
      HttpResponse<String> response = getRaw(PODS + "/p1/" + subresource);
      assertThat(response.statusCode()).as(subresource).isEqualTo(404);
      JsonNode status = JSON.readTree(response.body());
      assertThat(status.path("kind").asText()).as(subresource).isEqualTo("Status");
      assertThat(status.path("reason").asText()).isEqualTo("NotFound");
      assertThat(status.has("items")).isFalse();
      assertThat(response.body()).as(subresource).doesNotContain("\"other\"", "busybox");
    }
    HttpResponse<String> scale = getRaw("/apis/apps/v1/namespaces/default/deployments/d1/scale");
    assertThat(scale.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(scale.body()).path("reason").asText()).isEqualTo("NotFound");
    // Status stays readable.
    assertThat(kube.get(PODS + "/p1/status").path("metadata").path("name").asText())
        .isEqualTo("p1");
  }

  @Test
  void aProtobufBodyIsAnUnsupportedMediaType() throws Exception {
    // What kubectl create configmap sends: the "k8s\0" magic, then the protobuf Unknown message.
    HttpResponse<String> response =
        kube.send(
            "POST", MAPS, "application/vnd.kubernetes.protobuf", "k8s\u0000\n\u000f\n\u0002v1");

    assertThat(response.statusCode()).isEqualTo(415);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("UnsupportedMediaType");
    assertThat(status.path("code").asInt()).isEqualTo(415);
    assertThat(status.path("message").asText())
        .isEqualTo(
            "the body of the request was in an unknown format - accepted media types include:"
                + " application/json, application/yaml");
    assertThat(kube.get(MAPS).path("items")).isEmpty();
  }

  @Test
  void aStoredPatchAnswers200WithThePatchedObject() throws Exception {
    kube.client()
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("c1")
                .endMetadata()
                .addToData("k", "0")
                .build())
        .create();

    String[][] patches = {
      {"application/merge-patch+json", "{\"data\": {\"k\": \"1\"}}", "1"},
      {"application/strategic-merge-patch+json", "{\"data\": {\"k\": \"2\"}}", "2"},
      {
        "application/json-patch+json",
        "[{\"op\": \"replace\", \"path\": \"/data/k\", \"value\": \"3\"}]",
        "3"
      }
    };
    for (String[] patch : patches) {
      HttpResponse<String> response = kube.send("PATCH", MAPS + "/c1", patch[0], patch[1]);
      assertThat(response.statusCode()).as(patch[0] + ": " + response.body()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).path("data").path("k").asText())
          .isEqualTo(patch[2]);
    }
    HttpResponse<String> missing =
        kube.send("PATCH", MAPS + "/none", "application/merge-patch+json", "{}");
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> getRaw(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(kube.url() + path))
            .header("Accept", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
