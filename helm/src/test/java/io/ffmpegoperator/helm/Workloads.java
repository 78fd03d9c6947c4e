package io.ffmpegoperator.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds the rendered Deployments and reads the parts of them the tests look at. */
final class Workloads {
  private Workloads() {}

  /** The operator's Deployment among rendered resources. */
  static Deployment operator(List<HasMetadata> resources) {
    return Chart.named(resources, Deployment.class, "-operator");
  }

  /** The API bridge's Deployment among rendered resources. */
  static Deployment bridge(List<HasMetadata> resources) {
    return Chart.named(resources, Deployment.class, "-bridge");
  }

  /** The Deployment's one container. */
  static Container container(Deployment deployment) {
    var containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError(deployment.getMetadata().getName() + " has " + containers.size());
    }
    return containers.get(0);
  }

  /**
   * The operator's plain env values as its container sees them: the API keys Secret the chart
   * renders is written out as a kubelet mounts it (a file per entry), and {@code API_KEYS_FILE}
   * points there.
   */
  static Map<String, String> operatorEnv(List<HasMetadata> resources) {
    return operatorEnv(resources, Chart.named(resources, Secret.class, "-api-keys"));
  }

  /** The same with {@code keys} as the mounted Secret: one the chart was told exists. */
  static Map<String, String> operatorEnv(List<HasMetadata> resources, Secret keys) {
    Map<String, String> env = env(operator(resources));
    try {
      Path mounted = Files.createTempDirectory("api-keys");
      for (Map.Entry<String, String> entry : keys.getData().entrySet()) {
        Files.write(mounted.resolve(entry.getKey()), Base64.getDecoder().decode(entry.getValue()));
        mounted.resolve(entry.getKey()).toFile().deleteOnExit();
      }
      mounted.toFile().deleteOnExit();
      env.put("API_KEYS_FILE", mounted.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return env;
  }

  /** The container's plain env values (entries taken from elsewhere are left out). */
  static Map<String, String> env(Deployment deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container(deployment).getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
      }
    }
    return env;
  }

  /** The container's env entries by name, with their sources. */
  static Map<String, EnvVar> envVars(Deployment deployment) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    for (EnvVar var : container(deployment).getEnv()) {
      if (env.put(var.getName(), var) != null) {
        throw new AssertionError("env " + var.getName() + " is set twice");
      }
    }
    return env;
  }
}
