package io.ffmpegoperator.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;

/** fabric8's mock Kubernetes API in CRUD mode, with some of the platform's CRDs, and a client. */
final class TestingApiServer implements AutoCloseable {
  static final String TASKS = "ffmpegtasks.media.ffmpeg-operator.io-v1.yml";
  static final List<String> ALL_CRDS =
      List.of(
          TASKS,
          "videos.media.ffmpeg-operator.io-v1.yml",
          "videojobs.media.ffmpeg-operator.io-v1.yml");

  final KubernetesMockServer server;
  final KubernetesClient client;

  private TestingApiServer(List<String> crds) {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init();
    client = server.createClient();
    for (String crd : crds) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .load(TestingApiServer.class.getResourceAsStream("/META-INF/fabric8/" + crd))
          .create();
    }
  }

  /**
   * @param crds file names of CRDs the crds module generates, e.g. {@link #TASKS}
   */
  static TestingApiServer start(List<String> crds) {
    return new TestingApiServer(crds);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
