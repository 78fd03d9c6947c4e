package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ffmpegoperator.crds.TolerantResource;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reconcilers do with a stored resource this version cannot read ({@link
 * TolerantResource#decodeProblem()}): skip it and say so, in the log and as a Warning event on it,
 * and never write to it. The metric {@link OperatorMetrics#UNREADABLE} counts them. Everything else
 * goes on; the resource is looked at again when it changes (fixed, or read by a newer version) or
 * the operator restarts.
 */
final class UnreadableResources {
  static final String REASON = "Unreadable";

  private static final Logger LOG = LoggerFactory.getLogger(UnreadableResources.class);

  private final ResourceEvents events;

  UnreadableResources(ResourceEvents events) {
    this.events = events;
  }

  /** Skips {@code resource} if it could not be read, with a word why; else empty. */
  <R extends TolerantResource<?, ?>> Optional<UpdateControl<R>> skip(R resource) {
    return resource
        .decodeProblem()
        .map(
            problem -> {
              String message =
                  "skipped: this version of the operator cannot read it ("
                      + problem
                      + "); fix or delete it";
              LOG.warn(
                  "{} {}/{} {}",
                  resource.getKind(),
                  resource.getMetadata().getNamespace(),
                  resource.getMetadata().getName(),
                  message);
              events.warning(resource, REASON, message);
              return UpdateControl.noUpdate();
            });
  }

  /**
   * JOSDK's copy of each resource before it is reconciled. The copy is a JSON round trip, which
   * would drop what the decoder noted (it is never serialized): the copy keeps it.
   */
  static Cloner cloner(KubernetesSerialization serialization) {
    return new Cloner() {
      @Override
      public <R extends HasMetadata> R clone(R resource) {
        R copy = serialization.clone(resource);
        if (resource instanceof TolerantResource<?, ?> read
            && copy instanceof TolerantResource<?, ?> copied) {
          read.decodeProblem().ifPresent(copied::markUndecodable);
        }
        return copy;
      }
    };
  }
}
