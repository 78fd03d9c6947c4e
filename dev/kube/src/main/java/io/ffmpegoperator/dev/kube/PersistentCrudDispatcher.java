package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.ffmpegoperator.dev.kube.FileBackedStore.Issued;
import io.ffmpegoperator.dev.kube.FileBackedStore.StoredObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's CRUD dispatcher with every change written through to a {@link FileBackedStore}, status
 * kept behind {@code /status} for built-in kinds too, and a hook called when an object is gone.
 */
final class PersistentCrudDispatcher extends KubernetesCrudDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(PersistentCrudDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileBackedStore store;
  private volatile Consumer<String> removalListener = uid -> {};
  private Issued issued = new Issued(0, 0);

  PersistentCrudDispatcher(FileBackedStore store) {
    this.store = store;
  }

  /** Called with the uid of each object once it is really removed (not just marked). */
  void onRemoval(Consumer<String> listener) {
    this.removalListener = listener;
  }

  /** Loads the stored objects; call once, before the server takes requests. */
  void restore() {
    List<StoredObject> objects = new ArrayList<>(store.loadAll());
    // CRDs first: the mock learns their plurals and status subresources from them.
    objects.sort(Comparator.comparing(o -> !o.path().plural().equals("customresourcedefinitions")));
    issued = store.loadIssued();
    for (StoredObject object : objects) {
      String path = object.path().itemPath();
      // super: replaying what is already on disk must not write it again.
      super.processEvent(path, getKey(path), null, null, object.json());
      issued = issued.max(issuedFor(object.json()));
    }
    // The mock's resourceVersion counter is private and starts at 0: new versions must sort after
    // restored ones or informers comparing them would ignore changes.
    while (requestResourceVersion() < issued.resourceVersion()) {
      // advance
    }
    // The mock's uids come from a JVM-wide counter starting at 0 in each JVM; a new object must
    // not get the uid of a restored one (owner references and the garbage collector use uids).
    while (Utils.generateId().getLeastSignificantBits() < issued.uid()) {
      // advance
    }
    LOG.info("Restored {} objects, resourceVersion {}", objects.size(), issued.resourceVersion());
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    // Called with the write lock held, so disk writes happen in the order of the changes.
    String existing = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (Objects.equals(existing, newState)) {
      return;
    }
    String plural = ResourcePath.parse(path).map(ResourcePath::plural).orElse(null);
    JsonNode gone = null;
    try {
      if (newState != null) {
        store.put(pathOf(JSON.readTree(newState), plural), newState);
      } else if (existing != null) {
        gone = JSON.readTree(existing);
        store.remove(pathOf(gone, plural));
        // The removed object may have held the highest resourceVersion or uid issued so far.
        issued = issued.max(issuedFor(existing));
        store.saveIssued(issued);
      }
    } catch (JsonProcessingException | RuntimeException e) {
      // Failing the request would not undo the in-memory change; say loudly what was not saved.
      LOG.error("Change to {} not saved to disk: {}", path, e.toString());
    }
    if (gone != null) {
      removalListener.accept(gone.path("metadata").path("uid").asText());
    }
  }

  @Override
  public boolean isStatusSubresourceEnabledForResource(String path) {
    // The mock knows this only for CRDs; the real API server also keeps Pod and Job status
    // apart, so an update of the Job spec cannot wipe what the node wrote.
    return super.isStatusSubresourceEnabledForResource(path)
        || ResourcePath.parse(path)
            .map(
                p ->
                    ResourceType.BUILT_IN.stream()
                        .anyMatch(t -> t.servedAt(p) && t.statusSubresource()))
            .orElse(false);
  }

  /** A copy of everything stored, each with the path it is served at. */
  List<StoredObject> snapshot() {
    List<Map.Entry<AttributeSet, String>> entries;
    synchronized (map) {
      entries = new ArrayList<>(map.entrySet());
    }
    List<StoredObject> objects = new ArrayList<>(entries.size());
    for (Map.Entry<AttributeSet, String> entry : entries) {
      AttributeSet key = entry.getKey();
      String api = value(key, KubernetesAttributesExtractor.API);
      String version = value(key, KubernetesAttributesExtractor.VERSION);
      String plural = value(key, KubernetesAttributesExtractor.PLURAL);
      String name = value(key, KubernetesAttributesExtractor.NAME);
      if (version != null && plural != null && name != null) {
        objects.add(
            new StoredObject(
                new ResourcePath(
                    api == null ? "" : api,
                    version,
                    value(key, KubernetesAttributesExtractor.NAMESPACE),
                    plural,
                    name,
                    null),
                entry.getValue()));
      }
    }
    return objects;
  }

  private static String value(AttributeSet key, String name) {
    Attribute attribute = key.getAttribute(name);
    return attribute == null || attribute.getValues().isEmpty()
        ? null
        : attribute.getValues().get(0).toString();
  }

  private static ResourcePath pathOf(JsonNode object, String plural) {
    JsonNode metadata = object.path("metadata");
    return ResourcePath.ofObject(
        object.path("apiVersion").asText(),
        metadata.path("namespace").asText(null),
        Objects.requireNonNull(plural, "plural"),
        metadata.path("name").asText());
  }

  /** The resourceVersion and the mock's uid counter value an object holds. */
  private static Issued issuedFor(String json) {
    try {
      JsonNode metadata = JSON.readTree(json).path("metadata");
      long resourceVersion = Long.parseLong(metadata.path("resourceVersion").asText("0"));
      UUID uid = UUID.fromString(metadata.path("uid").asText());
      // Only the mock's own uids (0-...-n) count; others cannot collide with its counter.
      return new Issued(
          resourceVersion, uid.getMostSignificantBits() == 0 ? uid.getLeastSignificantBits() : 0);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return new Issued(0, 0);
    }
  }
}
