package io.ffmpegoperator.bridge.store;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.JobRelease;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.ids.IdAllocator;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VideoJobs of one namespace: created and released here, read from an informer cache indexed by
 * job id. Every change the cache sees is counted, so a caller waiting for jobs to finish sleeps
 * until something changes rather than polling.
 */
public final class VideoJobStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VideoJobStore.class);
  private static final String BY_JOB_ID = "spec.jobId";
  private static final Comparator<VideoJob> BY_ID =
      Comparator.comparing(j -> j.getSpec().getJobId());

  private final KubernetesClient client;
  private final String namespace;
  private final IdAllocator ids;
  private final SharedIndexInformer<VideoJob> informer;
  private final UnreadableResources<VideoJob> unreadable;
  private final Object changes = new Object();
  private long changeCount;

  private VideoJobStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.ids = new IdAllocator(client, namespace);
    this.informer = client.resources(VideoJob.class).inNamespace(namespace).runnableInformer(0);
    informer.addIndexers(Map.of(BY_JOB_ID, job -> List.of(idKey(job))));
    this.unreadable = new UnreadableResources<>(informer, VideoJob.class, "Job");
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(VideoJob job) {
            changed();
          }

          @Override
          public void onUpdate(VideoJob before, VideoJob after) {
            changed();
          }

          @Override
          public void onDelete(VideoJob job, boolean finalStateUnknown) {
            changed();
          }
        });
    informer.exceptionHandler(
        (started, error) -> {
          LOG.warn("VideoJob informer in {} failed, retrying: {}", namespace, error.toString());
          return true;
        });
  }

  /** Starts watching the namespace; does not wait for the cache to fill. */
  static VideoJobStore start(KubernetesClient client, String namespace) {
    VideoJobStore store = new VideoJobStore(client, namespace);
    store.informer.start();
    return store;
  }

  /** Creates a held job with a fresh job id (set into {@code spec}) and returns that id. */
  public long create(VideoJobSpec spec) {
    long jobId = nextId();
    if (!create(VideoJob.nameFor(jobId), jobId, spec, Map.of())) {
      // Ids are never handed out twice: only a job made by hand can hold the name.
      LOG.error(
          "VideoJob {}/{} exists before its id was drawn", namespace, VideoJob.nameFor(jobId));
      throw ApiException.detail(500, "Could not queue the job: its name is taken");
    }
    return jobId;
  }

  /**
   * Creates a held job named {@code name}, with these annotations and a fresh job id (set into
   * {@code spec}); empty, creating nothing, when a job of that name exists. The id drawn then is
   * never used: ids are unique, not gapless.
   */
  public OptionalLong createNamed(String name, VideoJobSpec spec, Map<String, String> annotations) {
    long jobId = nextId();
    return create(name, jobId, spec, annotations) ? OptionalLong.of(jobId) : OptionalLong.empty();
  }

  private long nextId() {
    try {
      return ids.next(IdAllocator.VIDEO_JOBS);
    } catch (KubernetesClientException e) {
      LOG.error("Could not allocate a job id in {}", namespace, e);
      throw KubernetesErrors.unavailable(e, "Could not queue the job");
    } catch (IllegalStateException e) {
      LOG.error("Could not allocate a job id in {}", namespace, e);
      throw ApiException.detail(503, "Could not queue the job; try again later");
    }
  }

  /** False, creating nothing, when a job of that name exists. */
  private boolean create(
      String name, long jobId, VideoJobSpec spec, Map<String, String> annotations) {
    spec.setJobId(jobId);
    spec.setRelease(JobRelease.Held);
    VideoJob job = new VideoJob();
    job.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(
                Map.of(
                    CrdConstants.LABEL_MANAGED_BY,
                    TaskStore.MANAGED_BY,
                    VideoJob.REQUEST_CODE_LABEL,
                    VideoJob.requestCodeLabel(spec.getRequestCode()),
                    VideoJob.JOB_ID_LABEL,
                    Long.toString(jobId)))
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .build());
    job.setSpec(spec);
    try {
      client.resources(VideoJob.class).inNamespace(namespace).resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      LOG.error("Could not create VideoJob {}/{}", namespace, name, e);
      throw KubernetesErrors.unavailable(e, "Could not queue the job");
    }
    LOG.info(
        "Queued VideoJob {}/{} ({} of {})",
        namespace,
        name,
        spec.getOperation(),
        spec.getVideoIds());
    return true;
  }

  /**
   * The job with this id, from the cache or else from the API server.
   *
   * @throws ApiException 500 when it is stored in a form this version cannot read
   */
  public Optional<VideoJob> find(long jobId) {
    List<VideoJob> cached = informer.getIndexer().byIndex(BY_JOB_ID, Long.toString(jobId));
    if (!cached.isEmpty()) {
      return Optional.of(unreadable.require(cached.get(0), jobId));
    }
    // A job whose spec cannot be read has no id in the index: only its name or labels find it.
    try {
      var jobs = client.resources(VideoJob.class).inNamespace(namespace);
      VideoJob named = jobs.withName(VideoJob.nameFor(jobId)).get();
      if (named == null) {
        named =
            jobs.withLabel(VideoJob.JOB_ID_LABEL, Long.toString(jobId)).list().getItems().stream()
                .findFirst()
                .orElse(null);
      }
      return Optional.ofNullable(named).map(job -> unreadable.require(job, jobId));
    } catch (KubernetesClientException e) {
      LOG.error("Could not read VideoJob {}/{}", namespace, VideoJob.nameFor(jobId), e);
      throw KubernetesErrors.unavailable(e, "Could not read the job");
    }
  }

  /**
   * The job of this resource name, from the cache or else from the API server.
   *
   * @throws ApiException 500 when it is stored in a form this version cannot read
   */
  public Optional<VideoJob> findNamed(String name) {
    VideoJob cached = informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    if (cached != null) {
      return Optional.of(unreadable.require(cached, name));
    }
    try {
      return Optional.ofNullable(
              client.resources(VideoJob.class).inNamespace(namespace).withName(name).get())
          .map(job -> unreadable.require(job, name));
    } catch (KubernetesClientException e) {
      LOG.error("Could not read VideoJob {}/{}", namespace, name, e);
      throw KubernetesErrors.unavailable(e, "Could not read the job");
    }
  }

  /**
   * The readable jobs with this label, read from the API server: one another replica changed a
   * moment ago must not be missed.
   */
  public List<VideoJob> labelled(String label, String value) {
    try {
      return client
          .resources(VideoJob.class)
          .inNamespace(namespace)
          .withLabel(label, value)
          .list()
          .getItems()
          .stream()
          .filter(j -> !unreadable.skip(j))
          .filter(j -> j.getSpec() != null && j.getSpec().getJobId() != null)
          .sorted(BY_ID)
          .toList();
    } catch (KubernetesClientException e) {
      LOG.error("Could not list VideoJobs in {}", namespace, e);
      throw KubernetesErrors.unavailable(e, "Could not list the jobs");
    }
  }

  /** The jobs of a request code (all jobs if null), ordered by job id, from the cache. */
  public List<VideoJob> list(String requestCode) {
    List<VideoJob> jobs =
        informer.hasSynced() ? informer.getStore().list() : listFromServer(requestCode);
    return jobs.stream()
        .filter(j -> !unreadable.skip(j))
        .filter(j -> j.getSpec() != null && j.getSpec().getJobId() != null)
        .filter(j -> requestCode == null || requestCode.equals(j.getSpec().getRequestCode()))
        .sorted(BY_ID)
        .toList();
  }

  /**
   * The held jobs of a request code, ordered by job id, read from the API server: a job queued a
   * moment ago, perhaps by another replica, must not be missed.
   */
  public List<VideoJob> held(String requestCode) {
    // One this version cannot read is left held: the operator would not run it either.
    return listFromServer(requestCode).stream()
        .filter(j -> !unreadable.skip(j))
        .filter(j -> j.getSpec() != null && j.getSpec().getJobId() != null)
        .filter(j -> requestCode.equals(j.getSpec().getRequestCode()))
        .filter(j -> j.getSpec().getRelease() != JobRelease.Released)
        .sorted(BY_ID)
        .toList();
  }

  /**
   * Lets the operator run the job, marking it with these labels and annotations (none for a plain
   * execute); true when it is released with these labels, by this call or by a concurrent one that
   * marked it alike; false if the job is gone or was released otherwise. The patch names the
   * version of {@code job} it is based on, so of two releases with different marks one wins and the
   * other learns it lost.
   */
  public boolean release(
      VideoJob job, Map<String, String> labels, Map<String, String> annotations) {
    String name = job.getMetadata().getName();
    var resource = client.resources(VideoJob.class).inNamespace(namespace).withName(name);
    VideoJob seen = job;
    try {
      while (seen.getSpec().getRelease() != JobRelease.Released) {
        try {
          resource.patch(
              PatchContext.of(PatchType.JSON_MERGE),
              releasePatch(seen.getMetadata().getResourceVersion(), labels, annotations));
          LOG.info("Released VideoJob {}/{}", namespace, name);
          return true;
        } catch (KubernetesClientException e) {
          if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
            throw e;
          }
        }
        // Changed since it was read (its status, or a release): look again.
        seen = resource.get();
        if (seen == null || seen.getSpec() == null) {
          return false;
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false;
      }
      LOG.error("Could not release VideoJob {}/{}", namespace, name, e);
      throw KubernetesErrors.unavailable(e, "Could not release job " + job.getSpec().getJobId());
    }
    Map<String, String> has = seen.getMetadata().getLabels();
    return has != null && has.entrySet().containsAll(labels.entrySet());
  }

  private String releasePatch(
      String resourceVersion, Map<String, String> labels, Map<String, String> annotations) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("resourceVersion", resourceVersion);
    if (!labels.isEmpty()) {
      metadata.put("labels", labels);
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    return client
        .getKubernetesSerialization()
        .asJson(
            Map.of("metadata", metadata, "spec", Map.of("release", JobRelease.Released.name())));
  }

  /** How many changes the cache has seen so far; pass it to {@link #awaitChange}. */
  public long changeCount() {
    synchronized (changes) {
      return changeCount;
    }
  }

  /** Sleeps until the cache sees a change after {@code seen}, or at most {@code max}. */
  public void awaitChange(long seen, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (changes) {
      long left;
      while (changeCount == seen && (left = deadline - System.nanoTime()) > 0) {
        changes.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private void changed() {
    synchronized (changes) {
      changeCount++;
      changes.notifyAll();
    }
  }

  private List<VideoJob> listFromServer(String requestCode) {
    try {
      var jobs = client.resources(VideoJob.class).inNamespace(namespace);
      return requestCode == null
          ? jobs.list().getItems()
          : jobs.withLabel(VideoJob.REQUEST_CODE_LABEL, VideoJob.requestCodeLabel(requestCode))
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      LOG.error("Could not list VideoJobs in {}", namespace, e);
      throw KubernetesErrors.unavailable(e, "Could not list the jobs");
    }
  }

  private static String idKey(VideoJob job) {
    return job.getSpec() == null || job.getSpec().getJobId() == null
        ? ""
        : Long.toString(job.getSpec().getJobId());
  }

  /** The jobs in the cache this version cannot read. */
  UnreadableResources<VideoJob> unreadable() {
    return unreadable;
  }

  /** Whether the cache is filled and its watch is up; what readiness is made of. */
  CacheHealth health() {
    return CacheHealth.of("VideoJob", informer);
  }

  @Override
  public void close() {
    informer.close();
  }
}
