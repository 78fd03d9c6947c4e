package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ffmpegoperator.dev.kube.FileBackedStore.Issued;
import io.ffmpegoperator.dev.kube.FileBackedStore.StoredObject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's CRUD dispatcher with every change written through to a {@link FileBackedStore}, status
 * kept behind {@code /status} for built-in kinds too, hooks called on every change and when an
 * object is gone, and the API server's optimistic concurrency ({@link WritePreconditions}) on every
 * write.
 */
final class PersistentCrudDispatcher extends KubernetesCrudDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(PersistentCrudDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CRDS = "customresourcedefinitions";
  private static final String NAMESPACE = KubernetesAttributesExtractor.NAMESPACE;
  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  private final FileBackedStore store;
  // Every write runs under this lock, from the precondition check to the stored change: the mock
  // checks a main-resource PUT or PATCH under its own lock, but not a /status PUT nor a DELETE's
  // preconditions, and two writers based on one version must never both succeed.
  private final ReentrantLock writes = new ReentrantLock();
  // Kept in step with the mock's map under the write lock.
  private final AttributeIndex index = new AttributeIndex();
  // The newest resourceVersion issued: what a list answers with, as the mock's own lists do.
  private final AtomicLong lastIssued = new AtomicLong();
  private final AtomicLong crdChanges = new AtomicLong();
  private volatile Consumer<String> removalListener = uid -> {};
  private volatile ManagedFieldsTracker managedFields;
  // The write this thread is making, for processEvent to keep managedFields up to date.
  private final ThreadLocal<FieldWrite> fieldWrite = new ThreadLocal<>();
  private final List<ChangeListener> changeListeners = new CopyOnWriteArrayList<>();
  private volatile SchemaValidation schemaValidation;
  private Issued issued = new Issued(0, 0);

  PersistentCrudDispatcher(FileBackedStore store) {
    this.store = store;
  }

  /**
   * A number that changes whenever a CustomResourceDefinition is written or removed, so what is
   * derived from the CRDs can be kept until it does.
   */
  long crdChanges() {
    return crdChanges.get();
  }

  /** Called with the uid of each object once it is really removed (not just marked). */
  void onRemoval(Consumer<String> listener) {
    this.removalListener = listener;
  }

  /** Records who wrote which fields in managedFields, from now on, with this tracker. */
  void trackManagedFields(ManagedFieldsTracker tracker) {
    this.managedFields = tracker;
  }

  /** Runs {@code readModifyWrite} under the write lock (it may write through this dispatcher). */
  <T> T underWriteLock(Supplier<T> readModifyWrite) {
    writes.lock();
    try {
      return readModifyWrite.get();
    } finally {
      writes.unlock();
    }
  }

  /**
   * A server-side apply's write (POST or PUT): stored with {@code managedFields} as given instead
   * of an Update entry for the writer, a {@code /status} write too.
   */
  MockResponse writeApplied(RecordedRequest request, JsonNode managedFields) {
    return underWriteLock(
        () -> {
          fieldWrite.set(FieldWrite.applied(managedFields));
          try {
            return guarded(
                request,
                "POST".equals(request.getMethod()) ? super::handleCreate : super::handleUpdate);
          } finally {
            fieldWrite.remove();
          }
        });
  }

  /** The newest resourceVersion issued so far. */
  long lastResourceVersion() {
    return lastIssued.get();
  }

  /** Tells {@code listener} of every change stored from now on, after those added before it. */
  void addChangeListener(ChangeListener listener) {
    changeListeners.add(listener);
  }

  /**
   * Checks every custom resource a client writes against its CRD's schema before it is stored;
   * without this call nothing is checked.
   */
  void validateCustomResources(SchemaValidation validation) {
    this.schemaValidation = validation;
  }

  /** Loads the stored objects; call once, before the server takes requests. */
  void restore() {
    List<StoredObject> objects = new ArrayList<>(store.loadAll());
    // CRDs first: the mock learns their plurals and status subresources from them.
    objects.sort(Comparator.comparing(o -> !o.path().plural().equals(CRDS)));
    issued = store.loadIssued();
    for (StoredObject object : objects) {
      String path = object.path().itemPath();
      // super: replaying what is already on disk must not write it again.
      super.processEvent(path, getKey(path), null, null, object.json());
      issued = issued.max(Issued.of(object.json()));
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
    synchronized (map) {
      index.addAll(map.keySet());
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
    if (existing == null && newState != null) {
      newState = JobDefaults.onCreate(path, newState);
    }
    ClientWrite client = ClientWrite.current();
    SchemaValidation validation = schemaValidation;
    if (client != null && validation != null && newState != null) {
      String checked = validation.check(client, path, existing, newState);
      if (!checked.equals(newState)) {
        newState = checked;
        resource = null; // the key comes from what is stored
        client.stored(checked);
      }
    }
    // After validation: managedFields describe the object as it is stored, pruned.
    FieldWrite write = fieldWrite.get();
    if (write != null && newState != null) {
      newState = write.stored(existing, newState);
    }
    AttributeSet newKey = newState == null ? null : keyOf(pathAttributes, resource, newState);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (oldAttributes != null) {
      index.remove(oldAttributes);
    }
    if (newKey != null) {
      index.add(newKey);
    }
    if (Objects.equals(existing, newState)) {
      return;
    }
    String plural = ResourcePath.parse(path).map(ResourcePath::plural).orElse(null);
    if (CRDS.equals(plural)) {
      crdChanges.incrementAndGet();
    }
    JsonNode gone = null;
    JsonNode stored = null;
    long removalVersion = 0;
    try {
      if (newState != null) {
        stored = JSON.readTree(newState);
        store.put(ResourcePath.ofObject(stored, plural), newState);
      } else if (existing != null) {
        gone = JSON.readTree(existing);
        store.remove(ResourcePath.ofObject(gone, plural));
        // The API server gives a removal a resourceVersion of its own (watchers see DELETED at
        // it); the mock gives none. Saved, as the removed object may have held the highest
        // resourceVersion or uid issued so far, and a restart must never issue a lower one.
        removalVersion = requestResourceVersion();
        issued = issued.max(Issued.of(existing)).max(new Issued(removalVersion, 0));
        store.saveIssued(issued);
      }
    } catch (JsonProcessingException | RuntimeException e) {
      // Failing the request would not undo the in-memory change; say loudly what was not saved.
      LOG.error("Change to {} not saved to disk: {}", path, e.toString());
    }
    if (stored != null) {
      JsonNode before =
          existing == null ? null : parseOrNull(existing.getBytes(StandardCharsets.UTF_8));
      tellListeners(plural, newKey, before, stored, stored);
    } else if (gone != null) {
      JsonNode removed = gone.deepCopy();
      if (removed.path("metadata") instanceof ObjectNode metadata) {
        metadata.put("resourceVersion", String.valueOf(removalVersion));
      }
      tellListeners(plural, oldAttributes, removed, null, removed);
      removalListener.accept(gone.path("metadata").path("uid").asText());
    }
  }

  /** Tells every change listener of one stored change; {@code object} is before or after. */
  private void tellListeners(
      String plural, AttributeSet key, JsonNode before, JsonNode after, JsonNode object) {
    if (changeListeners.isEmpty() || plural == null) {
      return;
    }
    ResourcePath itemPath = ResourcePath.ofObject(object, plural);
    long resourceVersion = object.path("metadata").path("resourceVersion").asLong();
    for (ChangeListener listener : changeListeners) {
      try {
        listener.changed(itemPath, key, before, after, resourceVersion);
      } catch (RuntimeException e) {
        // The change is stored; one listener's failure must not fail the write nor the others.
        LOG.error("Change listener failed on {}", itemPath.itemPath(), e);
      }
    }
  }

  /** The key the mock stores {@code newState} under, made the way its processEvent makes it. */
  private AttributeSet keyOf(
      AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
    KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
    AttributeSet key =
        resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    return key.containsKey(KubernetesAttributesExtractor.PLURAL)
        ? key
        : AttributeSet.merge(pathAttributes, key);
  }

  /**
   * One object, or the objects a label selects, found through the index rather than by comparing
   * everything stored with the request.
   */
  @Override
  public MockResponse handleGet(String path) {
    Optional<ResourcePath> resource = ResourcePath.parse(path);
    if (resource.isEmpty() || resource.get().subresource() != null) {
      return super.handleGet(path);
    }
    if (resource.get().isCollection()) {
      Map<String, String> query = ApiServerDispatcher.query(path);
      return query.containsKey("labelSelector") && !QueryParams.isTrue(query.get("watch"))
          ? selected(path)
          : super.handleGet(path);
    }
    if (path.contains("?")) {
      return super.handleGet(path);
    }
    Optional<String> found = one(getKey(path));
    if (found.isEmpty()) {
      // Between the mock's removal of the old version and its storing of the new one, the object
      // is in neither: only under the write lock is its absence certain.
      writes.lock();
      try {
        found = one(getKey(path));
      } finally {
        writes.unlock();
      }
    }
    return found
        .map(json -> new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(json))
        .orElseGet(() -> new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND));
  }

  /**
   * A list by label selector, under the write lock so that it is one moment's state, and sorted by
   * namespace and name as the API server sorts lists.
   */
  private MockResponse selected(String path) {
    List<String> items;
    long resourceVersion;
    writes.lock();
    try {
      Optional<List<AttributeSet>> keys = index.matching(getKey(path));
      if (keys.isEmpty()) {
        return super.handleGet(path);
      }
      items =
          keys.get().stream()
              .sorted(
                  Comparator.comparing(
                          (AttributeSet key) -> ResourcePath.value(key, NAMESPACE), NULLS_FIRST)
                      .thenComparing(
                          key -> ResourcePath.value(key, KubernetesAttributesExtractor.NAME),
                          NULLS_FIRST))
              .map(map::get)
              .filter(Objects::nonNull)
              .toList();
      resourceVersion = lastIssued.get();
    } finally {
      writes.unlock();
    }
    return new MockResponse()
        .setResponseCode(HttpURLConnection.HTTP_OK)
        .setBody(
            ((KubernetesResponseComposer) responseComposer)
                .compose(items, String.valueOf(resourceVersion)));
  }

  @Override
  public long requestResourceVersion() {
    long issuedNow = super.requestResourceVersion();
    lastIssued.accumulateAndGet(issuedNow, Math::max);
    return issuedNow;
  }

  /** How the mock's writes look for the object they change (under its write lock). */
  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    Optional<List<AttributeSet>> keys = index.matching(attributes);
    if (keys.isEmpty()) {
      return super.findResource(attributes);
    }
    for (AttributeSet key : keys.get()) {
      String json = map.get(key);
      if (json != null) {
        return Map.entry(key, json);
      }
    }
    return null;
  }

  private Optional<String> one(AttributeSet query) {
    return index
        .matching(query)
        .flatMap(keys -> keys.stream().map(map::get).filter(Objects::nonNull).findFirst());
  }

  @Override
  public void reset() {
    super.reset();
    index.clear();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    // The mock's DELETE sees the path only; its DeleteOptions body may hold preconditions.
    if ("DELETE".equals(request.getMethod())) {
      return guarded(request, r -> handleDelete(r.getPath()));
    }
    return super.dispatch(request);
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return guarded(request, super::handleCreate);
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return guarded(request, super::handleUpdate);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    MockResponse response = guarded(request, super::handlePatch);
    // The mock answers a stored patch with 202; the API server with 200.
    return response.code() == HttpURLConnection.HTTP_ACCEPTED
        ? response.setResponseCode(HttpURLConnection.HTTP_OK)
        : response;
  }

  @Override
  public MockResponse handleDelete(String path) {
    // Also the garbage collector's way in.
    writes.lock();
    try {
      return super.handleDelete(path);
    } finally {
      writes.unlock();
    }
  }

  /**
   * Checks the write's preconditions against the stored object and writes, as one step, as a
   * client's write: what it stores is validated, and its answer carries what validation adds.
   */
  private MockResponse guarded(
      RecordedRequest queried, Function<RecordedRequest, MockResponse> write) {
    ClientWrite client =
        new ClientWrite(queried.getMethod(), ApiServerDispatcher.query(queried.getPath()));
    // The mock decides "is this /status?" with path.endsWith("/status"): a query string (e.g.
    // ?fieldManager=) would turn a status write into a main-resource write that drops the status.
    // A DELETE keeps its query: it may select what a collection delete removes.
    RecordedRequest request =
        "DELETE".equals(queried.getMethod())
            ? queried
            : withPath(queried, ApiServerDispatcher.pathOnly(queried.getPath()));
    Optional<ResourcePath> path = ResourcePath.parse(request.getPath());
    writes.lock();
    FieldWrite outer = fieldWrite.get();
    try {
      if (path.isEmpty()) {
        return write.apply(request);
      }
      ManagedFieldsTracker tracker = managedFields;
      if (outer == null && tracker != null && !"DELETE".equals(request.getMethod())) {
        ManagedFieldsTracker.Writer.of(
                request, path.get(), isStatusSubresourceEnabledForResource(request.getPath()))
            .ifPresent(writer -> fieldWrite.set(FieldWrite.tracked(tracker, writer)));
      }
      RecordedRequest checked = request;
      if (!path.get().isCollection()) {
        String method = request.getMethod();
        String contentType = request.getHeader(ApiStatus.CONTENT_TYPE);
        JsonNode body = parseOrNull(request.getBody().getBytes());
        JsonNode current = stored(path.get());
        if (current != null) {
          Optional<MockResponse> refused =
              WritePreconditions.check(method, path.get(), contentType, body, current);
          if (refused.isPresent()) {
            return refused.get();
          }
        }
        if (WritePreconditions.dropNullResourceVersion(method, contentType, body)) {
          checked = withBody(request, body.toString());
        }
      }
      RecordedRequest toWrite = checked;
      MockResponse response =
          client.answer(
              client.during(() -> ApiStatus.asApiServer(path.get(), write.apply(toWrite))));
      FieldWrite written = fieldWrite.get();
      if (written != null && written.rewritten() != null && response.code() / 100 == 2) {
        response.setBody(written.rewritten());
      }
      return response;
    } catch (ClientWrite.Refused refused) {
      return refused.response();
    } finally {
      if (outer == null) {
        fieldWrite.remove();
      }
      writes.unlock();
    }
  }

  /** The stored object at the path (its subresource ignored), null if there is none. */
  private JsonNode stored(ResourcePath path) {
    MockResponse response = handleGet(path.itemPath());
    return response.code() == 200 && response.getBody() != null
        ? parseOrNull(response.getBody().getBytes())
        : null;
  }

  private static RecordedRequest withPath(RecordedRequest request, String path) {
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        path,
        request.getHeaders(),
        new Buffer(request.getBody().getBytes()));
  }

  private static RecordedRequest withBody(RecordedRequest request, String body) {
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        request.getPath(),
        request.getHeaders(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode parseOrNull(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
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
      ResourcePath.ofKey(entry.getKey())
          .ifPresent(path -> objects.add(new StoredObject(path, entry.getValue())));
    }
    return objects;
  }
}
