package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.time.Clock;

/** Assembles the java-operator-sdk {@link Operator} with this platform's reconcilers. */
public final class FfmpegOperator {
  private FfmpegOperator() {}

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void watch(
      ControllerConfigurationOverrider<R> controller, OperatorConfig config) {
    if (config.namespaces().isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(config.namespaces());
    }
  }

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
        c -> watch(c, config));
    operator.register(
        new VideoJobReconciler(storage, client, Clock.systemUTC()), c -> watch(c, config));
    return operator;
  }
}
