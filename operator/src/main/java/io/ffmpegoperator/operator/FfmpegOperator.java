package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;

/** Assembles the java-operator-sdk {@link Operator} with this platform's reconcilers. */
public final class FfmpegOperator {
  private FfmpegOperator() {}

  /** A configured, not yet started operator. */
  public static Operator create(KubernetesClient client, S3Storage storage, OperatorConfig config) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    // Server-side apply is not needed: the operator creates Jobs once and
                    // patches only status. Plain patches also work on the embedded API server,
                    // which has no server-side apply.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false));
    operator.register(
        new FfmpegTaskReconciler(config, storage, client, Clock.systemUTC()),
        c -> {
          if (config.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.namespaces());
          }
        });
    return operator;
  }
}
