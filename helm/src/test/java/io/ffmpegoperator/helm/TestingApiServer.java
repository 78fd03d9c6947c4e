package io.ffmpegoperator.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API in CRUD mode (fabric8's mock server) that also answers the core group's
 * discovery, which Helm's {@code lookup} needs to find Secrets: the mock alone answers {@code
 * /api/v1} with a list of every object it holds.
 */
final class TestingApiServer implements AutoCloseable {
  // The mock logs every request at INFO through java.util.logging; held so the level sticks.
  private static final Logger MOCK_LOG = quiet(Logger.getLogger("io.fabric8.mockwebserver"));

  private static final String API_VERSIONS =
      """
      {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""";
  private static final String CORE_RESOURCES =
      """
      {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
        {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
         "verbs":["create","delete","get","list","patch","update","watch"]},
        {"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap",
         "verbs":["create","delete","get","list","patch","update","watch"]},
        {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace",
         "verbs":["create","delete","get","list","patch","update","watch"]}]}""";

  final KubernetesMockServer server;
  final KubernetesClient client;

  private TestingApiServer(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  static TestingApiServer start() {
    KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new Discovery(crud), false);
    server.init();
    return new TestingApiServer(server);
  }

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.WARNING);
    return logger;
  }

  /** A kubeconfig for Helm (client-go) to reach this server. */
  void writeKubeconfig(Path file) {
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster:
              server: http://%s:%d
        users:
          - name: mock
            user:
              token: mock
        contexts:
          - name: mock
            context:
              cluster: mock
              user: mock
        current-context: mock
        """
            .formatted(server.getHostName(), server.getPort());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  /** Static discovery of the core group; everything else goes to the CRUD store. */
  private static final class Discovery extends Dispatcher {
    private final KubernetesCrudDispatcher crud;

    Discovery(KubernetesCrudDispatcher crud) {
      this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      int query = path.indexOf('?');
      path = query < 0 ? path : path.substring(0, query);
      if ("GET".equals(request.getMethod()) && path.equals("/api")) {
        return json(API_VERSIONS);
      }
      if ("GET".equals(request.getMethod()) && path.equals("/api/v1")) {
        return json(CORE_RESOURCES);
      }
      return crud.dispatch(request);
    }

    private static MockResponse json(String body) {
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }
  }
}
