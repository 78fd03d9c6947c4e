package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack driven by a client nobody here wrote: Debian's python3-kubernetes (22.6), with the
 * stack's kubeconfig, as a user's script would. CI installs the package (.ci/run); without it these
 * tests fail rather than skip.
 */
class PythonKubernetesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Debian's interpreter: python3-kubernetes installs there, not in a python3 earlier on PATH.
  private static final String PYTHON = "/usr/bin/python3";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
  private static final String COMMAND = "-i in_1 -c copy out_1";

  @RegisterExtension static final TestingStack stack = new TestingStack();
  @TempDir static Path scripts;

  @BeforeAll
  static void pythonKubernetesIsInstalled() throws Exception {
    Result result = run("import kubernetes\nprint(kubernetes.__version__)\n");
    assertThat(result.exit())
        .as(
            "%s cannot import kubernetes (apt-get install python3-kubernetes): %s",
            PYTHON, result.stderr())
        .isZero();
  }

  @Test
  void listCreateAndWatchATaskToCompletion() throws Exception {
    String name = "py-" + System.nanoTime();
    JsonNode out =
        runJson(
            """
            import json, sys
            from kubernetes import client, config, watch
            config.load_kube_config(config_file=sys.argv[1])
            ns, name, source = sys.argv[2], sys.argv[3], sys.argv[4]
            api = client.CustomObjectsApi()
            G, V, P = 'media.ffmpeg-operator.io', 'v1alpha1', 'ffmpegtasks'
            listed = api.list_namespaced_custom_object(G, V, ns, P)
            created = api.create_namespaced_custom_object(G, V, ns, P, {
                'apiVersion': G + '/' + V, 'kind': 'FfmpegTask', 'metadata': {'name': name},
                'spec': {'command': '-i in_1 -c copy out_1', 'inputs': {'in_1': source},
                         'outputs': {'out_1': 'python.mp4'}}})
            events = []
            w = watch.Watch()
            for event in w.stream(api.list_namespaced_custom_object, G, V, ns, P,
                                  field_selector='metadata.name=' + name, timeout_seconds=100):
                task = event['object']
                state = (task.get('status') or {}).get('state')
                events.append({'type': event['type'], 'name': task['metadata']['name'],
                               'state': state,
                               'resourceVersion': task['metadata']['resourceVersion']})
                if state in ('Completed', 'Failed', 'Cancelled'):
                    w.stop()
            print(json.dumps({'listKind': listed['kind'],
                              'listed': [t['metadata']['name'] for t in listed['items']],
                              'created': created['metadata']['name'],
                              'events': events}))
            """,
            stack.config().namespace(),
            name,
            stack.sampleInput());

    assertThat(out.path("listKind").asText()).isEqualTo("FfmpegTaskList");
    assertThat(names(out.path("listed"))).doesNotContain(name);
    assertThat(out.path("created").asText()).isEqualTo(name);
    List<JsonNode> events = new ArrayList<>();
    out.path("events").forEach(events::add);
    assertThat(events).as(out.toString()).isNotEmpty();
    // From the task as created (the watch starts with it), through its changes, to Completed.
    assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
    assertThat(events.subList(1, events.size()))
        .allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("MODIFIED"));
    assertThat(events).allSatisfy(e -> assertThat(e.path("name").asText()).isEqualTo(name));
    assertThat(events.get(events.size() - 1).path("state").asText())
        .as(out.toString())
        .isEqualTo("Completed");
    List<Long> versions = events.stream().map(e -> e.path("resourceVersion").asLong()).toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
    assertThat(stack.task(name).getStatus().getState()).isEqualTo(TaskState.Completed);
  }

  /** The worker's log of a finished task, read as read_namespaced_pod_log reads it. */
  @Test
  void readAFinishedTasksPodLog() throws Exception {
    String name = "py-log-" + System.nanoTime();
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(stack.config().namespace()).build());
    task.setSpec(
        new FfmpegTaskSpec(
            COMMAND, Map.of("in_1", stack.sampleInput()), Map.of("out_1", "logged.mp4")));
    stack.kubernetesClient().resource(task).create();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              FfmpegTask now = stack.task(name);
              return now.getStatus() != null
                  && now.getStatus().getState() != null
                  && now.getStatus().getState().isFinished();
            });

    JsonNode out =
        runJson(
            """
            import json, sys
            from kubernetes import client, config
            config.load_kube_config(config_file=sys.argv[1])
            ns, name = sys.argv[2], sys.argv[3]
            core = client.CoreV1Api()
            pods = core.list_namespaced_pod(ns, label_selector='job-name=fft-' + name)
            pod = pods.items[0].metadata.name
            print(json.dumps({'pods': [p.metadata.name for p in pods.items], 'pod': pod,
                              'log': core.read_namespaced_pod_log(pod, ns)}))
            """,
            stack.config().namespace(),
            name);

    assertThat(out.path("pods")).hasSize(1);
    String log = out.path("log").asText();
    // The worker's own line, not a JSON list of everything stored.
    assertThat(log).doesNotContain("\"items\"").contains("task " + name + ": succeeded");
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  /** Runs the script with the kubeconfig and {@code args}; its last line must be JSON. */
  private static JsonNode runJson(String script, String... args) throws Exception {
    Result result = run(script, args);
    assertThat(result.exit()).as("python failed: %s%s", result.stdout(), result.stderr()).isZero();
    String[] lines = result.stdout().strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private record Result(int exit, String stdout, String stderr) {}

  private static Result run(String script, String... args) throws Exception {
    Path file = Files.createTempFile(scripts, "script-", ".py");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of(PYTHON, file.toString()));
    command.add(stack.kubeconfig().toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> stdout =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "python did not finish in "
              + SCRIPT_TIMEOUT
              + ": "
              + stdout.getNow("")
              + stderr.getNow(""));
    }
    return new Result(process.exitValue(), stdout.get(), stderr.get());
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
