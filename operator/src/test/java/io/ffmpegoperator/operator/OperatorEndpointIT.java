package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's /metrics, /healthz and /readyz over HTTP, while tasks run on a CRUD API. */
class OperatorEndpointIT {
  private static final String NS = TestingCluster.NS;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final TestingCluster cluster = new TestingCluster();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsTellHowTasksWaitedRanAndEnded() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    Leadership leadership = Leadership.callingOnLoss(() -> {});
    Operator operator =
        cluster.startOperator(TestingCluster.config(), cluster.storage, metrics, leadership);
    try (OperatorHttpServer endpoint = OperatorHttpServer.start(0, operator, metrics, leadership)) {
      FfmpegTask done = newTask();
      Job doneJob = awaitJob(done);
      String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      setJobStatus(doneJob, new JobStatusBuilder().withStartTime(started).withActive(1));
      awaitState(done, TaskState.Running);
      cluster.storage.putText(StorageKeys.taskOutput(name(done), "out.mp4"), "0123456789");
      setJobStatus(doneJob, finished(started, "Complete", null));
      awaitState(done, TaskState.Completed);

      FfmpegTask failed = newTask();
      Job failedJob = awaitJob(failed);
      setJobStatus(failedJob, new JobStatusBuilder().withStartTime(started).withActive(1));
      awaitState(failed, TaskState.Running);
      setJobStatus(failedJob, finished(started, "Failed", "BackoffLimitExceeded"));
      awaitState(failed, TaskState.Failed);

      FfmpegTask waiting = newTask();
      awaitJob(waiting);

      HttpResponse<String> response = get(endpoint, "/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      // The gauge reads the operator's cache, which may be a moment behind the API server.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                PrometheusText m = PrometheusText.parse(get(endpoint, "/metrics").body());
                assertThat(m.sum("ffmpeg_tasks", "state", "Completed")).isEqualTo(1);
                assertThat(m.sum("ffmpeg_tasks", "state", "Failed")).isEqualTo(1);
                assertThat(m.sum("ffmpeg_tasks", "state", "Pending")).isEqualTo(1);
                assertThat(m.sum("ffmpeg_tasks", "state", "Running")).isZero();
              });
      PrometheusText m = PrometheusText.parse(get(endpoint, "/metrics").body());
      // Once per task: each ran once, however often it was reconciled.
      assertThat(m.sum("ffmpeg_task_duration_seconds_count", "state", "Completed")).isEqualTo(1);
      assertThat(m.sum("ffmpeg_task_duration_seconds_count", "state", "Failed")).isEqualTo(1);
      assertThat(m.samples("ffmpeg_task_duration_seconds_bucket", "state", "Completed"))
          .extracting(s -> s.labels().get("le"))
          .contains("5.0", "3600.0", "+Inf");
      assertThat(m.sum("ffmpeg_task_queue_seconds_count")).isEqualTo(2);
      assertThat(m.samples("ffmpeg_task_queue_seconds_bucket")).isNotEmpty();
      assertThat(m.sum("ffmpeg_operator_leader")).isEqualTo(1);
      // JOSDK's own reconcile metrics, per resource kind, not per resource.
      assertThat(m.sum("operator_sdk_reconciliations_started_total", "kind", "FfmpegTask"))
          .isGreaterThanOrEqualTo(5);
      assertThat(m.sum("operator_sdk_reconciliations_success_total", "kind", "FfmpegTask"))
          .isGreaterThanOrEqualTo(5);
      assertThat(m.samples("operator_sdk_reconciliations_started_total"))
          .allSatisfy(s -> assertThat(s.labels()).doesNotContainKey("name"));
      assertThat(
              m.sum(
                  "operator_sdk_controllers_execution_reconcile_seconds_count",
                  "controller",
                  "ffmpegtask"))
          .isGreaterThanOrEqualTo(5);
      assertThat(m.sum("operator_sdk_reconciliations_failed_total")).isZero();
    } finally {
      operator.stop();
    }
  }

  @Test
  void reconcileErrorsAreCounted() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    // Jobs are made without S3 (links are signed offline); reading a running task's report is not.
    try (S3Storage unreachable =
        new S3Storage(
            new S3Settings(
                TestingCluster.BUCKET,
                "us-east-1",
                URI.create("http://127.0.0.1:9"),
                "test-id",
                "test-secret"))) {
      Operator operator =
          cluster.startOperator(
              TestingCluster.config(), unreachable, metrics, Leadership.callingOnLoss(() -> {}));
      try {
        FfmpegTask task = newTask();
        Job job = awaitJob(task);
        setJobStatus(job, new JobStatusBuilder().withStartTime(now()).withActive(1));
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  PrometheusText m = PrometheusText.parse(metrics.scrape());
                  assertThat(
                          m.sum("operator_sdk_reconciliations_failed_total", "kind", "FfmpegTask"))
                      .isGreaterThanOrEqualTo(1);
                  assertThat(
                          m.sum(
                              "operator_sdk_controllers_execution_reconcile_failure_total",
                              "controller",
                              "ffmpegtask"))
                      .isGreaterThanOrEqualTo(1);
                });
      } finally {
        operator.stop();
      }
    }
  }

  @Test
  void probesFollowTheOperatorsLife() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    Leadership leadership = Leadership.callingOnLoss(() -> {});
    Operator operator =
        FfmpegOperator.create(
            cluster.client, cluster.storage, TestingCluster.config(), metrics, leadership);
    try (OperatorHttpServer endpoint = OperatorHttpServer.start(0, operator, metrics, leadership)) {
      assertThat(get(endpoint, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> starting = get(endpoint, "/readyz");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(json(starting)).containsEntry("status", "not started");

      operator.start();
      HttpResponse<String> health = get(endpoint, "/healthz");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      HttpResponse<String> ready = get(endpoint, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(json(ready)).containsEntry("status", "ok").containsEntry("leader", true);

      assertThat(send(endpoint, "/readyz", "POST").statusCode()).isEqualTo(405);
      assertThat(send(endpoint, "/healthz", "HEAD").statusCode()).isEqualTo(200);
      assertThat(get(endpoint, "/nothing").statusCode()).isEqualTo(404);
      assertThat(get(endpoint, "/metricsx").statusCode()).isEqualTo(404);

      // The API server goes away: the informers stop watching, and both probes say so.
      cluster.server.destroy();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                HttpResponse<String> sick = get(endpoint, "/healthz");
                assertThat(sick.statusCode()).isEqualTo(503);
                assertThat(json(sick))
                    .containsEntry("status", "unhealthy")
                    .extractingByKey("detail")
                    .asString()
                    .contains("ffmpegtask/");
                assertThat(get(endpoint, "/readyz").statusCode()).isEqualTo(503);
              });
    } finally {
      operator.stop();
    }
  }

  private HttpResponse<String> get(OperatorHttpServer endpoint, String path) throws Exception {
    return send(endpoint, path, "GET");
  }

  private HttpResponse<String> send(OperatorHttpServer endpoint, String path, String method)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
    return JSON.readValue(response.body(), Map.class);
  }

  private FfmpegTask newTask() {
    return cluster.newTask(NS);
  }

  private static String name(FfmpegTask task) {
    return task.getMetadata().getName();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private List<Job> jobsOf(FfmpegTask task) {
    return cluster.jobs(NS).list().getItems().stream()
        .filter(j -> j.getMetadata().getOwnerReferences().get(0).getName().equals(name(task)))
        .toList();
  }

  private Job awaitJob(FfmpegTask task) {
    await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf(task).size() == 1);
    return jobsOf(task).get(0);
  }

  private void awaitState(FfmpegTask task, TaskState state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              FfmpegTask read = cluster.resources(FfmpegTask.class, NS).withName(name(task)).get();
              return read.getStatus() != null && read.getStatus().getState() == state;
            });
  }

  private void setJobStatus(Job job, JobStatusBuilder status) {
    Job fresh = cluster.jobs(NS).withName(job.getMetadata().getName()).get();
    fresh.setStatus(status.build());
    cluster.jobs(NS).resource(fresh).updateStatus();
  }

  private static JobStatusBuilder finished(String started, String type, String reason) {
    return new JobStatusBuilder()
        .withStartTime(started)
        .withActive(0)
        .addToConditions(
            new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).build());
  }
}
