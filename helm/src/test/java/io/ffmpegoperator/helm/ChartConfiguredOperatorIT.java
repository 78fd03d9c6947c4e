package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import io.ffmpegoperator.dev.node.LocalNode;
import io.ffmpegoperator.dev.node.LocalNodeConfig;
import io.ffmpegoperator.dev.s3.EmbeddedS3;
import io.ffmpegoperator.dev.stack.EmbeddedStack;
import io.ffmpegoperator.dev.stack.LocalFfmpeg;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.operator.FfmpegOperator;
import io.ffmpegoperator.operator.OperatorConfig;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator run the way the chart runs it: its configuration is exactly the environment the
 * rendered Deployment gives its container (fieldRefs and Secret references resolved as the kubelet
 * would, from resources the chart's manifests created), against an API server holding the rendered
 * manifests, with a local node standing in for the cluster's nodes. A task then runs end to end.
 */
class ChartConfiguredOperatorIT {
  private static final String ACCESS_KEY = "chart-test";
  private static final String SECRET_KEY = "chart-test-secret";
  private static final String TASKS = "team-a";

  @TempDir Path dir;

  @Test
  void operatorConfiguredByTheChartRunsATaskEndToEnd() throws Exception {
    FfmpegBinaries ffmpeg = LocalFfmpeg.find(System.getenv());
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY);
        EmbeddedKubernetes kube = EmbeddedKubernetes.start(dir.resolve("kube"), 0)) {
      KubernetesClient client = kube.client();
      List<HasMetadata> manifests =
          ChartInstall.render(
              TASKS,
              s3.endpoint(),
              Map.of(
                  "bridge.apiKeys.existingSecret", "api-keys",
                  // The local node's worker processes cannot resolve the orders Service's
                  // cluster DNS name (WORKER_WARM_URL); a warm worker claimed for the task
                  // would never get its order. WarmWorkersTest and WorkloadsTest check that
                  // the operator reads the chart's warm settings.
                  "worker.warm.count", "0"));
      ChartInstall.install(client, manifests, TASKS, ACCESS_KEY, SECRET_KEY);

      Deployment deployment =
          Chart.ofType(manifests, Deployment.class).stream()
              .filter(d -> d.getMetadata().getName().endsWith("-operator"))
              .findFirst()
              .orElseThrow();
      Map<String, String> env =
          new HashMap<>(ChartInstall.resolve(client, Workloads.container(deployment).getEnv()));
      // The keys' Secret is a volume a kubelet would mount; this test runs no kubelet, and no
      // bridge, and the operator reads only the clients' limits there (WorkloadsTest checks it).
      assertThat(env.remove("API_KEYS_FILE")).isEqualTo("/etc/ffmpeg-operator/api-keys");
      OperatorConfig config = OperatorConfig.fromEnv(env);
      S3Storage storage = new S3Storage(S3Settings.fromEnv(env));
      storage.ensureBucket();
      Path clip = TestClips.make(ffmpeg.ffmpeg(), dir.resolve("clip.mp4"), 1, 160, 120, 10, true);
      storage.put("samples/clip.mp4", clip);

      LocalNode node =
          new LocalNode(
              client,
              TASKS,
              LocalNodeConfig.builder(dir.resolve("node"))
                  .image(config.workerImage(), EmbeddedStack.localWorkerImage(ffmpeg))
                  .build());
      node.start();
      Operator operator = FfmpegOperator.create(client, storage, config);
      operator.start();
      try {
        FfmpegTask task = new FfmpegTask();
        task.setMetadata(new ObjectMetaBuilder().withName("first").withNamespace(TASKS).build());
        task.setSpec(
            new FfmpegTaskSpec(
                "-i in_1 -vf scale=80:60 -c:v libx264 -preset ultrafast out_1",
                new HashMap<>(Map.of("in_1", "s3://media/samples/clip.mp4")),
                Map.of("out_1", "small.mp4")));
        client.resource(task).create();

        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> state(client) == TaskState.Completed || state(client) == TaskState.Failed);
        FfmpegTask done =
            client.resources(FfmpegTask.class).inNamespace(TASKS).withName("first").get();
        assertThat(done.getStatus().getState())
            .as(done.getStatus().toString())
            .isEqualTo(TaskState.Completed);
        assertThat(storage.size("ffmpeg-outputs/first/small.mp4"))
            .hasValueSatisfying(size -> assertThat(size).isPositive());
        List<Job> jobs = client.resources(Job.class).inNamespace(TASKS).list().getItems();
        assertThat(jobs)
            .singleElement()
            .satisfies(
                job ->
                    assertThat(
                            job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                        .isEqualTo(env.get("WORKER_IMAGE")));
      } finally {
        operator.stop();
        node.close();
        storage.close();
      }
    }
  }

  private static TaskState state(KubernetesClient client) {
    FfmpegTask task = client.resources(FfmpegTask.class).inNamespace(TASKS).withName("first").get();
    return task == null || task.getStatus() == null ? null : task.getStatus().getState();
  }
}
