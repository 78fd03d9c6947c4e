package io.ffmpegoperator.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart in {@code helm/ffmpeg-operator}, driven through helm-java (Helm as a native library, no
 * helm binary), and its rendered manifests parsed into typed fabric8 objects.
 */
final class Chart {
  static final Path DIR = Path.of("ffmpeg-operator").toAbsolutePath();
  static final Path VALUES = DIR.resolve("values.yaml");
  static final Path CRDS = DIR.resolve("crds");

  /** The values file of the non-default install: two watched namespaces, secrets given, ... */
  static final Path NAMESPACED_VALUES = Path.of("src/test/resources/values-namespaced.yaml");

  static final String RELEASE = "media";
  static final String NAMESPACE = "ffmpeg-system";

  /**
   * helm-java's template defaults to Kubernetes 1.20, below the chart's kubeVersion (worker Jobs
   * use podFailurePolicy, on by default from 1.26): render for a supported version.
   */
  static final String KUBE_VERSION = "v1.31.0";

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static TestingApiServer lookupServer;

  private Chart() {}

  /**
   * The API server {@code helm template} reaches for {@code lookup}. helm-java's template, unlike
   * the CLI's, lets {@code lookup} query the cluster of {@code KUBECONFIG} (the pom points it at a
   * file in target/), so this writes that file for a server of its own; a test may put a Secret
   * there to see an upgrade keep it.
   */
  static synchronized TestingApiServer lookupServer() {
    if (lookupServer == null) {
      String kubeconfig = System.getenv("KUBECONFIG");
      if (kubeconfig == null || !kubeconfig.endsWith("helm-template-kubeconfig.yaml")) {
        throw new IllegalStateException(
            "KUBECONFIG must name target/helm-template-kubeconfig.yaml (set by the pom), not "
                + kubeconfig
                + ": helm template's lookup would otherwise query a real cluster");
      }
      lookupServer = TestingApiServer.start();
      lookupServer.writeKubeconfig(Path.of(kubeconfig));
      Runtime.getRuntime().addShutdownHook(new Thread(lookupServer::close));
    }
    return lookupServer;
  }

  /** {@code helm template} with the defaults and, if not null, a values file. */
  static String template(Path valuesFile) {
    return templateWith(valuesFile, Map.of());
  }

  /** {@code helm template} with a values file (or null) and {@code --set} values. */
  static String templateWith(Path valuesFile, Map<String, Object> set) {
    lookupServer();
    TemplateCommand command =
        new Helm(DIR)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    if (valuesFile != null) {
      command = command.withValuesFile(valuesFile.toAbsolutePath());
    }
    for (Map.Entry<String, Object> value : set.entrySet()) {
      command = command.set(value.getKey(), value.getValue());
    }
    return command.call();
  }

  /** The rendered NOTES.txt, from a client-only dry-run install (template leaves NOTES out). */
  static String notes(Path valuesFile) {
    return notesWith(valuesFile, Map.of());
  }

  /** The rendered NOTES.txt with a values file (or null) and {@code --set} values. */
  static String notesWith(Path valuesFile, Map<String, Object> set) {
    lookupServer();
    InstallCommand install =
        new Helm(DIR)
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION)
            .clientOnly()
            .dryRun()
            .withDryRunOption(DryRun.CLIENT);
    if (valuesFile != null) {
      install = install.withValuesFile(valuesFile.toAbsolutePath());
    }
    for (Map.Entry<String, Object> value : set.entrySet()) {
      install = install.set(value.getKey(), value.getValue());
    }
    String output = install.call().getOutput();
    int notes = output.indexOf("NOTES:");
    if (notes < 0) {
      throw new IllegalStateException("no NOTES in: " + output);
    }
    return output.substring(notes + "NOTES:".length());
  }

  /** The documents of a rendering (CRDs included), each parsed into its fabric8 type. */
  static List<HasMetadata> render(Path valuesFile) {
    return parse(template(valuesFile));
  }

  static List<HasMetadata> parse(String manifests) {
    List<HasMetadata> resources = new ArrayList<>();
    for (String document : manifests.split("(?m)^---\\s*$")) {
      if (isEmpty(document)) {
        continue;
      }
      Object parsed = SERIALIZATION.unmarshal(document);
      if (!(parsed instanceof HasMetadata resource)) {
        throw new IllegalStateException("not a Kubernetes resource: " + document);
      }
      resources.add(resource);
    }
    return resources;
  }

  /**
   * {@code helm lint --strict}. helm-java's lint takes no values file, so a values file is linted
   * as Helm would see it: a copy of the chart whose values.yaml is the defaults with the file's
   * values merged over them (maps merge, everything else replaces), as {@code -f} does.
   */
  static LintResult lint(Path valuesFile, Path scratch) {
    Path chart = DIR;
    if (valuesFile != null) {
      chart = scratch.resolve("ffmpeg-operator");
      copyTree(DIR, chart);
      write(chart.resolve("values.yaml"), merge(readYaml(VALUES), readYaml(valuesFile)));
    }
    return new Helm(chart).lint().strict().call();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readYaml(Path file) {
    try {
      Map<String, Object> map = YAML.readValue(file.toFile(), Map.class);
      return map == null ? new LinkedHashMap<>() : map;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    override.forEach(
        (key, value) -> {
          Object old = merged.get(key);
          if (old instanceof Map<?, ?> oldMap && value instanceof Map<?, ?> newMap) {
            merged.put(key, merge((Map<String, Object>) oldMap, (Map<String, Object>) newMap));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }

  /** The resources of one type. */
  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The one resource of a type with a name ending in {@code suffix}. */
  static <T extends HasMetadata> T named(
      List<HasMetadata> resources, Class<T> type, String suffix) {
    List<T> matches =
        ofType(resources, type).stream()
            .filter(r -> r.getMetadata().getName().endsWith(suffix))
            .toList();
    if (matches.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " *" + suffix + ", found " + matches.size());
    }
    return matches.get(0);
  }

  private static boolean isEmpty(String document) {
    return document
        .lines()
        .map(String::strip)
        .allMatch(line -> line.isEmpty() || line.startsWith("#"));
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, Map<String, Object> values) {
    try {
      YAML.writeValue(file.toFile(), values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
