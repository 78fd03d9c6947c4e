package io.ffmpegoperator.bridge.store;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.crds.TolerantResource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored resources of one kind that this version cannot read ({@link
 * TolerantResource#decodeProblem()}): written by hand past the schema, or by a newer version. The
 * bridge serves everything else as usual; a request that names one of these gets a 500 that says
 * what is wrong and what to fix, a listing leaves it out, and the log says so once per stored
 * version of it, not once per request.
 */
final class UnreadableResources<R extends TolerantResource<?, ?>> {
  private static final Logger LOG = LoggerFactory.getLogger(UnreadableResources.class);

  private final SharedIndexInformer<R> informer;
  private final String kind;
  private final String noun;
  // Name -> the resourceVersion last logged; only resources that are unreadable now.
  private final Map<String, String> logged = new ConcurrentHashMap<>();

  /**
   * Watches what {@code informer} sees, so each is logged when it arrives, not on first request.
   *
   * @param noun what the API calls one, e.g. Task
   */
  UnreadableResources(SharedIndexInformer<R> informer, Class<R> type, String noun) {
    this.informer = informer;
    this.kind = HasMetadata.getKind(type);
    this.noun = noun;
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(R resource) {
            skip(resource);
          }

          @Override
          public void onUpdate(R before, R after) {
            skip(after);
          }

          @Override
          public void onDelete(R resource, boolean finalStateUnknown) {
            logged.remove(resource.getMetadata().getName());
          }
        });
  }

  /** Whether to leave {@code resource} out because it cannot be read; logs it if so. */
  boolean skip(R resource) {
    String name = resource.getMetadata().getName();
    String problem = resource.decodeProblem().orElse(null);
    if (problem == null) {
      logged.remove(name);
      return false;
    }
    String version = Objects.toString(resource.getMetadata().getResourceVersion(), "");
    if (!version.equals(logged.put(name, version))) {
      LOG.warn(
          "{} {}/{} is stored in a form this version cannot read ({}); the bridge leaves it out"
              + " until it is fixed or deleted",
          kind,
          resource.getMetadata().getNamespace(),
          name,
          problem);
    }
    return true;
  }

  /**
   * {@code resource} if it can be read, else a 500 that names it.
   *
   * @param id what the client asked for: a task id, video id or job id
   */
  R require(R resource, Object id) {
    if (skip(resource)) {
      throw ApiException.detail(
          500,
          noun
              + " "
              + id
              + " is stored in a form this version cannot read ("
              + resource.decodeProblem().orElseThrow()
              + "); fix or delete the "
              + kind
              + " resource "
              + resource.getMetadata().getName());
    }
    return resource;
  }

  /** The kind, e.g. FfmpegTask. */
  String kind() {
    return kind;
  }

  /** How many resources of the kind in the cache cannot be read. */
  long count() {
    return informer.getStore().list().stream().filter(r -> r.decodeProblem().isPresent()).count();
  }
}
