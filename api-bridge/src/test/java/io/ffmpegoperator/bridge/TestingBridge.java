package io.ffmpegoperator.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ffmpegoperator.bridge.http.ApiKeys;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.storage.S3Storage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The bridge on fabric8's mock Kubernetes API in CRUD mode ({@link TestingApiServer}), with S3 only
 * to presign ({@link TestingStorage}) and {@code true} for ffmpeg: for tests of what the bridge
 * answers over HTTP that run no task.
 */
final class TestingBridge implements AutoCloseable {
  static final String NS = "media";
  static final String BUCKET = "test-bucket";
  // `true -version` exits 0, so ffmpeg counts as installed; these tests never run it for real.
  static final FfmpegBinaries TRUE_FFMPEG = new FfmpegBinaries(Path.of("true"), Path.of("true"));

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final TestingApiServer api;
  final KubernetesMockServer server;
  final KubernetesClient client;
  final S3Storage storage;
  final ApiBridge bridge;

  private TestingBridge(List<String> crds, BridgeConfig config) {
    api = TestingApiServer.start(crds);
    server = api.server;
    client = api.client;
    storage = TestingStorage.presignOnly(BUCKET);
    bridge = ApiBridge.start(config, client, storage, TRUE_FFMPEG);
  }

  /**
   * @param crds file names of the CRDs to install, as for {@link TestingApiServer#start}
   */
  static TestingBridge start(List<String> crds, BridgeConfig config) {
    return new TestingBridge(crds, config);
  }

  /** The bridge's settings for {@link #NS} on a free loopback port, with no keys. */
  static BridgeConfig config() {
    return new BridgeConfig("127.0.0.1", 0, NS);
  }

  /** {@link #config()} requiring {@code apiKey} and letting inputs reach public addresses only. */
  static BridgeConfig keyedConfig(String apiKey) {
    return config().withApiKeys(ApiKeys.of(apiKey)).withAddressPolicy(AddressPolicy.publicOnly());
  }

  /** A request to {@code path} of the bridge. */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(bridge.uri().resolve(path));
  }

  /** Sends with {@code key} as the bearer key, none when null; the body as text. */
  static HttpResponse<String> send(HttpRequest.Builder request, String key) throws Exception {
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    bridge.close();
    storage.close();
    api.close();
  }
}
