package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two operators with leader election on one CRUD API: one reconciles, the other stands by. */
class LeaderElectionIT {
  private static final String NS = TestingCluster.NS;

  @RegisterExtension final TestingCluster cluster = new TestingCluster();
  private final HttpClient http = HttpClient.newHttpClient();

  /** One replica: its operator, meters, leadership, and how often it lost the Lease. */
  private record Replica(
      String identity,
      Operator operator,
      OperatorMetrics metrics,
      Leadership leadership,
      AtomicInteger losses) {}

  private Replica start(String identity) {
    OperatorMetrics metrics = new OperatorMetrics();
    AtomicInteger losses = new AtomicInteger();
    Leadership leadership = Leadership.callingOnLoss(losses::incrementAndGet);
    Operator operator =
        cluster.startOperator(
            TestingCluster.config().withLeaderElection(NS, identity),
            cluster.storage,
            metrics,
            leadership);
    return new Replica(identity, operator, metrics, leadership, losses);
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndAStandbyTakesOver() throws Exception {
    Replica a = start("operator-a");
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> a.leadership().isLeader());
      assertThat(holder()).isEqualTo("operator-a");

      Replica b = start("operator-b");
      try (OperatorHttpServer standbyEndpoint =
          OperatorHttpServer.start(0, b.operator(), b.metrics(), b.leadership())) {
        // A standby is healthy and ready, and says it is not the leader.
        HttpResponse<String> ready = get(standbyEndpoint, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ok\",\"leader\":false}");
        // Its first look at the Lease runs in the background, right after start.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> "operator-a".equals(b.leadership().leader()));

        FfmpegTask first = newTask();
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf(first).size() == 1);
        // Give a wrongly active standby time to act before looking at what it did.
        Thread.sleep(1500);
        assertThat(jobsOf(first)).hasSize(1);
        assertThat(cluster.eventReasons(first)).containsOnlyOnce("JobCreated");
        assertThat(reconciliations(a)).isPositive();
        assertThat(reconciliations(b)).isZero();
        assertThat(b.leadership().isLeader()).isFalse();
        assertThat(gauge(b, "ffmpeg_operator_leader")).isZero();
        assertThat(holder()).isEqualTo("operator-a");

        // The leader stops cleanly and hands the Lease back: the standby takes over at its next
        // try rather than after the Lease's 15 s.
        a.operator().stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.leadership().isLeader());
        assertThat(holder()).isEqualTo("operator-b");
        assertThat(a.losses()).hasValue(0);
        assertThat(gauge(b, "ffmpeg_operator_leader")).isEqualTo(1);

        FfmpegTask second = newTask();
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf(second).size() == 1);
        assertThat(reconciliations(b)).isPositive();
        assertThat(jobsOf(first)).hasSize(1);
      } finally {
        b.operator().stop();
      }
      assertThat(b.losses()).hasValue(0);
    } finally {
      a.operator().stop();
    }
  }

  private String holder() {
    Lease lease = cluster.resources(Lease.class, NS).withName(OperatorConfig.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static double reconciliations(Replica replica) {
    return PrometheusText.parse(replica.metrics().scrape())
        .sum("operator_sdk_reconciliations_started_total", "kind", "FfmpegTask");
  }

  private static double gauge(Replica replica, String name) {
    return PrometheusText.parse(replica.metrics().scrape()).sum(name);
  }

  private HttpResponse<String> get(OperatorHttpServer endpoint, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private FfmpegTask newTask() {
    return cluster.newTask(NS);
  }

  private List<Job> jobsOf(FfmpegTask task) {
    return cluster.jobs(NS).list().getItems().stream()
        .filter(
            j ->
                j.getMetadata()
                    .getOwnerReferences()
                    .get(0)
                    .getName()
                    .equals(task.getMetadata().getName()))
        .toList();
  }
}
