package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.ffmpegoperator.dev.s3.EmbeddedS3;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * What the reconciler tests run against: a Kubernetes API in CRUD mode with the CRDs, a real S3
 * (s3proxy) and the operator; Jobs are driven by the tests themselves.
 */
final class TestingCluster implements AutoCloseable {
  static final String NS = "media";
  static final String BUCKET = "platform";
  private static final List<String> CRDS =
      List.of(
          "ffmpegtasks.media.ffmpeg-operator.io-v1.yml",
          "videos.media.ffmpeg-operator.io-v1.yml",
          "videojobs.media.ffmpeg-operator.io-v1.yml");

  final KubernetesMockServer server;
  final KubernetesClient client;
  final EmbeddedS3 s3;
  final S3Storage storage;

  TestingCluster(Path s3Dir) throws Exception {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init();
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

  /** A started operator watching {@link #NS}, reading progress every 200 ms. */
  Operator startOperator() {
    OperatorConfig config =
        OperatorConfig.defaults()
            .withNamespaces(Set.of(NS))
            .withProgressInterval(Duration.ofMillis(200));
    Operator operator = FfmpegOperator.create(client, storage, config);
    operator.start();
    return operator;
  }

  @Override
  public void close() throws Exception {
    storage.close();
    s3.close();
    client.close();
    server.destroy();
  }
}
