package io.ffmpegoperator.dev.stack;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.storage.S3Storage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded stack of a test class, as a JUnit extension: started in a folder of its own before
 * the class's {@code @BeforeAll} methods, closed (and the folder removed) after its
 * {@code @AfterAll} ones. Register it on a static field: {@code @RegisterExtension static final
 * TestingStack stack = new TestingStack();}.
 */
final class TestingStack implements BeforeAllCallback, AfterAllCallback {
  private final UnaryOperator<StackConfig> settings;
  private Path home;
  private EmbeddedStack stack;
  private TestingApiClient api;
  private TestingMedia media;

  /** A stack with the test settings. */
  TestingStack() {
    this(config -> config);
  }

  /** A stack with the test settings as {@code settings} changes them. */
  TestingStack(UnaryOperator<StackConfig> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    home = Files.createTempDirectory("embedded-stack-");
    stack = EmbeddedStack.start(settings.apply(StackConfig.forTest(home)));
    api = new TestingApiClient(stack.apiUri());
    media = new TestingMedia(stack.ffmpeg());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (stack != null) {
        stack.close();
      }
    } finally {
      delete(home);
    }
  }

  /** The folder the stack keeps everything in. */
  Path home() {
    return home;
  }

  /** A client for the REST API that sends no API key. */
  TestingApiClient api() {
    return api;
  }

  /** Makes clips and probes files with the stack's ffmpeg. */
  TestingMedia media() {
    return media;
  }

  /** The input URL of the sample clip the stack stores in its bucket. */
  String sampleInput() {
    return sampleInput(stack);
  }

  /** The input URL of the sample clip {@code stack} stores in its bucket. */
  static String sampleInput(EmbeddedStack stack) {
    return "s3://" + stack.config().bucket() + "/" + SampleMedia.KEY;
  }

  /**
   * Registers a task on the stack's sample clip as in_1 with one output, out_1, named {@code
   * outputName}; returns its id.
   */
  String registerOnSample(String command, String outputName) throws Exception {
    return api.registerTask(command, Map.of("in_1", sampleInput()), Map.of("out_1", outputName))
        .get("task_id")
        .asText();
  }

  /** The FfmpegTask of this id as the API server has it; null when there is none. */
  FfmpegTask task(String id) {
    return stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace(stack.config().namespace())
        .withName(id)
        .get();
  }

  /** The Jobs in the stack's namespace. */
  NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
    return stack.kubernetesClient().batch().v1().jobs().inNamespace(stack.config().namespace());
  }

  URI apiUri() {
    return stack.apiUri();
  }

  /** The kubeconfig that reaches the stack's Kubernetes API, as kubectl would use it. */
  Path kubeconfig() {
    return stack.kubeconfig();
  }

  KubernetesClient kubernetesClient() {
    return stack.kubernetesClient();
  }

  S3Storage storage() {
    return stack.storage();
  }

  FfmpegBinaries ffmpeg() {
    return stack.ffmpeg();
  }

  StackConfig config() {
    return stack.config();
  }

  /**
   * The ffmpeg process that writes the output file {@code output} (a name no other task uses), once
   * a pod of this stack has started it.
   */
  static ProcessHandle awaitFfmpegWriting(String output) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().orElse("").endsWith("ffmpeg"))
                    .filter(p -> p.info().commandLine().orElse("").contains(output))
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  /** Stops the operator and starts a new one, as a pod restart would. */
  void restartOperator() {
    stack.restartOperator();
  }

  private static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
