package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.dev.s3.EmbeddedS3;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the reconciler tests run against: a Kubernetes API in CRUD mode with the CRDs, a real S3
 * (s3proxy) and the operator; Jobs are driven by the tests themselves.
 *
 * <p>A JUnit extension: registered on a static field, {@code @RegisterExtension static final
 * TestingCluster cluster = new TestingCluster();}, it runs for the whole class (started before the
 * class's {@code @BeforeAll} methods, closed after its {@code @AfterAll} ones); on an instance
 * field, for each test.
 */
final class TestingCluster
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  static final String NS = "media";
  static final String BUCKET = "platform";
  private static final List<String> CRDS =
      List.of(
          "ffmpegtasks.media.ffmpeg-operator.io-v1.yml",
          "videos.media.ffmpeg-operator.io-v1.yml",
          "videojobs.media.ffmpeg-operator.io-v1.yml");

  KubernetesMockServer server;
  KubernetesClient client;
  EmbeddedS3 s3;
  S3Storage storage;
  private Path s3Dir;
  private boolean forTheClass;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    forTheClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!forTheClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!forTheClass) {
      close();
    }
  }

  private void start() throws Exception {
    s3Dir = Files.createTempDirectory("testing-cluster-s3-");
    // CRUD for everything, except the one answer the mock cannot compute: JOSDK asks what it may
    // do with Leases before it runs leader election, and here it may do everything.
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init();
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .withResourceRules(
                    new ResourceRuleBuilder()
                        .withApiGroups("coordination.k8s.io")
                        .withResources("leases")
                        .withVerbs("*")
                        .build())
                .endStatus()
                .build())
        .always();
    client = server.createClient();
    for (String crd : CRDS) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .load(TestingCluster.class.getResourceAsStream("/META-INF/fabric8/" + crd))
          .create();
    }
    s3 = EmbeddedS3.start(s3Dir, 0, "test-id", "test-secret");
    storage =
        new S3Storage(new S3Settings(BUCKET, "us-east-1", s3.endpoint(), "test-id", "test-secret"));
    storage.ensureBucket();
  }

  /** The operator's settings in these tests: watching {@link #NS}, progress every 200 ms. */
  static OperatorConfig config() {
    return OperatorConfig.defaults()
        .withNamespaces(Set.of(NS))
        .withProgressInterval(Duration.ofMillis(200));
  }

  /** A started operator with {@link #config()}. */
  Operator startOperator() {
    Operator operator = FfmpegOperator.create(client, storage, config());
    operator.start();
    return operator;
  }

  /** A started operator recording into {@code metrics}; a lost Lease fails the test's checks. */
  Operator startOperator(
      OperatorConfig config, S3Storage storage, OperatorMetrics metrics, Leadership leadership) {
    Operator operator = FfmpegOperator.create(client, storage, config, metrics, leadership);
    operator.start();
    return operator;
  }

  /** Creates a valid transcode task in {@code namespace} under a fresh name. */
  FfmpegTask newTask(String namespace) {
    return newTask(namespace, (TaskResources) null);
  }

  /** A new valid task that asks for {@code resources} of its own (none when null). */
  FfmpegTask newTask(String namespace, TaskResources resources) {
    return newTask(namespace, spec -> spec.setResources(resources));
  }

  /** A new valid task, its spec as {@code edit} changes it before it is created. */
  FfmpegTask newTask(String namespace, Consumer<FfmpegTaskSpec> edit) {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(UUID.randomUUID().toString())
            .withNamespace(namespace)
            .build());
    task.setSpec(
        new FfmpegTaskSpec(
            "-i in_1 -c:v libx264 out_1",
            Map.of("in_1", "s3://" + BUCKET + "/samples/a.mp4"),
            Map.of("out_1", "out.mp4")));
    edit.accept(task.getSpec());
    return client.resource(task).create();
  }

  /** The token of a warm worker's pod, as its Secret holds it (once the pool has made it). */
  String warmToken(Job job) {
    return new String(
        Base64.getDecoder().decode(warmTokenSecret(job).getData().get(WarmJobs.TOKEN_KEY)),
        StandardCharsets.UTF_8);
  }

  /** The Secret with a warm worker's token, once the pool has made it (within 10 s). */
  Secret warmTokenSecret(Job job) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                    .secrets()
                    .inNamespace(job.getMetadata().getNamespace())
                    .withName(WarmJobs.tokenSecretName(job.getMetadata().getName()))
                    .get(),
            Objects::nonNull);
  }

  /** The Jobs in {@code namespace}. */
  NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs(String namespace) {
    return client.batch().v1().jobs().inNamespace(namespace);
  }

  /** The resources of {@code type} in {@code namespace}. */
  <T extends HasMetadata>
      NonNamespaceOperation<T, KubernetesResourceList<T>, Resource<T>> resources(
          Class<T> type, String namespace) {
    return client.resources(type).inNamespace(namespace);
  }

  /** The warm Jobs in {@code namespace} that no task has claimed. */
  List<Job> unclaimedWarmJobs(String namespace) {
    return jobs(namespace).withLabel(WorkerJobFactory.WARM_LABEL, "true").list().getItems().stream()
        .filter(j -> WarmJobs.taskOf(j) == null)
        .toList();
  }

  /** The reasons of the events recorded on {@code resource} so far. */
  List<String> eventReasons(HasMetadata resource) {
    return client
        .v1()
        .events()
        .inNamespace(resource.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(e -> e.getInvolvedObject().getName().equals(resource.getMetadata().getName()))
        .map(Event::getReason)
        .toList();
  }

  private void close() throws Exception {
    storage.close();
    s3.close();
    client.close();
    server.destroy();
    try (Stream<Path> paths = Files.walk(s3Dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
