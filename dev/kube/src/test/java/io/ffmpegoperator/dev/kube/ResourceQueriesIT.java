package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.ffmpegoperator.crds.FfmpegTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Label-selected lists and kubectl's Tables, for every custom resource, including later ones. */
class ResourceQueriesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "media.ffmpeg-operator.io";
  private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();

  @Test
  void labelSelectorsSelectCustomResourcesAndConfigMaps() throws Exception {
    var tasks = kube.client().resources(FfmpegTask.class);
    tasks.resource(TestingTasks.task("ab", Map.of("a", "b"))).create();
    tasks.resource(TestingTasks.task("ac", Map.of("a", "c", "x", "y"))).create();
    tasks.resource(TestingTasks.task("none", Map.of())).create();
    String list = "/apis/" + GROUP + "/v1alpha1/namespaces/default/ffmpegtasks";

    assertThat(names(kube.get(list + "?labelSelector=a%3Db"))).containsExactly("ab");
    assertThat(names(kube.get(list + "?labelSelector=a%3Db&limit=500"))).containsExactly("ab");
    assertThat(names(kube.get(list + "?labelSelector=a"))).containsExactlyInAnyOrder("ab", "ac");
    assertThat(names(kube.get(list + "?labelSelector=a%21%3Db")))
        .containsExactlyInAnyOrder("ac", "none");
    assertThat(names(kube.get(list + "?labelSelector=a%3Dc%2Cx%3Dy"))).containsExactly("ac");
    assertThat(kube.get(list + "?labelSelector=a%3Db").path("kind").asText())
        .isEqualTo("FfmpegTaskList");
    assertThat(tasks.withLabel("a", "b").list().getItems())
        .extracting(t -> t.getMetadata().getName())
        .containsExactly("ab");
    assertThat(tasks.withLabel("a", "nothing").list().getItems()).isEmpty();

    var configMaps = kube.client().configMaps();
    for (String value : List.of("b", "c")) {
      configMaps
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("cm-" + value)
                  .addToLabels("a", value)
                  .endMetadata()
                  .addToData("k", value)
                  .build())
          .create();
    }
    assertThat(configMaps.withLabel("a", "c").list().getItems())
        .extracting(c -> c.getData().get("k"))
        .containsExactly("c");
    assertThat(names(kube.get("/api/v1/namespaces/default/configmaps?labelSelector=a%3Db")))
        .containsExactly("cm-b");
    assertThat(kube.get("/api/v1/namespaces/default/configmaps").path("kind").asText())
        .isEqualTo("ConfigMapList");
  }

  @Test
  void everyCrdOnTheClasspathIsDiscoveredAndPrintedAsATable() throws Exception {
    List<CustomResourceDefinition> crds = ClasspathCrds.load(getClass().getClassLoader());
    assertThat(crds).extracting(c -> c.getSpec().getNames().getKind()).contains("FfmpegTask");
    for (CustomResourceDefinition crd : crds) {
      String plural = crd.getSpec().getNames().getPlural();
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        String groupVersion = "/apis/" + crd.getSpec().getGroup() + "/" + version.getName();
        JsonNode resource = resourceNamed(kube.get(groupVersion), plural);
        assertThat(resource.path("kind").asText()).isEqualTo(crd.getSpec().getNames().getKind());
        assertThat(texts(resource.path("shortNames")))
            .containsExactlyElementsOf(crd.getSpec().getNames().getShortNames());

        JsonNode table = kube.get(groupVersion + "/namespaces/default/" + plural, TABLE);
        assertThat(table.path("kind").asText()).as(plural).isEqualTo("Table");
        List<String> columns = texts(table.path("columnDefinitions"), "name");
        assertThat(columns.get(0)).isEqualTo("Name");
        assertThat(columns)
            .as(plural)
            .containsAll(
                version.getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList());
      }
    }
  }

  @Test
  void aCrdAddedLaterIsServedListedAndPrinted() throws Exception {
    kube.client().apiextensions().v1().customResourceDefinitions().resource(widgets()).create();
    var widgets =
        kube.client()
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup("example.com")
                    .withVersion("v1")
                    .withKind("Widget")
                    .withPlural("widgets")
                    .withNamespaced(true)
                    .build());
    for (int size : List.of(3, 5)) {
      GenericKubernetesResource widget =
          new GenericKubernetesResourceBuilder()
              .withApiVersion("example.com/v1")
              .withKind("Widget")
              .withNewMetadata()
              .withName("w" + size)
              .addToLabels("size", size > 4 ? "big" : "small")
              .endMetadata()
              .addToAdditionalProperties("spec", Map.of("size", size))
              .build();
      widgets.resource(widget).create();
    }

    JsonNode resource = resourceNamed(kube.get("/apis/example.com/v1"), "widgets");
    assertThat(texts(resource.path("shortNames"))).containsExactly("wdg");
    assertThat(texts(kube.get("/apis").path("groups"), "name")).contains("example.com");

    String list = "/apis/example.com/v1/namespaces/default/widgets";
    JsonNode table = kube.get(list + "?labelSelector=size%3Dbig", TABLE);
    assertThat(texts(table.path("columnDefinitions"), "name"))
        .containsExactly("Name", "Size", "Age");
    assertThat(table.path("rows")).hasSize(1);
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertThat(cells.get(0).asText()).isEqualTo("w5");
    assertThat(cells.get(1).asInt()).isEqualTo(5);
    assertThat(kube.get(list).path("kind").asText()).isEqualTo("WidgetList");
    assertThat(widgets.withLabel("size", "small").list().getItems())
        .extracting(w -> w.getMetadata().getName())
        .containsExactly("w3");
  }

  private static CustomResourceDefinition widgets() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.example.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("example.com")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Widget")
        .withPlural("widgets")
        .withSingular("widget")
        .withShortNames("wdg")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withOpenAPIV3Schema(
            new JSONSchemaPropsBuilder()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .build())
        .endSchema()
        .addNewAdditionalPrinterColumn()
        .withName("Size")
        .withType("integer")
        .withJsonPath(".spec.size")
        .endAdditionalPrinterColumn()
        .addNewAdditionalPrinterColumn()
        .withName("Age")
        .withType("date")
        .withJsonPath(".metadata.creationTimestamp")
        .endAdditionalPrinterColumn()
        .endVersion()
        .endSpec()
        .build();
  }

  private static JsonNode resourceNamed(JsonNode resourceList, String name) {
    for (JsonNode resource : resourceList.path("resources")) {
      if (resource.path("name").asText().equals(name)) {
        return resource;
      }
    }
    throw new AssertionError(name + " not in " + resourceList);
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.path(field).asText()));
    return texts;
  }
}
