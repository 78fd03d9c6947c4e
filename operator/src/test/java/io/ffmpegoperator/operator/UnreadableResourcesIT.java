package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.dev.metrics.PrometheusText;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stored resources this version cannot read (written by hand with {@code kubectl apply
 * --validate=false}, or by a newer version) are skipped and reported; they never stop the operator,
 * before its start or after.
 */
class UnreadableResourcesIT {
  private static final String NS = TestingCluster.NS;
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @RegisterExtension static final TestingCluster cluster = new TestingCluster();

  /** Stores a resource exactly as written, as {@code kubectl apply --validate=false} would. */
  private static void store(String kind, String name, String spec) {
    String yaml =
        "apiVersion: media.ffmpeg-operator.io/v1alpha1\n"
            + "kind: "
            + kind
            + "\nmetadata: {name: "
            + name
            + ", namespace: "
            + NS
            + "}\nspec: "
            + spec
            + "\n";
    cluster.client.resource(JSON.unmarshal(yaml, GenericKubernetesResource.class)).create();
  }

  private static List<Event> warnings(String name) {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(name))
        .filter(e -> e.getReason().equals(UnreadableResources.REASON))
        .toList();
  }

  private static List<Job> jobsOf(String task) {
    return cluster.jobs(NS).list().getItems().stream()
        .filter(j -> j.getMetadata().getOwnerReferences().get(0).getName().equals(task))
        .toList();
  }

  @Test
  void brokenResourcesAreSkippedAndReportedWhileTheRestRuns() {
    // Stored before the operator starts: its first list of each kind holds them.
    store(
        "FfmpegTask",
        "inputs-a-string",
        "{command: '-i in_1 out_1', inputs: 'http://h/a.mp4'," + " outputs: {out_1: o.mp4}}");
    store(
        "FfmpegTask",
        "from-a-newer-version",
        "{command: '-i in_1 -c copy out_1', inputs:"
            + " {in_1: 's3://platform/a.mp4'}, outputs: {out_1: o.mp4}, resources: {limits: {cpu: 4}}}");
    store("VideoJob", "videojob-77", "{jobId: 77, operation: Trim, videoIds: 'all'}");
    OperatorMetrics metrics = new OperatorMetrics();
    Operator operator =
        cluster.startOperator(
            TestingCluster.config(), cluster.storage, metrics, Leadership.callingOnLoss(() -> {}));
    try {
      // A field this version does not know is ignored: that task runs like any other.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> jobsOf("from-a-newer-version").size() == 1);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(warnings("inputs-a-string"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage())
                              .contains("spec.inputs: expected an object, got a string")
                              .contains("fix or delete it");
                        });
                assertThat(warnings("videojob-77"))
                    .singleElement()
                    .satisfies(
                        e ->
                            assertThat(e.getMessage())
                                .contains("spec.videoIds: expected an array, got a string"));
              });
      assertThat(jobsOf("inputs-a-string")).isEmpty();
      // Nothing was written to the broken ones: their stored form is theirs to fix.
      GenericKubernetesResource stored =
          cluster
              .client
              .genericKubernetesResources("media.ffmpeg-operator.io/v1alpha1", "FfmpegTask")
              .inNamespace(NS)
              .withName("inputs-a-string")
              .get();
      assertThat(stored.getAdditionalProperties()).doesNotContainKey("status");

      // One stored while it runs reaches it by watch, and is skipped the same way.
      store("FfmpegTask", "outputs-a-list", "{command: '-i in_1 out_1', outputs: [o.mp4]}");
      await().atMost(Duration.ofSeconds(20)).until(() -> warnings("outputs-a-list").size() == 1);
      FfmpegTask after = cluster.newTask(NS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> jobsOf(after.getMetadata().getName()).size() == 1);
      assertThat(operator.getRuntimeInfo().allEventSourcesAreHealthy()).isTrue();

      PrometheusText scraped = PrometheusText.parse(metrics.scrape());
      assertThat(scraped.sum("ffmpeg_resources_unreadable", "kind", "FfmpegTask")).isEqualTo(2);
      assertThat(scraped.sum("ffmpeg_resources_unreadable", "kind", "VideoJob")).isEqualTo(1);
    } finally {
      operator.stop();
    }
  }
}
