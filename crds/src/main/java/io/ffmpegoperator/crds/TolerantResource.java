package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Optional;

/**
 * A custom resource of the platform that every reader can decode, whatever was stored.
 *
 * <p>The API server stores what a CRD allows, and not every server checks the schema; a newer
 * version of the platform may also write fields this one does not know. One object whose spec does
 * not fit the model would otherwise fail the decoding of every list and watch of its kind, and an
 * informer that fails so stops for good: the operator and the bridge with it. So such an object
 * decodes with its metadata intact, the part that does not fit (spec or status) left null, and
 * {@link #decodeProblem()} saying why; readers skip it and report it. Unknown fields are ignored by
 * the spec and status classes.
 */
@JsonDeserialize(using = TolerantResourceDeserializer.class)
public abstract class TolerantResource<S, T> extends CustomResource<S, T> implements Namespaced {
  // Never serialized: it describes this copy, not the stored object.
  @JsonIgnore private transient String decodeProblem;

  /**
   * Why the stored spec or status could not be read (e.g. {@code spec.inputs: expected an object,
   * got a string}); empty when both were.
   */
  public Optional<String> decodeProblem() {
    return Optional.ofNullable(decodeProblem);
  }

  /**
   * Records why this copy's spec or status could not be read; for the decoder, and for whoever
   * copies a decoded object (JOSDK's cloner) and must carry the problem over.
   */
  public void markUndecodable(String problem) {
    this.decodeProblem = problem;
  }
}
