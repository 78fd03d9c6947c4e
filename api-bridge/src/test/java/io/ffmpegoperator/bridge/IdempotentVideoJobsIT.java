package io.ffmpegoperator.bridge;

import static io.ffmpegoperator.bridge.VideoApiFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.bridge.VideoApiFixture.Answer;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.bridge.http.IdempotencyKeys;
import io.ffmpegoperator.crds.JobRelease;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobState;
import io.ffmpegoperator.crds.VideoJobStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Idempotency-Key} on the video library's process endpoints: a retry gets the first answer
 * and makes nothing, on this bridge or another replica; a key reused for something else is 422. No
 * operator runs here: jobs stay held unless a test releases them.
 */
class IdempotentVideoJobsIT {
  private static final String OTHER_API_KEY = "video-api-other-key-0123456789";

  @RegisterExtension
  static final VideoApiFixture fx =
      VideoApiFixture.forTestClass(
          config ->
              config
                  .withApiKeys(ApiKeys.of(VideoApiFixture.API_KEY, OTHER_API_KEY))
                  .withExecuteTimeout(Duration.ofSeconds(10)));

  private static long clip;
  private static long twin;

  @BeforeAll
  static void uploadClips() throws Exception {
    List<Long> ids =
        fx.uploadIds(
            fx.clip("clip.mp4", 1, 160, 120, 10, true), fx.clip("twin.mp4", 1, 160, 120, 10, true));
    clip = ids.get(0);
    twin = ids.get(1);
  }

  @Test
  void theSameKeyAndRequestAnswerTheFirstAnswerAndMakeOneJob() throws Exception {
    String code = code();
    String key = UUID.randomUUID().toString();
    Answer first = post(fx.bridge.uri(), "trim", trim(code, "0", "500"), key);
    // The same request spelled otherwise: the times as numbers, the fields in another order.
    Answer retry =
        post(
            fx.bridge.uri(),
            "trim",
            "{\"trim_end\": 500, \"trim_start\": 0, \"video_id\": "
                + clip
                + ", \"request_code\": \""
                + code
                + "\"}",
            key);

    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(retry.status()).as(retry.text()).isEqualTo(200);
    assertThat(retry.text()).isEqualTo(first.text());
    long jobId = first.json().get("job_id").asLong();
    assertThat(jobsOf(code)).singleElement().satisfies(job -> assertKeyedJob(job, jobId));
    // The job is found by its id like any other, though its name is the key's.
    assertThat(fx.get("video/jobs/" + jobId).json().get("state").asText()).isEqualTo("held");
  }

  @Test
  void everyProcessEndpointTakesAKey() throws Exception {
    String code = code();
    for (var request :
        List.of(
            Map.entry("concat", concat(code)),
            Map.entry("encoding", encoding(code, "640:480")),
            Map.entry("trim", trim(code, "0", "500")))) {
      String key = UUID.randomUUID().toString();
      Answer first = post(fx.bridge.uri(), request.getKey(), request.getValue(), key);
      Answer retry = post(fx.bridge.uri(), request.getKey(), request.getValue(), key);
      assertThat(first.status()).as(first.text()).isEqualTo(200);
      assertThat(retry.text()).isEqualTo(first.text());
    }
    assertThat(jobsOf(code)).hasSize(3);
  }

