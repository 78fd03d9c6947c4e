package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.ffmpegoperator.crds.CrdConstants;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ are copies of what the crds module generates ({@code make helm-crds} copies
 * them again); a change to the model that is not copied fails here.
 */
class ChartCrdsTest {
  private static final String SUFFIX = "." + CrdConstants.GROUP + "-v1.yml";

  @Test
  void chartCrdsEqualTheGeneratedOnes() throws Exception {
    Map<String, JsonNode> generated = generated();
    Map<String, JsonNode> inChart = new TreeMap<>();
    try (Stream<Path> files = Files.list(Chart.CRDS)) {
      for (Path file : files.toList()) {
        inChart.put(file.getFileName().toString(), Chart.YAML.readTree(file.toFile()));
      }
    }

    assertThat(generated)
        .containsOnlyKeys("ffmpegtasks" + SUFFIX, "videos" + SUFFIX, "videojobs" + SUFFIX);
    assertThat(inChart.keySet())
        .as("files in %s (run `make helm-crds`)", Chart.CRDS)
        .containsExactlyElementsOf(generated.keySet());
    generated.forEach(
        (name, crd) ->
            assertThat(inChart.get(name))
                .as("%s differs from the generated CRD: run `make helm-crds`", name)
                .isEqualTo(crd));
  }

  @Test
  void chartCrdsAreTypedCrdsOfTheGroup() throws IOException {
    try (Stream<Path> files = Files.list(Chart.CRDS)) {
      for (Path file : files.toList()) {
        CustomResourceDefinition crd =
            Chart.SERIALIZATION.unmarshal(Files.readString(file), CustomResourceDefinition.class);

        assertThat(crd.getSpec().getGroup()).isEqualTo(CrdConstants.GROUP);
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getVersions())
            .singleElement()
            .satisfies(v -> assertThat(v.getName()).isEqualTo(CrdConstants.VERSION));
      }
    }
  }

  /**
   * What the crd-generator wrote: crds/target/classes (what {@code make helm-crds} copies) when the
   * crds module was built in this tree, else the crds jar on the test classpath.
   */
  static Map<String, JsonNode> generated() throws IOException, URISyntaxException {
    Path built = Path.of("../crds/target/classes/META-INF/fabric8");
    if (Files.isDirectory(built)) {
      return read(built);
    }
    URL url =
        ChartCrdsTest.class.getClassLoader().getResource("META-INF/fabric8/ffmpegtasks" + SUFFIX);
    assertThat(url).as("generated CRDs on the classpath").isNotNull();
    URI file = url.toURI();
    if ("jar".equals(file.getScheme())) {
      try (FileSystem jar = FileSystems.newFileSystem(file, Map.of())) {
        return read(jar.provider().getPath(file).getParent());
      }
    }
    return read(Path.of(file).getParent());
  }

  private static Map<String, JsonNode> read(Path dir) throws IOException {
    Map<String, JsonNode> crds = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString().replace("/", "");
        if (name.endsWith(SUFFIX)) {
          crds.put(name, Chart.YAML.readTree(Files.readString(file)));
        }
      }
    }
    return crds;
  }
}
