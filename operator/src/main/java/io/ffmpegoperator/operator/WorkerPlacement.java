package io.ffmpegoperator.operator;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Where worker pods may be scheduled, as the Helm chart's {@code worker.nodeSelector}, {@code
 * worker.tolerations} and {@code worker.affinity} say (passed as JSON in environment variables).
 *
 * @param nodeSelector labels a node must have; empty for any node
 * @param tolerations taints worker pods tolerate, e.g. of dedicated media nodes
 * @param affinity node or pod affinity rules; null for none
 */
public record WorkerPlacement(
    Map<String, String> nodeSelector, List<Toleration> tolerations, Affinity affinity) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  public WorkerPlacement {
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
  }

  /** No constraint: any node the scheduler picks. */
  public static WorkerPlacement anywhere() {
    return new WorkerPlacement(Map.of(), List.of(), null);
  }

  /**
   * Reads {@code WORKER_NODE_SELECTOR}, {@code WORKER_TOLERATIONS} and {@code WORKER_AFFINITY}.
   *
   * @throws IllegalArgumentException naming the variable whose JSON does not parse
   */
  public static WorkerPlacement fromEnv(Map<String, String> env) {
    return new WorkerPlacement(
        parse(env, "WORKER_NODE_SELECTOR", new TypeReference<Map<String, String>>() {}),
        parse(env, "WORKER_TOLERATIONS", new TypeReference<List<Toleration>>() {}),
        parse(env, "WORKER_AFFINITY", new TypeReference<Affinity>() {}));
  }

  private static <T> T parse(Map<String, String> env, String name, TypeReference<T> type) {
    String json = env.get(name);
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return JSON.unmarshal(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), type);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " is not valid JSON of the expected shape", e);
    }
  }
}
