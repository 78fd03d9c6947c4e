package io.ffmpegoperator.bridge.store;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FfmpegTasks of one namespace: reads come from an informer cache so status polling costs the
 * API server nothing, with a direct GET on a miss because a task just created (possibly by another
 * replica) may not have reached the cache yet.
 */
public final class TaskStore implements AutoCloseable {
  /** The value of {@code app.kubernetes.io/managed-by} on the tasks the bridge creates. */
  static final String MANAGED_BY = CrdConstants.APP_NAME + "-api-bridge";

  private static final Logger LOG = LoggerFactory.getLogger(TaskStore.class);
  // A DNS-1123 subdomain: anything else cannot be a resource name, so it needs no API call.
  private static final Pattern RESOURCE_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_NAME_LENGTH = 253;

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<FfmpegTask> informer;
  private final UnreadableResources<FfmpegTask> unreadable;

  private TaskStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.informer = client.resources(FfmpegTask.class).inNamespace(namespace).runnableInformer(0);
    this.unreadable = new UnreadableResources<>(informer, FfmpegTask.class, "Task");
    // Keep retrying after a failed list or watch (API server restart, CRD installed later):
    // until the cache syncs, reads fall back to direct GETs.
    informer.exceptionHandler(
        (started, error) -> {
          LOG.warn("FfmpegTask informer in {} failed, retrying: {}", namespace, error.toString());
          return true;
        });
  }

  /** Starts watching the namespace; does not wait for the cache to fill. */
  static TaskStore start(KubernetesClient client, String namespace) {
    TaskStore store = new TaskStore(client, namespace);
    store
        .informer
        .start()
        .whenComplete(
            (ignored, error) -> {
              if (error == null) {
                LOG.info("FfmpegTask cache of namespace {} is synced", namespace);
              }
            });
    return store;
  }

  /** Creates a task with a fresh id for the client (null with keys off); returns the id. */
  public String create(FfmpegTaskSpec spec, String client) {
    return create(spec, Map.of(), client);
  }

  /** Creates a task with a fresh id and these annotations for the client; returns the id. */
  public String create(FfmpegTaskSpec spec, Map<String, String> annotations, String client) {
    String taskId = UUID.randomUUID().toString();
    createNamed(taskId, spec, annotations, client);
    return taskId;
  }

  /**
   * Creates a task of the given id with these annotations for the API client (null with keys off);
   * false, creating nothing, when a task of that id exists already.
   */
  public boolean createNamed(
      String taskId, FfmpegTaskSpec spec, Map<String, String> annotations, String apiClient) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CrdConstants.LABEL_MANAGED_BY, MANAGED_BY);
    if (apiClient != null) {
      labels.put(CrdConstants.LABEL_CLIENT, apiClient);
    }
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(taskId)
            .withNamespace(namespace)
            .withLabels(labels)
            .withAnnotations(withSubmitTime(annotations))
            .build());
    task.setSpec(spec);
    try {
      client.resources(FfmpegTask.class).inNamespace(namespace).resource(task).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      LOG.error("Could not create FfmpegTask {}/{}", namespace, taskId, e);
      throw KubernetesErrors.unavailable(e, "Could not register the task");
    }
    LOG.info("Created FfmpegTask {}/{}", namespace, taskId);
    return true;
  }

  private static Map<String, String> withSubmitTime(Map<String, String> annotations) {
    Map<String, String> all = new LinkedHashMap<>(annotations);
    all.put(
        CrdConstants.ANNOTATION_SUBMITTED, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    return all;
  }

  /**
   * The newest task in the cache whose annotation {@code name} is {@code value} and that was made
   * after {@code since}.
   */
  public Optional<FfmpegTask> newestAnnotated(String name, String value, Instant since) {
    return informer.getStore().list().stream()
        .filter(t -> t.getMetadata().getAnnotations() != null)
        .filter(t -> value.equals(t.getMetadata().getAnnotations().get(name)))
        .filter(t -> createdAt(t).isAfter(since))
        .max(Comparator.comparing(TaskStore::createdAt));
  }

  /** When the API server made the task. */
  public static Instant createdAt(FfmpegTask task) {
    String created = task.getMetadata().getCreationTimestamp();
    return created == null ? Instant.now() : Instant.parse(created);
  }

  /**
   * Whether the client (null with keys off, where everyone is one client) may see the task: it made
   * it, and it is not a child of a parallel task. A task without a client (made with kubectl) is
   * seen only with keys off.
   */
  public static boolean ownedBy(FfmpegTask task, String client) {
    if (isChild(task)) {
      return false;
    }
    if (client == null) {
      return true;
    }
    Map<String, String> labels = task.getMetadata().getLabels();
    return labels != null && client.equals(labels.get(CrdConstants.LABEL_CLIENT));
  }

  /**
   * Whether the operator made the task to do part of a parallel task's work. The API shows the task
   * the client registered, not its parts: a client that cancelled or deleted a segment would fail
   * the whole task, and its status is in the parent's progress already.
   */
  public static boolean isChild(FfmpegTask task) {
    Map<String, String> labels = task.getMetadata().getLabels();
    return labels != null && labels.containsKey(CrdConstants.LABEL_PARENT);
  }

  /**
   * The task with this id if the client may see it ({@link #ownedBy}): another client's task is
   * answered as one that does not exist, so ids tell nothing across clients.
   */
  public Optional<FfmpegTask> findOwned(String taskId, String client) {
    return find(taskId).filter(task -> ownedBy(task, client));
  }

  /** The answer for an id no task has, the same on every task endpoint. */
  public static ApiException notFound() {
    return ApiException.detail(404, "Task not found");
  }

  /**
   * The task with this id, from the cache or else from the API server.
   *
   * @throws ApiException 500 when it is stored in a form this version cannot read
   */
  public Optional<FfmpegTask> find(String taskId) {
    if (taskId == null
        || taskId.length() > MAX_NAME_LENGTH
        || !RESOURCE_NAME.matcher(taskId).matches()) {
      return Optional.empty();
    }
    FfmpegTask cached = informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, taskId));
    if (cached != null) {
      return Optional.of(unreadable.require(cached, taskId));
    }
    try {
      return Optional.ofNullable(
              client.resources(FfmpegTask.class).inNamespace(namespace).withName(taskId).get())
          .map(task -> unreadable.require(task, taskId));
    } catch (KubernetesClientException e) {
      LOG.error("Could not read FfmpegTask {}/{}", namespace, taskId, e);
      throw KubernetesErrors.unavailable(e, "Could not read the task");
    }
  }

  /**
   * Asks the operator to cancel the task: sets {@code spec.cancel}, where it outlives this process
   * and is seen by every replica. The task as the API server has it then; empty when it is gone.
   */
  public Optional<FfmpegTask> requestCancel(String taskId) {
    try {
      return Optional.of(
          client
              .resources(FfmpegTask.class)
              .inNamespace(namespace)
              .withName(taskId)
              .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"cancel\":true}}"));
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      LOG.error("Could not cancel FfmpegTask {}/{}", namespace, taskId, e);
      throw KubernetesErrors.unavailable(e, "Could not cancel the task");
    }
  }

  /**
   * Deletes the task and waits up to {@code wait} until it is gone: the operator's finalizer first
   * stops its pod and removes its outputs. False when it was still there at the end of the wait.
   */
  public boolean delete(String taskId, Duration wait) {
    var resource = client.resources(FfmpegTask.class).inNamespace(namespace).withName(taskId);
    try {
      resource.delete();
      resource.waitUntilCondition(Objects::isNull, wait.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Deleted FfmpegTask {}/{}", namespace, taskId);
      return true;
    } catch (KubernetesClientTimeoutException e) {
      return false;
    } catch (KubernetesClientException e) {
      LOG.error("Could not delete FfmpegTask {}/{}", namespace, taskId, e);
      throw KubernetesErrors.unavailable(e, "Could not delete the task");
    }
  }

  /**
   * Every task in the cache that this version can read, for lists and counts that must not cost the
   * API server a call per task.
   *
   * @throws ApiException 503 until the cache has filled once: a part of the tasks would pass for
   *     all
   */
  public List<FfmpegTask> cached() {
    if (!informer.hasSynced()) {
      throw ApiException.detail(503, "The tasks are not loaded yet; try again later");
    }
    return informer.getStore().list().stream().filter(task -> !unreadable.skip(task)).toList();
  }

  /** The tasks in the cache this version cannot read. */
  UnreadableResources<FfmpegTask> unreadable() {
    return unreadable;
  }

  /** Whether the cache is filled and its watch is up; what readiness is made of. */
  CacheHealth health() {
    return CacheHealth.of("FfmpegTask", informer);
  }

  @Override
  public void close() {
    informer.close();
  }
}
