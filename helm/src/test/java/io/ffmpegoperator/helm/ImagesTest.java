package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.ffmpegoperator.operator.OperatorConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** images/images.properties, the chart's values, what it renders and the operator all agree. */
class ImagesTest {
  private static final Path IMAGES = Path.of("../images/images.properties");

  private static Properties images;

  @BeforeAll
  static void readImages() throws IOException {
    images = new Properties();
    try (Reader reader = Files.newBufferedReader(IMAGES)) {
      images.load(reader);
    }
  }

  private static String image(String component) {
    return images.getProperty("registry")
        + "/"
        + images.getProperty(component)
        + ":"
        + images.getProperty("tag");
  }

  @Test
  @SuppressWarnings("unchecked")
  void valuesUseTheImagesOfTheProperties() {
    Map<String, Object> values = Chart.readYaml(Chart.VALUES);
    Map<String, Object> image = (Map<String, Object>) values.get("image");

    assertThat(image.get("registry")).isEqualTo(images.getProperty("registry"));
    assertThat(image.get("tag")).isEqualTo(images.getProperty("tag"));
    for (String component : List.of("operator", "bridge", "worker")) {
      Map<String, Object> own =
          (Map<String, Object>) ((Map<String, Object>) values.get(component)).get("image");
      assertThat(own.get("repository")).as(component).isEqualTo(images.getProperty(component));
      assertThat(own.get("tag")).as(component + " tag override").isEqualTo("");
    }
  }

  @Test
  void chartVersionsMatchTheImageTag() {
    Map<String, Object> chart = Chart.readYaml(Chart.DIR.resolve("Chart.yaml"));

    assertThat(chart.get("appVersion")).isEqualTo(images.getProperty("tag"));
    assertThat(chart.get("version")).isEqualTo("0.1.0");
    assertThat(chart.get("apiVersion")).isEqualTo("v2");
  }

  @Test
  void operatorDefaultWorkerImageIsThePropertiesOne() {
    assertThat(OperatorConfig.DEFAULT_WORKER_IMAGE).isEqualTo(image("worker"));
  }

  @Test
  void renderedDeploymentsAndWorkerImageUseTheProperties() {
    List<HasMetadata> resources = Chart.render(null);
    Deployment operator = Workloads.operator(resources);
    Deployment bridge = Workloads.bridge(resources);

    assertThat(Workloads.container(operator).getImage()).isEqualTo(image("operator"));
    assertThat(Workloads.container(bridge).getImage()).isEqualTo(image("bridge"));
    assertThat(Workloads.env(operator)).containsEntry("WORKER_IMAGE", image("worker"));
  }
}
