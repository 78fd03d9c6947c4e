package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.operator.OperatorConfig.WarmWorkers;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import io.ffmpegoperator.worker.WorkerMain;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator replicas with leader election behind one order URL that balances per connection, as
 * the orders Service does: each warm worker's kept-alive connection stays with the replica it first
 * reached, the standby for some of them. Every warm worker still gets its order, and every task
 * completes. The warm workers are the real worker, run as threads; the test plays the job
 * controller (a Job completes when its worker exits 0).
 */
class WarmReplicasIT {
  private static final String NS = TestingCluster.NS;
  private static final int WARM = 4;

  @TempDir Path pods;
  @RegisterExtension final TestingCluster cluster = new TestingCluster();
  private TestingTcpProxy proxy;
  private final List<Operator> operators = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster.storage.put("samples/a.mp4", TestingFfmpeg.testVideo(1));
    int portA = freePort();
    int portB = freePort();
    proxy = new TestingTcpProxy(List.of(portA, portB));
    Leadership a = Leadership.callingOnLoss(() -> {});
    operators.add(start("operator-a", portA, a));
    await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
    Leadership b = Leadership.callingOnLoss(() -> {});
    operators.add(start("operator-b", portB, b));
    await().atMost(Duration.ofSeconds(10)).until(() -> "operator-a".equals(b.leader()));
  }

  @AfterEach
  void stop() throws Exception {
    operators.forEach(Operator::stop);
    proxy.close();
  }

  @Test
  void everyWarmWorkerGetsItsOrderWhicheverReplicaItsConnectionReached() throws Exception {
    List<Job> warm =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(this::unclaimedWarmJobs, j -> j.size() == WARM);
    FfmpegBinaries ffmpeg = TestingFfmpeg.binaries();
    List<CompletableFuture<Integer>> workers = new ArrayList<>();
    for (Job job : warm) {
      workers.add(CompletableFuture.supplyAsync(() -> runWorker(job, ffmpeg)));
    }
    // Every pod reached a replica, the standby included, and is marked as asking.
    await().atMost(Duration.ofSeconds(30)).until(() -> warm.stream().allMatch(this::asked));
    assertThat(proxy.connectionsPerBackend()).allSatisfy(n -> assertThat(n).isPositive());

    List<FfmpegTask> tasks = new ArrayList<>();
    for (int i = 0; i < WARM; i++) {
      tasks.add(newTask());
    }

    for (CompletableFuture<Integer> worker : workers) {
      assertThat(worker.get(90, TimeUnit.SECONDS)).isEqualTo(WorkerExitCodes.OK);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(tasks).extracting(t -> state(t)).containsOnly(TaskState.Completed));
    // Each ran on one of the warm workers, none on a Job of its own.
    assertThat(tasks)
        .extracting(t -> read(t).getStatus().getJobName())
        .containsExactlyInAnyOrderElementsOf(
            warm.stream().map(j -> j.getMetadata().getName()).toList());
  }

  /** A warm worker pod: its env as the Job has it, its token as its Secret mounts it. */
  private int runWorker(Job job, FfmpegBinaries ffmpeg) {
    try {
      String name = job.getMetadata().getName();
      Path pod = Files.createDirectories(pods.resolve(name));
      Path token = Files.writeString(pod.resolve("token"), cluster.warmToken(job));
      Path work = Files.createDirectories(pod.resolve("work"));
      int code =
          WorkerMain.run(
              Map.of(
                  WarmWorkerProtocol.ORDER_URL_ENV,
                  WorkerJobFactory.env(job, WarmWorkerProtocol.ORDER_URL_ENV),
                  WarmWorkerProtocol.TOKEN_FILE_ENV,
                  token.toString(),
                  WorkerMain.WORK_DIR,
                  work.toString(),
                  FfmpegBinaries.FFMPEG_PATH,
                  ffmpeg.ffmpeg().toString(),
                  FfmpegBinaries.FFPROBE_PATH,
                  ffmpeg.ffprobe().toString()));
      // The job controller marks the Job as the pod ended.
      Job fresh = cluster.jobs(NS).withName(name).get();
      fresh.setStatus(
          new JobStatusBuilder()
              .withStartTime(fresh.getMetadata().getCreationTimestamp())
              .withSucceeded(code == 0 ? 1 : null)
              .withFailed(code == 0 ? null : 1)
              .addToConditions(
                  new JobConditionBuilder()
                      .withType(code == 0 ? "Complete" : "Failed")
                      .withStatus("True")
                      .build())
              .build());
      cluster.jobs(NS).resource(fresh).updateStatus();
      return code;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Operator start(String identity, int port, Leadership leadership) {
    OperatorConfig config =
        TestingCluster.config()
            .withInputAddresses(AddressPolicy.allowing("127.0.0.0/8"))
            .withLeaderElection(NS, identity)
            .withWarm(
                new WarmWorkers(
                    WARM, Set.of(), port, "http://127.0.0.1:" + proxy.port(), Duration.ofHours(1)));
    return cluster.startOperator(config, cluster.storage, new OperatorMetrics(), leadership);
  }

  private FfmpegTask newTask() {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder().withName(UUID.randomUUID().toString()).withNamespace(NS).build());
    task.setSpec(
        new FfmpegTaskSpec(
            "-i in_1 -t 1 -c copy out_1",
            Map.of("in_1", "s3://" + TestingCluster.BUCKET + "/samples/a.mp4"),
            Map.of("out_1", "out.mp4")));
    return cluster.client.resource(task).create();
  }

  private FfmpegTask read(FfmpegTask task) {
    return cluster.resources(FfmpegTask.class, NS).withName(task.getMetadata().getName()).get();
  }

  private TaskState state(FfmpegTask task) {
    FfmpegTask now = read(task);
    return now.getStatus() == null ? null : now.getStatus().getState();
  }

  private List<Job> unclaimedWarmJobs() {
    return cluster.unclaimedWarmJobs(NS);
  }

  private boolean asked(Job job) {
    Job now = cluster.jobs(NS).withName(job.getMetadata().getName()).get();
    return now.getMetadata().getAnnotations().containsKey(WarmJobs.ASKED_AT_ANNOTATION);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