  @Test
  void theSameKeyWithAnotherRequestOrEndpointIs422AndMakesNothing() throws Exception {
    String code = code();
    String key = UUID.randomUUID().toString();
    long jobId = queue("encoding", encoding(code, "640:480"), key);

    Answer otherBody = post(fx.bridge.uri(), "encoding", encoding(code, "320:240"), key);
    Answer otherEndpoint = post(fx.bridge.uri(), "trim", trim(code, "0", "500"), key);
    Answer execute = post(fx.bridge.uri(), "execute?wait=false", Map.of("request_code", code), key);

    for (Answer answer : List.of(otherBody, otherEndpoint, execute)) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(422);
      assertThat(answer.detail())
          .isEqualTo(
              "Idempotency-Key was used for a different request within the last 24 h (job "
                  + jobId
                  + "); use a new key for a new request");
    }
    assertThat(jobsOf(code)).singleElement().satisfies(job -> assertKeyedJob(job, jobId));
    assertThat(jobsOf(code).get(0).getSpec().getRelease()).isEqualTo(JobRelease.Held);
  }

  @Test
  void concurrentRequestsWithOneKeyOnTwoReplicasMakeOneJob() throws Exception {
    String code = code();
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = trim(code, "0", "500");
    // A second bridge on the same API server, with caches of its own.
    try (ApiBridge other =
        ApiBridge.start(
            new BridgeConfig("127.0.0.1", 0, NS, BridgeConfig.DEFAULT_EXECUTE_TIMEOUT)
                .withApiKeys(ApiKeys.of(VideoApiFixture.API_KEY)),
            fx.client(),
            fx.storage,
            fx.ffmpeg)) {
      ExecutorService clients = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        URI bridge = i % 2 == 0 ? fx.bridge.uri() : other.uri();
        answers.add(
            clients.submit(
                () -> {
                  go.await();
                  return post(bridge, "trim", body, key);
                }));
      }
      go.countDown();
      List<String> texts = new ArrayList<>();
      for (Future<Answer> answer : answers) {
        Answer done = answer.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        texts.add(done.text());
      }
      assertThat(texts).containsOnly(texts.get(0));
      clients.shutdown();
    }
    assertThat(jobsOf(code)).hasSize(1);
  }

  @Test
  void keysAreEachApiKeysOwn() throws Exception {
    String code = code();
    String key = UUID.randomUUID().toString();
    long mine = queue("trim", trim(code, "0", "500"), key);
    Answer theirs =
        fx.send(
            request(fx.bridge.uri(), "trim", trim(code, "0", "600"), key)
                .header("Authorization", "Bearer " + OTHER_API_KEY)
                .build());

    assertThat(theirs.status()).as(theirs.text()).isEqualTo(200);
    assertThat(theirs.json().get("job_id").asLong()).isNotEqualTo(mine);
    assertThat(jobsOf(code)).hasSize(2);
  }

  @Test
  void anExecuteRetryReleasesNothingMoreAndAnswersAboutTheFirstJobs() throws Exception {
    String code = code();
    String key = UUID.randomUUID().toString();
    long first = fx.queue("video/process/trim", trim(code, "0", "500"));
    Answer released =
        post(fx.bridge.uri(), "execute?wait=false", Map.of("request_code", code), key);
    assertThat(released.status()).as(released.text()).isEqualTo(202);
    assertThat(released.json().get("job_ids").toString()).isEqualTo("[" + first + "]");

    long later = fx.queue("video/process/trim", trim(code, "0", "400"));
    Answer retry = post(fx.bridge.uri(), "execute?wait=false", Map.of("request_code", code), key);
    assertThat(retry.status()).as(retry.text()).isEqualTo(202);
    assertThat(retry.text()).isEqualTo(released.text());
    assertThat(job(later).getSpec().getRelease()).isEqualTo(JobRelease.Held);

    // A waiting retry waits for those jobs, and answers as the first would now.
    CompletableFuture<Answer> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(fx.bridge.uri(), "execute", Map.of("request_code", code), key);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().during(Duration.ofMillis(300)).until(() -> !waiting.isDone());
    succeed(first);
    Answer done = waiting.get(10, TimeUnit.SECONDS);
    assertThat(done.status()).as(done.text()).isEqualTo(200);
    assertThat(done.json().get("message").asText())
        .isEqualTo("All pending jobs for request_code " + code + " executed successfully");
    assertThat(job(later).getSpec().getRelease()).isEqualTo(JobRelease.Held);

    // The key is the execute's now: another request_code, or a queue request, may not reuse it.
    Answer otherCode =
        post(fx.bridge.uri(), "execute?wait=false", Map.of("request_code", code()), key);
    Answer queue = post(fx.bridge.uri(), "trim", trim(code, "0", "300"), key);
    for (Answer answer : List.of(otherCode, queue)) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(422);
      assertThat(answer.detail()).contains("(execute of job(s) " + first + ")");
    }
    assertThat(jobsOf(code)).hasSize(2);
  }

  @Test
  void anExecuteThatReleasedNothingIsNotRemembered() throws Exception {
    String code = code();
    String key = UUID.randomUUID().toString();
    Answer nothing = post(fx.bridge.uri(), "execute?wait=false", Map.of("request_code", code), key);
    assertThat(nothing.status()).isEqualTo(400);

    long jobId = fx.queue("video/process/trim", trim(code, "0", "500"));
    Answer retry = post(fx.bridge.uri(), "execute?wait=false", Map.of("request_code", code), key);
    assertThat(retry.status()).as(retry.text()).isEqualTo(202);
    assertThat(retry.json().get("job_ids").toString()).isEqualTo("[" + jobId + "]");
  }

  @Test
  void withoutAKeyEveryRequestMakesAJob() throws Exception {
    String code = code();
    long first = fx.queue("video/process/trim", trim(code, "0", "500"));
    long second = fx.queue("video/process/trim", trim(code, "0", "500"));
    assertThat(second).isNotEqualTo(first);
    assertThat(jobsOf(code))
        .extracting(job -> job.getMetadata().getName())
        .containsExactlyInAnyOrder(VideoJob.nameFor(first), VideoJob.nameFor(second));
  }

  @Test
  void aKeyThatIsNoKeyIs422() throws Exception {
    String code = code();
    for (String bad : List.of("x".repeat(256), "has space")) {
      Answer answer = post(fx.bridge.uri(), "trim", trim(code, "0", "500"), bad);
      assertThat(answer.status()).as(bad).isEqualTo(422);
      assertThat(answer.detail()).startsWith("Idempotency-Key must be");
    }
    assertThat(jobsOf(code)).isEmpty();
  }

  @Test
  void theApiDocumentNamesTheHeaderOnEveryProcessEndpoint() throws Exception {
    JsonNode paths = fx.get("openapi.json").json().get("paths");
    for (String endpoint : List.of("trim", "concat", "encoding", "execute")) {
      JsonNode parameters = paths.get("/video/process/" + endpoint).get("post").get("parameters");
      assertThat(parameters.findValuesAsText("name")).as(endpoint).contains("Idempotency-Key");
    }
  }

  private static void assertKeyedJob(VideoJob job, long jobId) {
    assertThat(job.getSpec().getJobId()).isEqualTo(jobId);
    assertThat(job.getMetadata().getName()).startsWith("videojob-key-").endsWith("-0");
    assertThat(job.getMetadata().getLabels())
        .containsEntry(VideoJob.JOB_ID_LABEL, Long.toString(jobId));
    assertThat(job.getMetadata().getAnnotations())
        .containsKeys(IdempotencyKeys.KEY_ANNOTATION, IdempotencyKeys.REQUEST_ANNOTATION);
  }

  private static long queue(String endpoint, Object body, String key) throws Exception {
    Answer answer = post(fx.bridge.uri(), endpoint, body, key);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json().get("job_id").asLong();
  }

  private static Answer post(URI bridge, String endpoint, Object body, String key)
      throws Exception {
    return fx.send(request(bridge, endpoint, body, key).build());
  }

  private static HttpRequest.Builder request(URI bridge, String endpoint, Object body, String key)
      throws Exception {
    return HttpRequest.newBuilder(bridge.resolve("video/process/" + endpoint))
        .header("Content-Type", "application/json")
        .header(IdempotencyKeys.HEADER, key)
        .POST(
            BodyPublishers.ofString(
                body instanceof String text
                    ? text
                    : VideoApiFixture.JSON.writeValueAsString(body)));
  }

  private static Map<String, Object> trim(String code, String start, String end) {
    return Map.of("request_code", code, "video_id", clip, "trim_start", start, "trim_end", end);
  }

  private static Map<String, Object> concat(String code) {
    return Map.of("request_code", code, "video_ids", List.of(clip, twin));
  }

  private static Map<String, Object> encoding(String code, String resolution) {
    return Map.of("request_code", code, "video_id", clip, "resolution", resolution);
  }

  /** A request code of the test's own, so tests sharing the API server do not see each other. */
  private static String code() {
    return "idem-" + UUID.randomUUID();
  }

  /** The job of this id, whatever its name. */
  private static VideoJob job(long jobId) {
    return fx.videoJobs().stream()
        .filter(job -> job.getSpec().getJobId() == jobId)
        .findFirst()
        .orElseThrow();
  }

  private static List<VideoJob> jobsOf(String requestCode) {
    return fx.videoJobs().stream()
        .filter(j -> requestCode.equals(j.getSpec().getRequestCode()))
        .toList();
  }

  /** What the operator would write. */
  private static void succeed(long jobId) {
    fx.client()
        .resource(job(jobId))
        .editStatus(
            j -> {
              j.setStatus(new VideoJobStatus());
              j.getStatus().setState(VideoJobState.Succeeded);
              return j;
            });
  }
}
