package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.BiConsumer;

/**
 * How every reconciler ends: the status it built is written only when it differs from the stored
 * one, so a reconcile that changes nothing writes nothing (and triggers no new event), and a change
 * is told (events, metrics, a log line) once, just before it is written.
 */
final class StatusWriter {
  private StatusWriter() {}

  /**
   * Patches {@code resource}'s status to {@code next} unless that is what it already has.
   *
   * @param changed told the current status (null for none) and the next one before the write
   */
  static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(
      R resource, S next, BiConsumer<S, S> changed) {
    S current = resource.getStatus();
    if (current != null && Serialization.asJson(current).equals(Serialization.asJson(next))) {
      return UpdateControl.noUpdate();
    }
    changed.accept(current, next);
    resource.setStatus(next);
    return UpdateControl.patchStatus(resource);
  }
}
