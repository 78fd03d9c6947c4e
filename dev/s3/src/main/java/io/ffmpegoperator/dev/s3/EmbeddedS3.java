package io.ffmpegoperator.dev.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 endpoint on localhost: s3proxy over a folder, with SigV4 authentication, so pre-signed
 * links and the AWS SDK behave exactly as against AWS.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final URI endpoint;

  private EmbeddedS3(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /**
   * Starts s3proxy on 127.0.0.1.
   *
   * @param dataDir where buckets and objects are kept; kept across restarts
   * @param port the port, or 0 for a free one
   */
  public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey)
      throws Exception {
    Files.createDirectories(dataDir);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString()))
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            // The SDK sends headers s3proxy does not know (checksums); they are harmless.
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    return new EmbeddedS3(proxy, URI.create("http://localhost:" + proxy.getPort()));
  }

  /** The endpoint, e.g. {@code http://localhost:9000}. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws IOException {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IOException("s3proxy did not stop", e);
    }
  }
}
