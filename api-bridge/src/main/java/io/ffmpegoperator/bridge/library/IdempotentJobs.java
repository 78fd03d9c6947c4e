package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.IdempotencyKeys;
import io.ffmpegoperator.bridge.store.VideoJobStore;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * {@code Idempotency-Key} on the process endpoints, kept with the VideoJobs as the design wants it,
 * so every replica and a restarted bridge see it.
 *
 * <p>A job queued with a key is named after the key (and how many earlier windows the key had): of
 * two requests with one key, on any replicas, the API server lets one create that name and the
 * other finds the job, so the job and its key are made in one write and nothing is half made. The
 * job id is drawn before the name is tried; one drawn for a request that then finds the name taken
 * stays unused, as ids need only be unique. An execute with a key marks the jobs it releases with
 * the key; a retry answers about those jobs and releases nothing more.
 */
final class IdempotentJobs {
  /** On the jobs an execute with a key released: the first 40 hex digits of the key's hash. */
  static final String EXECUTE_KEY_LABEL = CrdConstants.GROUP + "/execute-idempotency-key";

  /** On the jobs an execute with a key released: the hash of that execute's request. */
  static final String EXECUTE_REQUEST_ANNOTATION = CrdConstants.GROUP + "/execute-request-sha256";

  /** On the jobs an execute with a key released: when, where the key's window starts. */
  static final String EXECUTED_AT_ANNOTATION = CrdConstants.GROUP + "/executed-at";

  private final VideoJobStore jobs;
  private final Clock clock;

  IdempotentJobs(VideoJobStore jobs, Clock clock) {
    this.jobs = jobs;
    this.clock = clock;
  }

  /** A request that came with a key: the key's hash and the request's. */
  record Keyed(String keyHash, String requestHash) {
    /**
     * The keyed request, or null without a key.
     *
     * @param endpoint the path below /video/process: the same body to another endpoint is another
     *     request under the same key
     * @throws io.ffmpegoperator.bridge.http.ApiException 422 for a key that is no key
     */
    static Keyed of(String key, String credential, String endpoint, Object request) {
      return key == null
          ? null
          : new Keyed(
              IdempotencyKeys.keyHash(key, credential),
              IdempotencyKeys.requestHash(endpoint, request));
    }
  }

  /**
   * Queues a held job of {@code spec}; with a key, the job the key made within the window if there
   * is one, else a new one made for the key.
   *
   * @return the job id
   * @throws io.ffmpegoperator.bridge.http.ApiException 422 when the key was used for another
   *     request
   */
  long queue(VideoJobSpec spec, Keyed keyed) {
    if (keyed == null) {
      return jobs.create(spec);
    }
    Instant now = clock.instant();
    for (int window = 0; ; window++) {
      String name = nameFor(keyed.keyHash(), window);
      Optional<VideoJob> first = jobs.findNamed(name);
      while (first.isEmpty()) {
        refuseIfExecuted(keyed, now);
        OptionalLong made =
            jobs.createNamed(
                name,
                spec,
                Map.of(
                    IdempotencyKeys.KEY_ANNOTATION,
                    keyed.keyHash(),
                    IdempotencyKeys.REQUEST_ANNOTATION,
                    keyed.requestHash()));
        if (made.isPresent()) {
          return made.getAsLong();
        }
        // A request with the same key made it a moment ago, perhaps on another replica.
        first = jobs.findNamed(name);
      }
      if (IdempotencyKeys.holds(createdAt(first.get()), now)) {
        return sameRequest(first.get(), keyed);
      }
      // The key's job of this window is older than the window: the key starts afresh.
    }
  }

