package io.ffmpegoperator.bridge.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.store.Stores;
import io.ffmpegoperator.crds.JobRelease;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.crds.VideoOperation;
import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's window, on the embedded API server with the bridge's clock moved on: the API server sets
 * creation times itself, so a key's day-old job can only be had by letting a day pass. Every job
 * here is made now, so one made "25 h later" is itself over a day old then: only a key's first
 * window can be seen to end.
 */
class IdempotentJobsIT {
  private static final String NS = EmbeddedKubernetes.NAMESPACE;
  private static final String CREDENTIAL = "Bearer idempotent-jobs-it";

  @TempDir static Path dir;
  private static EmbeddedKubernetes kube;
  private static Stores stores;

  @BeforeAll
  static void start() {
    kube = EmbeddedKubernetes.start(dir.resolve("kube"), 0);
    stores = Stores.start(kube.client(), NS);
  }

  @AfterAll
  static void stop() {
    stores.close();
    kube.close();
  }

  @Test
  void aKeyOlderThanItsWindowMakesANewJob() {
    String code = code();
    String key = UUID.randomUUID().toString();
    var keyed = IdempotentJobs.Keyed.of(key, CREDENTIAL, "concat", Map.of("n", 1));

    long first = after(Duration.ZERO).queue(spec(code), keyed);
    assertThat(after(Duration.ofHours(23)).queue(spec(code), keyed)).isEqualTo(first);
    ApiException reused =
        catchThrowableOfType(
            ApiException.class,
            () ->
                after(Duration.ofHours(23))
                    .queue(
                        spec(code),
                        IdempotentJobs.Keyed.of(key, CREDENTIAL, "concat", Map.of("n", 2))));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(((ErrorResponse) reused.body()).detail()).contains("(job " + first + ")");
    long second = after(Duration.ofHours(25)).queue(spec(code), keyed);

    assertThat(second).isNotEqualTo(first);
    assertThat(jobsOf(code))
        .extracting(job -> job.getMetadata().getName(), job -> job.getSpec().getJobId())
        .containsExactlyInAnyOrder(
            tuple(IdempotentJobs.nameFor(keyed.keyHash(), 0), first),
            tuple(IdempotentJobs.nameFor(keyed.keyHash(), 1), second));
  }

  @Test
  void anExecutesKeyOlderThanItsWindowReleasesAfresh() {
    String code = code();
    var keyed =
        IdempotentJobs.Keyed.of(
            UUID.randomUUID().toString(), CREDENTIAL, "execute", Map.of("request_code", code));
    long first = stores.videoJobs().create(spec(code));

    assertThat(released(execution(Duration.ZERO).execute(code, false, keyed)))
        .containsExactly(first);
    long second = stores.videoJobs().create(spec(code));
    assertThat(released(execution(Duration.ofHours(23)).execute(code, false, keyed)))
        .containsExactly(first);
    assertThat(job(second).getSpec().getRelease()).isEqualTo(JobRelease.Held);
    assertThat(released(execution(Duration.ofHours(25)).execute(code, false, keyed)))
        .containsExactly(second);
    assertThat(released(execution(Duration.ofHours(26)).execute(code, false, keyed)))
        .containsExactly(second);
  }

  @Test
  void concurrentExecutesWithOneKeyReleaseEachJobOnce() throws Exception {
    String code = code();
    var keyed =
        IdempotentJobs.Keyed.of(
            UUID.randomUUID().toString(), CREDENTIAL, "execute", Map.of("request_code", code));
    List<Long> queued =
        List.of(stores.videoJobs().create(spec(code)), stores.videoJobs().create(spec(code)));
    JobExecution execution = execution(Duration.ZERO);

    var a = CompletableFuture.supplyAsync(() -> released(execution.execute(code, false, keyed)));
    var b = CompletableFuture.supplyAsync(() -> released(execution.execute(code, false, keyed)));

    // One of them releases everything; the other may answer while the first is still releasing,
    // with the jobs released so far: never a job the key did not release, never a second release.
    List<Long> first = a.get().size() >= b.get().size() ? a.get() : b.get();
    List<Long> second = first == a.get() ? b.get() : a.get();
    assertThat(first).containsExactlyElementsOf(queued);
    assertThat(queued).containsAll(second);
    assertThat(second).isNotEmpty();
    assertThat(released(execution.execute(code, false, keyed))).containsExactlyElementsOf(queued);
  }

  private static IdempotentJobs after(Duration later) {
    return new IdempotentJobs(stores.videoJobs(), Clock.offset(Clock.systemUTC(), later));
  }

  private static JobExecution execution(Duration later) {
    return new JobExecution(stores.videoJobs(), after(later), Duration.ofSeconds(5), 1);
  }

  private static List<Long> released(Response response) {
    assertThat(response.getStatus()).isEqualTo(202);
    return ((ExecuteAcceptedResponse) response.getEntity()).jobIds();
  }

  private static VideoJobSpec spec(String code) {
    VideoJobSpec spec = new VideoJobSpec();
    spec.setRequestCode(code);
    spec.setOperation(VideoOperation.Concat);
    spec.setVideoIds(List.of(1L, 2L));
    return spec;
  }

  private static String code() {
    return "idem-" + UUID.randomUUID();
  }

  private static VideoJob job(long jobId) {
    return stores.videoJobs().find(jobId).orElseThrow();
  }

  private static List<VideoJob> jobsOf(String code) {
    return kube.client().resources(VideoJob.class).inNamespace(NS).list().getItems().stream()
        .filter(job -> code.equals(job.getSpec().getRequestCode()))
        .toList();
  }
}
