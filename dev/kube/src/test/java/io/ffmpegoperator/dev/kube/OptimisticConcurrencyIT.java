package io.ffmpegoperator.dev.kube;

import static io.ffmpegoperator.dev.kube.TestingTasks.status;
import static io.ffmpegoperator.dev.kube.TestingTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskState;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writes based on an old resourceVersion fail with 409, as on a real API server. */
class OptimisticConcurrencyIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps/";
  private static final String TASKS =
      "/apis/media.ffmpeg-operator.io/v1alpha1/namespaces/default/ffmpegtasks/";
  private static final String MODIFIED =
      "the object has been modified; please apply your changes to the latest version and try"
          + " again";

  @RegisterExtension final TestingApiServer kube = new TestingApiServer();

  @Test
  void concurrentReadModifyWritesOfACounterLoseNoIncrement() throws Exception {
    int threads = 8;
    int iterations = 25;
    configMaps().resource(configMap("counter", "0")).create();
    AtomicInteger conflicts = new AtomicInteger();
    Set<Integer> written = ConcurrentHashMap.newKeySet();
    // The first increment of every thread reads before any of them writes: 7 of the 8 writes are
    // then stale, so conflicts happen however the threads are scheduled afterwards.
    CyclicBarrier allHaveRead = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < iterations; i++) {
                    int value = increment("counter", i == 0 ? allHaveRead : null, conflicts);
                    assertThat(written.add(value)).as("value %d written twice", value).isTrue();
                  }
                  return null;
                }));
      }
      for (Future<?> future : running) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int total = threads * iterations;
    assertThat(configMaps().withName("counter").get().getData()).containsEntry("n", "" + total);
    assertThat(written)
        .isEqualTo(IntStream.rangeClosed(1, total).boxed().collect(Collectors.toSet()));
    System.out.printf("%d increments, %d conflicts (409) retried%n", total, conflicts.get());
    assertThat(conflicts.get()).isGreaterThanOrEqualTo(threads - 1);
  }

  /** get, +1, update; again on 409. Returns the value written. */
  private int increment(String name, CyclicBarrier meet, AtomicInteger conflicts) throws Exception {
    while (true) {
      ConfigMap counter = configMaps().withName(name).get();
      int next = Integer.parseInt(counter.getData().get("n")) + 1;
      counter.getData().put("n", Integer.toString(next));
      if (meet != null) {
        meet.await(30, TimeUnit.SECONDS);
        meet = null;
      }
      try {
        configMaps().resource(counter).update();
        return next;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
        conflicts.incrementAndGet();
      }
    }
  }

  @Test
  void aPutBasedOnAnOldVersionGetsConflict() throws Exception {
    ConfigMap first = configMaps().resource(configMap("stale", "1")).create();
    ConfigMap second = configMaps().resource(configMap(first, "2")).update();
    assertThat(second.getMetadata().getResourceVersion())
        .isNotEqualTo(first.getMetadata().getResourceVersion());

    ConfigMap stale = configMap(first, "3");
    Status refused =
        refused(
            () -> configMaps().resource(stale).update(),
            "Conflict",
            "Operation cannot be fulfilled on configmaps \"stale\": " + MODIFIED);
    assertThat(refused.getDetails().getKind()).isEqualTo("configmaps");
    assertThat(refused.getDetails().getName()).isEqualTo("stale");
    assertThat(configMaps().withName("stale").get().getData()).containsEntry("n", "2");

    HttpResponse<String> raw = kube.send("PUT", CONFIG_MAPS + "stale", JSON_TYPE, json(stale));
    assertThat(raw.statusCode()).isEqualTo(409);
    JsonNode status = JSON.readTree(raw.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("Conflict");
    assertThat(status.path("code").asInt()).isEqualTo(409);
  }

  @Test
  void aPutWithoutVersionIsUnconditionalForConfigMapsAndRefusedForCustomResources()
      throws Exception {
    ConfigMap created = configMaps().resource(configMap("free", "1")).create();
    ConfigMap unversioned = configMap(created, "2");
    unversioned.getMetadata().setResourceVersion(null);
    assertThat(kube.send("PUT", CONFIG_MAPS + "free", JSON_TYPE, json(unversioned)).statusCode())
        .isEqualTo(200);
    assertThat(configMaps().withName("free").get().getData()).containsEntry("n", "2");

    FfmpegTask task = tasks().resource(task("strict")).create();
    task.getMetadata().setResourceVersion(null);
    task.getSpec().setCommand("-i in_1 -an out_1");
    HttpResponse<String> refused = kube.send("PUT", TASKS + "strict", JSON_TYPE, json(task));
    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode status = JSON.readTree(refused.body());
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "ffmpegtasks.media.ffmpeg-operator.io \"strict\" is invalid: metadata.resourceVersion:"
                + " Invalid value: 0x0: must be specified for an update");
    assertThat(status.path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("metadata.resourceVersion");

    // The fabric8 client fills in the latest version itself when the object has none.
    assertThat(tasks().resource(task).update().getSpec().getCommand())
        .isEqualTo("-i in_1 -an out_1");
  }

  @Test
  void aStatusPutBasedOnAnOldVersionGetsConflict() {
    FfmpegTask created = tasks().resource(task("status")).create();
    created.setStatus(status(TaskState.Running, 10));
    FfmpegTask written = tasks().resource(created).updateStatus();
    assertThat(written.getMetadata().getResourceVersion())
        .isNotEqualTo(created.getMetadata().getResourceVersion());

    created.setStatus(status(TaskState.Failed, 20));
    Status refused =
        refused(
            () -> tasks().resource(created).updateStatus(),
            "Conflict",
            "Operation cannot be fulfilled on ffmpegtasks.media.ffmpeg-operator.io \"status\": "
                + MODIFIED);
    assertThat(refused.getDetails().getGroup()).isEqualTo("media.ffmpeg-operator.io");
    assertThat(tasks().withName("status").get().getStatus().getState())
        .isEqualTo(TaskState.Running);

    // Built-in kinds with a status subresource too: the local node writes Job status this way.
    var jobs = kube.client().batch().v1().jobs();
    Job job = jobs.resource(TestingTasks.job("j", null)).create();
    job.setStatus(new JobStatusBuilder().withActive(1).build());
    jobs.resource(job).updateStatus();
    job.setStatus(new JobStatusBuilder().withFailed(1).build());
    assertThatThrownBy(() -> jobs.resource(job).updateStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getStatus().getMessage())
                    .startsWith("Operation cannot be fulfilled on jobs.batch \"j\""));
    assertThat(jobs.withName("j").get().getStatus().getActive()).isEqualTo(1);
  }

  @Test
  void patchesNamingAnOldVersionGetConflict() throws Exception {
    ConfigMap first = configMaps().resource(configMap("patched", "1")).create();
    String v1 = first.getMetadata().getResourceVersion();
    String v2 =
        configMaps().resource(configMap(first, "2")).update().getMetadata().getResourceVersion();
    String merge = "application/merge-patch+json";

    HttpResponse<String> stale =
        kube.send("PATCH", CONFIG_MAPS + "patched", merge, mergePatch(v1, "3"));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(stale.body()).path("reason").asText()).isEqualTo("Conflict");
    assertThat(
            kube.send(
                    "PATCH",
                    CONFIG_MAPS + "patched",
                    "application/json-patch+json",
                    jsonPatch(v1, "3"))
                .statusCode())
        .isEqualTo(409);
    // kubectl's strategic merge patch is a merge patch here, checked the same way.
    assertThat(
            kube.send(
                    "PATCH",
                    CONFIG_MAPS + "patched",
                    "application/strategic-merge-patch+json",
                    mergePatch(v1, "3"))
                .statusCode())
        .isEqualTo(409);
    assertThat(configMaps().withName("patched").get().getData()).containsEntry("n", "2");

    HttpResponse<String> current =
        kube.send("PATCH", CONFIG_MAPS + "patched", merge, mergePatch(v2, "4"));
    assertThat(current.statusCode()).as(current.body()).isLessThan(300);
    String v3 = JSON.readTree(current.body()).path("metadata").path("resourceVersion").asText();
    assertThat(v3).isNotEqualTo(v2);
    assertThat(
            kube.send(
                    "PATCH",
                    CONFIG_MAPS + "patched",
                    "application/json-patch+json",
                    jsonPatch(v3, "5"))
                .statusCode())
        .isLessThan(300);
    // Without a version (or with null, which removes it) a patch is unconditional.
    assertThat(
            kube.send("PATCH", CONFIG_MAPS + "patched", merge, "{\"data\":{\"n\":\"6\"}}")
                .statusCode())
        .isLessThan(300);
    assertThat(
            kube.send(
                    "PATCH",
                    CONFIG_MAPS + "patched",
                    merge,
                    "{\"metadata\":{\"resourceVersion\":null},\"data\":{\"n\":\"7\"}}")
                .statusCode())
        .isLessThan(300);
    assertThat(configMaps().withName("patched").get().getData()).containsEntry("n", "7");

    FfmpegTask task = tasks().resource(task("patched")).create();
    task.setStatus(status(TaskState.Running, 10));
    tasks().resource(task).patchStatus();
    task.setStatus(status(TaskState.Running, 20));
    assertThatThrownBy(() -> tasks().resource(task).patchStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> assertThat(e.getStatus().getReason()).isEqualTo("Conflict"));
    String statusPatch =
        "{\"metadata\":{\"resourceVersion\":\""
            + task.getMetadata().getResourceVersion()
            + "\"},\"status\":{\"progress\":30}}";
    assertThat(kube.send("PATCH", TASKS + "patched/status", merge, statusPatch).statusCode())
        .isEqualTo(409);
    assertThat(tasks().withName("patched").get().getStatus().getProgress()).isEqualTo(10);
  }

  @Test
  void deletePreconditionsAreChecked() throws Exception {
    ConfigMap first = configMaps().resource(configMap("doomed", "1")).create();
    ConfigMap second = configMaps().resource(configMap(first, "2")).update();

    HttpResponse<String> staleVersion =
        kube.send(
            "DELETE",
            CONFIG_MAPS + "doomed",
            JSON_TYPE,
            deleteOptions("resourceVersion", first.getMetadata().getResourceVersion()));
    assertThat(staleVersion.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(staleVersion.body()).path("message").asText())
        .isEqualTo(
            "Operation cannot be fulfilled on configmaps \"doomed\": Precondition failed:"
                + " ResourceVersion in precondition: "
                + first.getMetadata().getResourceVersion()
                + ", ResourceVersion in object meta: "
                + second.getMetadata().getResourceVersion());
    HttpResponse<String> otherUid =
        kube.send("DELETE", CONFIG_MAPS + "doomed", JSON_TYPE, deleteOptions("uid", "not-the-uid"));
    assertThat(otherUid.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(otherUid.body()).path("message").asText())
        .contains("Precondition failed: UID in precondition: not-the-uid");
    assertThat(configMaps().withName("doomed").get()).isNotNull();

    HttpResponse<String> matching =
        kube.send(
            "DELETE",
            CONFIG_MAPS + "doomed",
            JSON_TYPE,
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\""
                + second.getMetadata().getUid()
                + "\",\"resourceVersion\":\""
                + second.getMetadata().getResourceVersion()
                + "\"}}");
    assertThat(matching.statusCode()).isEqualTo(200);
    assertThat(configMaps().withName("doomed").get()).isNull();
  }

  @Test
  void creatingTwiceGetsAlreadyExists() {
    configMaps().resource(configMap("twice", "1")).create();
    refused(
        () -> configMaps().resource(configMap("twice", "1")).create(),
        "AlreadyExists",
        "configmaps \"twice\" already exists");
  }

  /** The 409 Status a write got, with the API server's reason and message. */
  private static Status refused(ThrowingCallable write, String reason, String message) {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, write);
    assertThat(e).as("a write that should have been refused").isNotNull();
    assertThat(e.getCode()).isEqualTo(409);
    assertThat(e.getStatus().getReason()).isEqualTo(reason);
    assertThat(e.getStatus().getMessage()).isEqualTo(message);
    return e.getStatus();
  }

  private static final String JSON_TYPE = "application/json";

  private MixedOperation<ConfigMap, ConfigMapList, Resource<ConfigMap>> configMaps() {
    return kube.client().configMaps();
  }

  private MixedOperation<FfmpegTask, ?, Resource<FfmpegTask>> tasks() {
    return kube.client().resources(FfmpegTask.class);
  }

  private static ConfigMap configMap(String name, String n) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToData("n", n)
        .build();
  }

  /** A copy of {@code base} (same resourceVersion) with another n. */
  private static ConfigMap configMap(ConfigMap base, String n) {
    ConfigMap copy = new ConfigMapBuilder(base).build();
    Map<String, String> data = new HashMap<>(copy.getData());
    data.put("n", n);
    copy.setData(data);
    return copy;
  }

  private static String mergePatch(String resourceVersion, String n) {
    return "{\"metadata\":{\"resourceVersion\":\""
        + resourceVersion
        + "\"},\"data\":{\"n\":\""
        + n
        + "\"}}";
  }

  private static String jsonPatch(String resourceVersion, String n) {
    return "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
        + resourceVersion
        + "\"},{\"op\":\"replace\",\"path\":\"/data/n\",\"value\":\""
        + n
        + "\"}]";
  }

  private static String deleteOptions(String field, String value) {
    return "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\""
        + field
        + "\":\""
        + value
        + "\"}}";
  }

  private static String json(Object object) {
    return Serialization.asJson(object);
  }
}
