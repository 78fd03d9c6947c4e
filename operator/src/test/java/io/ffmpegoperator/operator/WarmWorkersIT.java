package io.ffmpegoperator.operator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkReport;
import io.ffmpegoperator.storage.StorageKeys;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warm workers against a Kubernetes API in CRUD mode and a real S3: the pool, the claim and the
 * order endpoint of one operator together. The test plays the warm pod: it asks the order endpoint
 * with the URL the operator put in the Job and the token of the Job's Secret, as the worker does
 * (the worker's side is tested in the worker module and end to end in the embedded stack; two
 * replicas in {@link WarmReplicasIT}).
 */
class WarmWorkersIT {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension static final TestingCluster cluster = new TestingCluster();
  private String ns;
  private int port;
  private Operator operator;

  /** Each test has a namespace of its own, so no warm Job of another test is in its way. */
  @BeforeEach
  void startOperator() {
    ns = "warm-" + NAMESPACES.incrementAndGet();
    port = freePort();
    operator = start(1);
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  private Operator start(int warmWorkers) {
    OperatorConfig config =
        OperatorConfig.defaults()
            .withNamespaces(Set.of(ns))
            // Long, so a status change within it comes from an event, not from looking again.
            .withProgressInterval(Duration.ofMinutes(1))
            .withWarm(WarmWorkers.local(warmWorkers, port));
    return cluster.startOperator(
        config, cluster.storage, new OperatorMetrics(), Leadership.exitingOnLoss());
  }

  @Test
  void aTaskTakesTheWaitingWarmWorkerAndANewOneIsStarted() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    var container = warm.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain(WorkOrder.ENV)
        .contains(WarmWorkerProtocol.TOKEN_FILE_ENV);
    // The token is in the Job's own Secret only, which goes with the Job; the Job keeps its hash.
    assertThat(container.getEnv()).extracting(EnvVar::getValue).doesNotContain(token(warm));
    assertThat(cluster.warmTokenSecret(warm).getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(warm.getMetadata().getUid()));
    assertThat(warm.getMetadata().getAnnotations()).doesNotContainValue(token(warm));
    assertThat(orderUrl(warm))
        .endsWith(WarmWorkerProtocol.orderPath(ns, warm.getMetadata().getName()));
    assertThat(warm.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(warm.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(CrdConstants.LABEL_COMPONENT, "worker");

    Pod pod = startPod(warm);
    CompletableFuture<HttpResponse<String>> asking = ask(warm, token(warm));
    // The endpoint holds the request while no task needs the worker, and marks the Job as asked.
    awaitAsked(warm);
    assertThat(asking).isNotDone();

    FfmpegTask task = newTask();
    HttpResponse<String> answer = asking.get();
    assertThat(answer.statusCode()).isEqualTo(200);
    WorkOrder order = JSON.readValue(answer.body(), WorkOrder.class);
    assertThat(order.taskId()).isEqualTo(name(task));
    assertThat(order.args()).contains("-c:v", "libx264");
    assertThat(order.outputs())
        .singleElement()
        .satisfies(o -> assertThat(o.uploadUrl()).isNotBlank());

    Job claimed = job(warm.getMetadata().getName());
    assertThat(claimed.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getName()).isEqualTo(name(task));
              assertThat(owner.getUid()).isEqualTo(task.getMetadata().getUid());
              assertThat(owner.getController()).isTrue();
            });
    assertThat(claimed.getMetadata().getLabels())
        .containsEntry(CrdConstants.LABEL_INSTANCE, name(task));
    // Its pod is found by the task's label, like the pod of a task's own Job.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> podsLabelled(name(task)), pods -> pods.contains(pod.getMetadata().getName()));
    // The task's default timeout of an hour, counted from now rather than the Job's start.
    assertThat(claimed.getSpec().getActiveDeadlineSeconds()).isBetween(3600L, 3700L);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus() != null && read(task).getStatus().getJobName() != null);
    assertThat(read(task).getStatus().getJobName()).isEqualTo(warm.getMetadata().getName());
    // Events are written in the background, after the status they go with.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(cluster.eventReasons(task))
                    .contains(TaskJobs.REASON_WARM_WORKER_CLAIMED)
                    .doesNotContain("JobCreated"));
    // No second Job for the task, and a fresh warm worker for the next one.
    assertThat(cluster.jobs(ns).list().getItems())
        .filteredOn(j -> j.getMetadata().getName().equals("fft-" + name(task)))
        .isEmpty();
    Job next = awaitUnclaimedWarmJob();
    assertThat(next.getMetadata().getName()).isNotEqualTo(warm.getMetadata().getName());

    // From here the claimed Job is the task's Job like any other.
    cluster.storage.putText(StorageKeys.taskOutput(name(task), "out.mp4"), "0123456789");
    setJobStatus(
        claimed.getMetadata().getName(),
        new JobStatusBuilder()
            .withStartTime("2026-01-01T00:00:00Z")
            .withActive(0)
            .addToConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build()));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Completed);
    // The run started when the task claimed the worker, not when the warm Job started.
    assertThat(read(task).getStatus().getStartTime())
        .isEqualTo(
            job(warm.getMetadata().getName())
                .getMetadata()
                .getAnnotations()
                .get(WarmJobs.CLAIMED_AT_ANNOTATION));
  }

  @Test
  void aWorkerSayingItsRunIsOverCompletesTheTaskBeforeItsPodExits() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    assertThat(done(warm, token(warm)).statusCode()).isEqualTo(409);
    FfmpegTask task = runningTaskOn(warm);

    // Its outputs and final report are stored; then it says so.
    cluster.storage.putText(StorageKeys.taskOutput(name(task), "out.mp4"), "0123456789");
    cluster.storage.putText(
        StorageKeys.taskReport(ns, name(task)), JSON.writeValueAsString(succeeded(null)));
    assertThat(done(warm, "not-the-token").statusCode()).isEqualTo(401);
    assertThat(done(warm, token(warm)).statusCode()).isEqualTo(204);
    // Well within the minute between two looks at a running task's report.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(task).getStatus().getState() == TaskState.Completed);
    assertThat(read(task).getStatus().getOutputs())
        .singleElement()
        .satisfies(o -> assertThat(o.getSize()).isEqualTo(10L));
  }

  @Test
  void aReportHandedOverWithTheEndOfTheRunIsTakenWithoutReadingS3() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    FfmpegTask task = runningTaskOn(warm);
    // The output is stored; the report only travels with the request, none is in S3.
    cluster.storage.putText(StorageKeys.taskOutput(name(task), "out.mp4"), "0123456789");
    MediaInfo media = new MediaInfo();
    media.setVideoCodec("h264");
    byte[] report = JSON.writeValueAsBytes(succeeded(media));

    // A body that is no report is not used: the task is looked at, finds no report, runs on.
    assertThat(done(warm, token(warm), "not a report".getBytes(UTF_8)).statusCode()).isEqualTo(204);
    Thread.sleep(500);
    assertThat(read(task).getStatus().getState()).isEqualTo(TaskState.Running);

    assertThat(done(warm, token(warm), report).statusCode()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> read(task).getStatus().getState() == TaskState.Completed);
    // The media info only the handed-over report holds.
    assertThat(read(task).getStatus().getOutputs())
        .singleElement()
        .satisfies(o -> assertThat(o.getMedia().getVideoCodec()).isEqualTo("h264"));
  }

  @Test
  void theEndpointAnswersOnlyAJobsOwnToken() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    assertThat(ask(warm, "not-the-token").get().statusCode()).isEqualTo(401);
    assertThat(ask(warm, null).get().statusCode()).isEqualTo(401);
    HttpResponse<String> unknown =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(orderUrl(warm).replace("/jobs/", "/jobs/x")))
                .header("Authorization", "Bearer " + token(warm))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("detail").asText()).contains("no warm worker");
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(orderUrl(warm)))
                .header("Authorization", "Bearer " + token(warm))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aWarmJobWhosePodNeverReachedTheOperatorIsNotClaimed() {
    Job warm = awaitUnclaimedWarmJob();
    // No pod has asked: it may be unable to reach the operator, so the task gets a Job of its own.
    FfmpegTask task = newTask();
    await().atMost(Duration.ofSeconds(20)).until(() -> job("fft-" + name(task)) != null);
    assertThat(WarmJobs.taskOf(job(warm.getMetadata().getName()))).isNull();
    assertThat(job(warm.getMetadata().getName()).getMetadata().getAnnotations())
        .doesNotContainKey(WarmJobs.ASKED_AT_ANNOTATION);
  }

  @Test
  void aTaskWithResourcesOfItsOwnGetsAJobOfItsOwnWhileAWarmWorkerWaits() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    CompletableFuture<HttpResponse<String>> asking = askAndAwaitAsked(warm);

    FfmpegTask sized =
        cluster.newTask(ns, new TaskResources(Map.of("cpu", "1"), Map.of("memory", "4Gi")));
    Job own =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> job("fft-" + name(sized)), j -> j != null);
    var resources = own.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests().get("cpu")).hasToString("1");
    assertThat(resources.getLimits().get("memory")).hasToString("4Gi");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> read(sized).getStatus() != null && read(sized).getStatus().getJobName() != null);
    assertThat(read(sized).getStatus().getJobName()).isEqualTo("fft-" + name(sized));
    // The waiting pod, of the default size, is still waiting for a task that fits it.
    assertThat(WarmJobs.taskOf(job(warm.getMetadata().getName()))).isNull();
    assertThat(asking).isNotDone();

    FfmpegTask plain = newTask();
    HttpResponse<String> answer = asking.get(20, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readValue(answer.body(), WorkOrder.class).taskId()).isEqualTo(name(plain));
  }

  @Test
  void aFinishedUnclaimedWarmJobIsReplaced() {
    Job warm = awaitUnclaimedWarmJob();
    idlePastItsDeadline(warm);
    await().atMost(Duration.ofSeconds(20)).until(() -> job(warm.getMetadata().getName()) == null);
    assertThat(awaitUnclaimedWarmJob().getMetadata().getName())
        .isNotEqualTo(warm.getMetadata().getName());
  }

  @Test
  void aRestartedOperatorKeepsTheWarmJobsAndTheClaimsItFinds() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    FfmpegTask task = taskHandedTo(warm);
    Job spare = awaitUnclaimedWarmJob();

    operator.stop();
    operator = start(1);
    // The new operator makes no warm Job of its own: it finds the one there is.
    Thread.sleep(1000);
    assertThat(unclaimedWarmJobs())
        .extracting(j -> j.getMetadata().getName())
        .containsExactly(spare.getMetadata().getName());
    // The claimed Job's pod, asking again (say it was retried), gets the same task's order.
    HttpResponse<String> again =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> ask(warm, token(warm)).get(), r -> r.statusCode() == 200);
    assertThat(JSON.readValue(again.body(), WorkOrder.class).taskId()).isEqualTo(name(task));
  }

  @Test
  void aClaimLeavingTwoPodsWaitingIsReplacedWhenItsJobFinishes() throws Exception {
    List<Job> pool = threeWaitingWarmWorkers();
    Job claimed = awaitClaim(pool, newTask());
    // Two spares wait: no pod is started beside the task's run, nor as its completion is written.
    assertUnclaimedWarmJobsStay(2);
    assertThat(done(claimed, token(claimed)).statusCode()).isEqualTo(204);
    assertUnclaimedWarmJobsStay(2);

    // Its pod exited (had it failed, the same).
    setJobStatus(
        claimed.getMetadata().getName(),
        new JobStatusBuilder()
            .withActive(0)
            .addToConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build()));
    awaitUnclaimedWarmJobs(3);
  }

  @Test
  void aHeldRequestIsAnsweredGoneWhenItsJobGoes() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    CompletableFuture<HttpResponse<String>> asking = askAndAwaitAsked(warm);
    // Idle past its deadline: the pool deletes it, and the pod waiting in it exits.
    idlePastItsDeadline(warm);
    assertThat(asking.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(410);
  }

  @Test
  void aPodWhoseTaskIsGoneGetsNoOrder() throws Exception {
    Job warm = awaitUnclaimedWarmJob();
    FfmpegTask task = taskHandedTo(warm);

    cluster.client.resource(read(task)).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> read(task) == null);
    // Asked again (its pod was retried, say): the task it was claimed for needs no worker now
    // (410), or its Job went with the task, stopped by the task's finalizer (404).
    assertThat(ask(warm, token(warm)).get().statusCode()).isIn(404, 410);
  }

  @Test
  void aRetriedPodOfAClaimedJobGetsTheTasksLabelToo() throws Exception {
    List<Job> pool = threeWaitingWarmWorkers();
    FfmpegTask task = newTask();
    Job claimed = awaitClaim(pool, task);
    // The job controller starts another pod from the Job's template, which says "warm".
    Pod retried = startPod(claimed);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> podsLabelled(name(task)), pods -> pods.contains(retried.getMetadata().getName()));
  }

  @Test
  void aClaimLeavingFewerThanTwoWaitingStartsEveryReplacementAtOnce() throws Exception {
    List<Job> pool = threeWaitingWarmWorkers();
    Job first = awaitClaim(pool, newTask());
    assertUnclaimedWarmJobsStay(2);
    // A second task while the first still runs leaves one waiting: both replacements start.
    Job second = awaitClaim(pool, newTask());
    assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
    awaitUnclaimedWarmJobs(3);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * A new task that claimed {@code warm}, whose pod (played here) has its order and runs: its Job
   * is active, as the job controller writes it.
   */
  private FfmpegTask runningTaskOn(Job warm) throws Exception {
    FfmpegTask task = taskHandedTo(warm);
    setJobStatus(
        warm.getMetadata().getName(),
        new JobStatusBuilder().withStartTime("2026-01-01T00:00:00Z").withActive(1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> read(task).getStatus().getState() == TaskState.Running);
    return task;
  }

  /**
   * A new task, handed as its order (200) to {@code warm}'s pod, played here, which asked for one
   * before the task existed.
   */
  private FfmpegTask taskHandedTo(Job warm) throws Exception {
    CompletableFuture<HttpResponse<String>> asking = askAndAwaitAsked(warm);
    FfmpegTask task = newTask();
    assertThat(asking.get().statusCode()).isEqualTo(200);
    return task;
  }

  /** {@code warm}'s pod, played here, asks for its order: the request, once the Job is marked. */
  private CompletableFuture<HttpResponse<String>> askAndAwaitAsked(Job warm) {
    CompletableFuture<HttpResponse<String>> asking = ask(warm, token(warm));
    awaitAsked(warm);
    return asking;
  }

  /** The final report of a run that stored its one output, {@code out_1}, of 10 bytes. */
  private static WorkReport succeeded(MediaInfo media) {
    return new WorkReport(
        WorkReport.Phase.Succeeded,
        100,
        List.of(new WorkReport.OutputSize("out_1", 10, media)),
        null,
        null);
  }

  /** Restarts the operator with a pool of three and plays their three pods, all asking. */
  private List<Job> threeWaitingWarmWorkers() throws InterruptedException {
    // The first operator's warm Job is whole (Job and Secret) before it stops.
    cluster.warmTokenSecret(awaitUnclaimedWarmJob());
    operator.stop();
    operator = start(3);
    awaitUnclaimedWarmJobs(3);
    List<Job> pool = unclaimedWarmJobs();
    pool.forEach(job -> ask(job, token(job)));
    pool.forEach(this::awaitAsked);
    return pool;
  }

  /** The Job of {@code pool} that {@code task} claimed, once the claim is written. */
  private Job awaitClaim(List<Job> pool, FfmpegTask task) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                pool.stream()
                    .map(j -> job(j.getMetadata().getName()))
                    .filter(j -> name(task).equals(WarmJobs.taskOf(j)))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** A port kept across an operator restart, as a Service would be. */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FfmpegTask newTask() {
    return cluster.newTask(ns);
  }

  private FfmpegTask read(FfmpegTask task) {
    return cluster.resources(FfmpegTask.class, ns).withName(name(task)).get();
  }

  private static String name(FfmpegTask task) {
    return task.getMetadata().getName();
  }

  private Job job(String name) {
    return cluster.jobs(ns).withName(name).get();
  }

  private List<Job> unclaimedWarmJobs() {
    return cluster.unclaimedWarmJobs(ns);
  }

  /** Waits until the namespace has exactly {@code count} unclaimed warm Jobs. */
  private void awaitUnclaimedWarmJobs(int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> unclaimedWarmJobs().size() == count);
  }

  /** Checks that the namespace has {@code count} unclaimed warm Jobs, and still a second later. */
  private void assertUnclaimedWarmJobsStay(int count) {
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> unclaimedWarmJobs().size() == count);
  }

  /** Waits until the namespace has exactly one unclaimed warm Job (the configured count). */
  private Job awaitUnclaimedWarmJob() {
    awaitUnclaimedWarmJobs(1);
    return unclaimedWarmJobs().get(0);
  }

  /** The job controller ends an unclaimed Job at its deadline: Failed, DeadlineExceeded. */
  private void idlePastItsDeadline(Job warm) {
    setJobStatus(
        warm.getMetadata().getName(),
        new JobStatusBuilder()
            .withActive(0)
            .addToConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("DeadlineExceeded")
                    .build()));
  }

  private void setJobStatus(String name, JobStatusBuilder status) {
    Job fresh = job(name);
    fresh.setStatus(status.build());
    cluster.jobs(ns).resource(fresh).updateStatus();
  }

  private static String env(Job job, String name) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow();
  }

  private static String orderUrl(Job job) {
    return env(job, WarmWorkerProtocol.ORDER_URL_ENV);
  }

  /** The pod's token, as its mounted Secret gives it. */
  private String token(Job job) {
    return cluster.warmToken(job);
  }

  /** Waits until the Job carries the mark of a pod that reached the order endpoint. */
  private void awaitAsked(Job job) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> job(job.getMetadata().getName()).getMetadata().getAnnotations(),
            annotations -> annotations.containsKey(WarmJobs.ASKED_AT_ANNOTATION));
  }

  /**
   * A pod of {@code job} as the job controller makes it: the template's labels, the Job as owner.
   */
  private Pod startPod(Job job) {
    Job current = job(job.getMetadata().getName());
    return cluster
        .client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(
                    job.getMetadata().getName()
                        + "-"
                        + UUID.randomUUID().toString().substring(0, 5))
                .withLabels(current.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("job-name", job.getMetadata().getName())
                .addNewOwnerReference()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(current.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withSpec(current.getSpec().getTemplate().getSpec())
                .build())
        .create();
  }

  /** The names of the pods {@code kubectl get pods -l app.kubernetes.io/instance=<task>} lists. */
  private List<String> podsLabelled(String instance) {
    return cluster
        .client
        .pods()
        .inNamespace(ns)
        .withLabel(CrdConstants.LABEL_INSTANCE, instance)
        .list()
        .getItems()
        .stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  /** The end of a run as a worker from before reports were handed over tells it: no body. */
  private static HttpResponse<String> done(Job job, String token) throws Exception {
    return done(job, token, new byte[0]);
  }

  private static HttpResponse<String> done(Job job, String token, byte[] report) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(WarmWorkerProtocol.doneUrl(orderUrl(job))))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(report))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> ask(Job job, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orderUrl(job)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
