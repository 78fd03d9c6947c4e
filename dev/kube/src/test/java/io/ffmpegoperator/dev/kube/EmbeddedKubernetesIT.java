package io.ffmpegoperator.dev.kube;

import static io.ffmpegoperator.dev.kube.TestingTasks.job;
import static io.ffmpegoperator.dev.kube.TestingTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKubernetesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TASKS = "/apis/media.ffmpeg-operator.io/v1alpha1";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();

  @Test
  void statusIsASubresourceAndGenerationFollowsTheSpec() {
    var tasks = kube.client().resources(FfmpegTask.class);
    FfmpegTask sent = task("t1");
    sent.setStatus(TestingTasks.status(TaskState.Completed, 100));
    FfmpegTask created = tasks.resource(sent).create();
    assertThat(created.getStatus()).as("status ignored on create").isNull();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    created.setStatus(TestingTasks.status(TaskState.Running, 40));
    FfmpegTask afterStatus = tasks.resource(created).updateStatus();
    assertThat(afterStatus.getStatus().getProgress()).isEqualTo(40);
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);

    FfmpegTask patch = tasks.withName("t1").get();
    patch.getStatus().setProgress(60);
    assertThat(tasks.resource(patch).patchStatus().getStatus().getProgress()).isEqualTo(60);

    FfmpegTask edited =
        tasks
            .withName("t1")
            .edit(
                t -> {
                  t.getSpec().setCommand("-i in_1 -an out_1");
                  t.getStatus().setState(TaskState.Failed);
                  return t;
                });
    assertThat(edited.getMetadata().getGeneration()).as("spec changed").isEqualTo(2L);
    assertThat(edited.getStatus().getState()).as("status kept").isEqualTo(TaskState.Running);

    FfmpegTask labelled =
        tasks
            .withName("t1")
            .edit(
                t -> {
                  t.getMetadata().setLabels(Map.of("a", "b"));
                  return t;
                });
    assertThat(labelled.getMetadata().getGeneration()).as("metadata only").isEqualTo(2L);
  }

  @Test
  void jobAndPodStatusGoThroughTheStatusSubresource() {
    KubernetesClient client = kube.client();
    Job job = client.batch().v1().jobs().resource(job("j1", null)).create();
    job.setStatus(
        new JobStatusBuilder().withActive(1).withStartTime("2024-01-01T00:00:00Z").build());
    assertThat(client.batch().v1().jobs().resource(job).updateStatus().getStatus().getActive())
        .isEqualTo(1);
    Job current = client.batch().v1().jobs().withName("j1").get();
    current.getStatus().setSucceeded(1);
    client.batch().v1().jobs().resource(current).patchStatus();

    Job labelled =
        client
            .batch()
            .v1()
            .jobs()
            .withName("j1")
            .edit(
                j -> {
                  j.getMetadata().setLabels(Map.of("x", "y"));
                  j.setStatus(null);
                  return j;
                });
    assertThat(labelled.getStatus().getSucceeded()).as("main update keeps status").isEqualTo(1);

    Pod pod = client.pods().resource(pod("p1", null)).create();
    pod.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    client.pods().resource(pod).updateStatus();
    assertThat(client.pods().withName("p1").get().getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void everythingSurvivesARestart() throws Exception {
    var before = kube.client().resources(FfmpegTask.class);
    FfmpegTask task = before.resource(task("keep")).create();
    task.setStatus(TestingTasks.status(TaskState.Running, 30));
    task = before.resource(task).updateStatus();
    Job job = kube.client().batch().v1().jobs().resource(job("keep-job", ownerOf(task))).create();
    before.resource(task("gone")).create();
    before.withName("gone").delete();
    assertThat(before.withName("gone").get()).isNull();

    kube.restart();
    var tasks = kube.client().resources(FfmpegTask.class);

    FfmpegTask restored = tasks.withName("keep").get();
    assertThat(restored.getMetadata().getUid()).isEqualTo(task.getMetadata().getUid());
    assertThat(restored.getMetadata().getResourceVersion())
        .isEqualTo(task.getMetadata().getResourceVersion());
    assertThat(restored.getMetadata().getCreationTimestamp())
        .isEqualTo(task.getMetadata().getCreationTimestamp());
    assertThat(restored.getSpec().getCommand()).isEqualTo(task.getSpec().getCommand());
    assertThat(restored.getStatus().getState()).isEqualTo(TaskState.Running);
    assertThat(restored.getStatus().getProgress()).isEqualTo(30);
    Job restoredJob = kube.client().batch().v1().jobs().withName("keep-job").get();
    assertThat(restoredJob.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getUid)
        .containsExactly(task.getMetadata().getUid());
    assertThat(restoredJob.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid());

    FfmpegTask fresh = tasks.resource(task("fresh")).create();
    assertThat(fresh.getMetadata().getUid())
        .isNotIn(task.getMetadata().getUid(), job.getMetadata().getUid());
    assertThat(Long.parseLong(fresh.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(job.getMetadata().getResourceVersion()));

    List<String> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<FfmpegTask> informer =
        tasks.inNamespace("default").inform(new Recorder<>(seen));
    try {
      await().until(() -> seen.contains("add keep") && seen.contains("add fresh"));
      restored.getStatus().setProgress(90);
      tasks.resource(restored).patchStatus();
      await().until(() -> seen.contains("update keep 90"));
    } finally {
      informer.close();
    }
  }

  @Test
  void discoveryAnswersAsKubectlExpects() throws Exception {
    for (String query : List.of("", "?timeout=32s")) {
      assertThat(kube.get("/version" + query).path("major").asText()).isEqualTo("1");
      assertThat(kube.get("/api" + query).path("versions").toString()).contains("v1");
      JsonNode groups = kube.get("/apis" + query).path("groups");
      assertThat(groups.findValuesAsText("name"))
          .contains(
              "batch", "coordination.k8s.io", "apiextensions.k8s.io", "media.ffmpeg-operator.io");
      assertThat(kube.get("/api/v1" + query).path("resources").findValuesAsText("name"))
          .contains("pods", "pods/status", "events", "namespaces");
      assertThat(kube.get("/apis/batch/v1" + query).path("resources").findValuesAsText("name"))
          .contains("jobs", "jobs/status");
      assertThat(kube.get("/apis/coordination.k8s.io/v1" + query).path("resources").toString())
          .contains("leases");

      JsonNode resources = kube.get(TASKS + query).path("resources");
      JsonNode fft = resources.get(0);
      assertThat(fft.path("name").asText()).isEqualTo("ffmpegtasks");
      assertThat(fft.path("singularName").asText()).isEqualTo("ffmpegtask");
      assertThat(fft.path("kind").asText()).isEqualTo("FfmpegTask");
      assertThat(fft.path("namespaced").asBoolean()).isTrue();
      assertThat(fft.path("shortNames").toString()).contains("fft");
      assertThat(fft.path("verbs").toString()).contains("list", "watch", "create", "delete");
      assertThat(resources.findValuesAsText("name")).contains("ffmpegtasks/status");
    }
    // OpenAPI is served (OpenApiIT says what kubectl reads from it).
    assertThat(kube.status("/openapi/v2?timeout=32s")).isEqualTo(200);
    assertThat(kube.status("/openapi/v3")).isEqualTo(200);
    assertThat(kube.status("/apis/unknown.example.com/v1")).isEqualTo(404);
  }

  @Test
  void kubectlGetGetsATable() throws Exception {
    var tasks = kube.client().resources(FfmpegTask.class);
    FfmpegTask task = tasks.resource(task("shown")).create();
    task.setStatus(TestingTasks.status(TaskState.Running, 42));
    tasks.resource(task).updateStatus();

    JsonNode table =
        kube.get(
            TASKS + "/namespaces/default/ffmpegtasks?limit=500",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "State", "Progress", "Reason", "Age");
    JsonNode row = table.path("rows").get(0);
    assertThat(row.path("cells").get(0).asText()).isEqualTo("shown");
    assertThat(row.path("cells").get(1).asText()).isEqualTo("Running");
    assertThat(row.path("cells").get(2).asInt()).isEqualTo(42);
    assertThat(row.path("cells").get(4).asText()).matches("\\d+s");
    assertThat(row.path("object").path("metadata").path("name").asText()).isEqualTo("shown");

    JsonNode one =
        kube.get(
            TASKS + "/namespaces/default/ffmpegtasks/shown",
            "application/json;as=Table;v=v1;g=meta.k8s.io");
    assertThat(one.path("rows")).hasSize(1);
    assertThat(kube.get(TASKS + "/namespaces/default/ffmpegtasks").path("kind").asText())
        .isEqualTo("FfmpegTaskList");
  }

  @Test
  void eventsCanBeSelectedByInvolvedObject() throws Exception {
    KubernetesClient client = kube.client();
    FfmpegTask task = client.resources(FfmpegTask.class).resource(task("watched")).create();
    for (String name : List.of("watched", "other")) {
      client
          .v1()
          .events()
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name + ".1")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("FfmpegTask")
                  .withName(name)
                  .withNamespace("default")
                  .withUid(name.equals("watched") ? task.getMetadata().getUid() : "x")
                  .endInvolvedObject()
                  .withReason("JobCreated")
                  .withType("Normal")
                  .build())
          .create();
    }
    String selector =
        "involvedObject.name=watched,involvedObject.namespace=default,"
            + "involvedObject.kind=FfmpegTask,involvedObject.uid="
            + task.getMetadata().getUid();
    JsonNode events =
        kube.get(
            "/api/v1/namespaces/default/events?fieldSelector="
                + java.net.URLEncoder.encode(selector, java.nio.charset.StandardCharsets.UTF_8)
                + "&limit=500");
    assertThat(events.path("kind").asText()).isEqualTo("EventList");
    assertThat(events.path("items")).hasSize(1);
    assertThat(events.path("items").get(0).path("metadata").path("name").asText())
        .isEqualTo("watched.1");
    assertThat(client.v1().events().withField("involvedObject.name", "other").list().getItems())
        .extracting(e -> e.getMetadata().getName())
        .containsExactly("other.1");
  }

  @Test
  void deletingAnOwnerDeletesItsDependents() {
    KubernetesClient client = kube.client();
    FfmpegTask task = client.resources(FfmpegTask.class).resource(task("owner")).create();
    Job job = client.batch().v1().jobs().resource(job("owner-job", ownerOf(task))).create();
    client.pods().resource(pod("owner-job-pod", ownerOf(job))).create();
    client.pods().resource(pod("bystander", null)).create();

    client.resources(FfmpegTask.class).withName("owner").delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(client.batch().v1().jobs().withName("owner-job").get()).isNull();
              assertThat(client.pods().withName("owner-job-pod").get()).isNull();
            });
    assertThat(client.pods().withName("bystander").get()).isNotNull();
  }

  @Test
  void deletingManyOwnersAtOnceDeletesEveryDependentDownTheCascade() {
    KubernetesClient client = kube.client();
    int owners = 30;
    for (int i = 0; i < owners; i++) {
      FfmpegTask task = client.resources(FfmpegTask.class).resource(task("many-" + i)).create();
      Job job =
          client.batch().v1().jobs().resource(job("many-" + i + "-job", ownerOf(task))).create();
      client.pods().resource(pod("many-" + i + "-pod", ownerOf(job))).create();
    }
    client.pods().resource(pod("bystander", null)).create();

    // Removals arrive while passes run: each pass takes all those queued since the last one.
    client.resources(FfmpegTask.class).delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.batch().v1().jobs().list().getItems()).isEmpty();
              assertThat(client.pods().list().getItems())
                  .extracting(p -> p.getMetadata().getName())
                  .containsExactly("bystander");
            });
  }

  @Test
  void writesAKubeconfigForKubectl() throws Exception {
    String kubeconfig = Files.readString(kube.kubeconfig());
    assertThat(kube.kubeconfig()).isEqualTo(kube.stateDir().resolve("kubeconfig"));
    assertThat(kubeconfig)
        .contains("server: " + kube.url())
        .contains("current-context: ffmpeg-operator-local")
        .contains("namespace: default")
        .contains("token: ");
    assertThat(kube.client().namespaces().withName("default").get()).isNotNull();
  }

  private static OwnerReference ownerOf(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .build();
  }

  private static Pod pod(String name, OwnerReference owner) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withOwnerReferences(owner == null ? new ArrayList<>() : List.of(owner))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("worker")
        .withImage("worker")
        .endContainer()
        .endSpec()
        .build();
  }

  /** Records informer events as "add name", "update name progress". */
  private record Recorder<T extends FfmpegTask>(List<String> seen)
      implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T task) {
      seen.add("add " + task.getMetadata().getName());
    }

    @Override
    public void onUpdate(T old, T task) {
      seen.add("update " + task.getMetadata().getName() + " " + task.getStatus().getProgress());
    }

    @Override
    public void onDelete(T task, boolean unknown) {
      seen.add("delete " + task.getMetadata().getName());
    }
  }
}
