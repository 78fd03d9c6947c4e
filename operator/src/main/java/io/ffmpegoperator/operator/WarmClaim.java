package io.ffmpegoperator.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an unclaimed warm worker Job into a task's Job: the one place that does. The claim is a
 * JSON merge patch that gives the Job the task as its controller owner, the task's instance label,
 * the annotations {@value WarmJobs#TASK_ANNOTATION} and {@value WarmJobs#CLAIMED_AT_ANNOTATION},
 * and a deadline of the task's timeout from now. It carries the resourceVersion it read, so two
 * claims of one Job cannot both succeed, whichever process makes them. From then on the Job is
 * watched, observed and garbage-collected like any task's Job.
 *
 * <p>No lock is held across API calls: claims in one process run side by side, each reserving its
 * candidate in memory while it tries it, so two of them never try the same Job.
 */
final class WarmClaim {
  private static final Logger LOG = LoggerFactory.getLogger(WarmClaim.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> namespaces;
  private final KubernetesClient client;
  private final Clock clock;

  /** The Jobs being tried by a claim of this process, by key, with the task trying each. */
  private final Map<String, String> reserved = new ConcurrentHashMap<>();

  WarmClaim(Set<String> namespaces, KubernetesClient client, Clock clock) {
    this.namespaces = Set.copyOf(namespaces);
    this.client = client;
    this.clock = clock;
  }

  /**
   * Makes a claimable warm Job of the task's namespace the task's Job, and tells {@code jobs} of
   * it; empty when there is none to claim (the task then gets a Job of its own).
   */
  Optional<Job> claim(FfmpegTask task, Duration timeout, JobEvents jobs) {
    String namespace = task.getMetadata().getNamespace();
    if (!namespaces.contains(namespace)) {
      return Optional.empty();
    }
    for (Job candidate : candidates(jobs.list(namespace, WarmJobs::isClaimable))) {
      String key = WarmJobs.key(candidate);
      if (reserved.putIfAbsent(key, task.getMetadata().getName()) != null) {
        continue; // another claim of this process is trying it
      }
      try {
        Optional<Job> claimed = tryClaim(candidate, task, timeout);
        if (claimed.isPresent()) {
          jobs.written(candidate, claimed.get());
          LOG.info("Task {} claimed warm worker Job {}", task.getMetadata().getName(), key);
          return claimed;
        }
      } finally {
        reserved.remove(key);
      }
    }
    return Optional.empty();
  }

  /** Claimable Jobs, the oldest first: its pod has waited longest. */
  static List<Job> candidates(Stream<Job> claimable) {
    return claimable
        .sorted(
            Comparator.comparing((Job job) -> job.getMetadata().getCreationTimestamp())
                .thenComparing(job -> job.getMetadata().getName()))
        .toList();
  }

  /**
   * Claims {@code job} as the watch showed it; on a conflict (it changed since: its pod was marked
   * as asking, or another replica claimed it) reads it once more and tries again if it is still
   * claimable. Empty when it is gone or no longer claimable.
   */
  private Optional<Job> tryClaim(Job job, FfmpegTask task, Duration timeout) {
    try {
      return Optional.of(patch(job, task, timeout));
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    Job fresh = client.resource(job).get();
    if (fresh == null || !WarmJobs.isClaimable(fresh)) {
      return Optional.empty();
    }
    try {
      return Optional.of(patch(fresh, task, timeout));
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND
          || e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Job patch(Job job, FfmpegTask task, Duration timeout) {
    return WarmJobs.mergePatch(client, job, claimPatch(job, task, timeout, clock.instant()));
  }

  /**
   * What a claim changes, as a JSON merge patch. Its resourceVersion makes the API server refuse it
   * (409) if the Job changed since it was read. The Job's deadline counts from its start: its idle
   * time so far plus the task's timeout.
   */
  static String claimPatch(Job job, FfmpegTask task, Duration timeout, Instant now) {
    Instant created = parseTime(job.getMetadata().getCreationTimestamp()).orElse(now);
    long deadline = Duration.between(created, now).toSeconds() + timeout.toSeconds() + 1;
    String taskName = task.getMetadata().getName();
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode metadata = patch.putObject("metadata");
    metadata.put("resourceVersion", job.getMetadata().getResourceVersion());
    ObjectNode labels = metadata.putObject("labels");
    labels.put(CrdConstants.LABEL_INSTANCE, JobNames.labelValue(taskName));
    WorkerJobFactory.parentOf(task).ifPresent(p -> labels.put(CrdConstants.LABEL_PARENT, p));
    metadata
        .putObject("annotations")
        .put(WarmJobs.TASK_ANNOTATION, taskName)
        .put(WarmJobs.CLAIMED_AT_ANNOTATION, now.truncatedTo(ChronoUnit.SECONDS).toString());
    metadata
        .putArray("ownerReferences")
        .add(JSON.valueToTree(WorkerJobFactory.ownerReference(task)));
    patch.putObject("spec").put("activeDeadlineSeconds", deadline);
    return patch.toString();
  }

  private static Optional<Instant> parseTime(String rfc3339) {
    try {
      return Optional.ofNullable(rfc3339).map(t -> OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