  /**
   * The jobs an execute with this key released within the window; empty when there was none.
   *
   * @throws io.ffmpegoperator.bridge.http.ApiException 422 when the key was used for another
   *     request
   */
  Optional<List<Long>> released(Keyed keyed) {
    Instant now = clock.instant();
    queuedWith(keyed, now)
        .ifPresent(
            job -> {
              throw IdempotencyKeys.reused("job " + job.getSpec().getJobId());
            });
    List<VideoJob> earlier = releasedWith(keyed, now);
    if (earlier.isEmpty()) {
      return Optional.empty();
    }
    if (!earlier.stream()
        .allMatch(job -> keyed.requestHash().equals(annotation(job, EXECUTE_REQUEST_ANNOTATION)))) {
      throw IdempotencyKeys.reused("execute of job(s) " + ids(earlier));
    }
    return Optional.of(jobIds(earlier));
  }

  /**
   * The ids of the jobs released with this key within the window, by this request or a concurrent
   * one with the same key; ordered by job id.
   */
  List<Long> releasedNow(Keyed keyed) {
    return jobIds(releasedWith(keyed, clock.instant()));
  }

  /** What an execute with this key (or none: null) puts on each job it releases. */
  Map<String, String> releaseLabels(Keyed keyed) {
    return keyed == null ? Map.of() : Map.of(EXECUTE_KEY_LABEL, label(keyed.keyHash()));
  }

  /** ... and the annotations it puts there. */
  Map<String, String> releaseAnnotations(Keyed keyed) {
    return keyed == null
        ? Map.of()
        : Map.of(
            EXECUTE_REQUEST_ANNOTATION,
            keyed.requestHash(),
            EXECUTED_AT_ANNOTATION,
            clock.instant().toString());
  }

  /**
   * The name of the job a key makes in its {@code window}-th window: 0 at first, 1 once that job is
   * older than a window, and so on, so that every window's first request wins a name of its own.
   */
  static String nameFor(String keyHash, int window) {
    return "videojob-key-" + label(keyHash) + "-" + window;
  }

  private long sameRequest(VideoJob first, Keyed keyed) {
    if (!keyed.requestHash().equals(annotation(first, IdempotencyKeys.REQUEST_ANNOTATION))) {
      throw IdempotencyKeys.reused("job " + first.getSpec().getJobId());
    }
    return first.getSpec().getJobId();
  }

  /** An execute cannot reuse the key of a job queued within the window, nor the other way. */
  private void refuseIfExecuted(Keyed keyed, Instant now) {
    List<VideoJob> released = releasedWith(keyed, now);
    if (!released.isEmpty()) {
      throw IdempotencyKeys.reused("execute of job(s) " + ids(released));
    }
  }

  private Optional<VideoJob> queuedWith(Keyed keyed, Instant now) {
    for (int window = 0; ; window++) {
      Optional<VideoJob> job = jobs.findNamed(nameFor(keyed.keyHash(), window));
      if (job.isEmpty() || IdempotencyKeys.holds(createdAt(job.get()), now)) {
        return job;
      }
    }
  }

  private List<VideoJob> releasedWith(Keyed keyed, Instant now) {
    return jobs.labelled(EXECUTE_KEY_LABEL, label(keyed.keyHash())).stream()
        .filter(job -> releasedWithin(job, now))
        .toList();
  }

  private static boolean releasedWithin(VideoJob job, Instant now) {
    String at = annotation(job, EXECUTED_AT_ANNOTATION);
    try {
      return at != null && IdempotencyKeys.holds(Instant.parse(at), now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Instant createdAt(VideoJob job) {
    String created = job.getMetadata().getCreationTimestamp();
    return created == null ? Instant.now() : Instant.parse(created);
  }

  private static String annotation(VideoJob job, String name) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  /** A label value holds at most 63 characters; 160 bits of the hash tell keys apart. */
  private static String label(String keyHash) {
    return keyHash.substring(0, 40);
  }

  private static List<Long> jobIds(List<VideoJob> jobs) {
    return jobs.stream().map(job -> job.getSpec().getJobId()).toList();
  }

  private static String ids(List<VideoJob> jobs) {
    return jobs.stream()
        .map(job -> String.valueOf(job.getSpec().getJobId()))
        .collect(Collectors.joining(", "));
  }
}
