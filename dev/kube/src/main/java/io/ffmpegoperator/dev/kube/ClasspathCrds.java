package io.ffmpegoperator.dev.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the CRDs the fabric8 generator wrote as {@code META-INF/fabric8/*-v1.yml} on the classpath.
 */
final class ClasspathCrds {

  private static final String FOLDER = "META-INF/fabric8";
  private static final String SUFFIX = "-v1.yml";

  private ClasspathCrds() {}

  /** Every CRD found, by name; a name found twice keeps the first on the classpath. */
  static List<CustomResourceDefinition> load(ClassLoader loader) {
    Map<String, CustomResourceDefinition> byName = new TreeMap<>();
    try {
      for (URL folder : Collections.list(loader.getResources(FOLDER))) {
        for (String file : list(folder)) {
          if (!file.endsWith(SUFFIX)) {
            continue;
          }
          URLConnection connection = URI.create(folder + "/" + file).toURL().openConnection();
          // No cache: a cached jar stays open and locked after the build rewrites it.
          connection.setUseCaches(false);
          try (InputStream in = connection.getInputStream()) {
            CustomResourceDefinition crd =
                Serialization.unmarshal(in, CustomResourceDefinition.class);
            if (crd != null && "CustomResourceDefinition".equals(crd.getKind())) {
              byName.putIfAbsent(crd.getMetadata().getName(), crd);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRDs from the classpath", e);
    }
    return new ArrayList<>(byName.values());
  }

  /** The file names directly in a classpath folder, in a directory or in a jar. */
  private static List<String> list(URL folder) throws IOException {
    List<String> names = new ArrayList<>();
    if ("file".equals(folder.getProtocol())) {
      try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
        files.forEach(f -> names.add(f.getFileName().toString()));
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    } else if ("jar".equals(folder.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) folder.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        for (JarEntry entry : Collections.list(jar.entries())) {
          String name = entry.getName();
          if (name.startsWith(FOLDER + "/") && name.indexOf('/', FOLDER.length() + 1) < 0) {
            names.add(name.substring(FOLDER.length() + 1));
          }
        }
      }
    }
    return names;
  }
}
