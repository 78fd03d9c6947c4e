package io.ffmpegoperator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.dev.s3.EmbeddedS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side copies against a real S3 API (s3proxy): one CopyObject for an object S3 lets it copy,
 * parts for a larger one. The limit is lowered here so that a few megabytes stand for S3's 5 GiB.
 */
class S3StorageCopyIT {
  @TempDir static Path dir;
  private static EmbeddedS3 s3;
  private static S3Storage storage;

  @BeforeAll
  static void start() throws Exception {
    s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "test-id", "test-secret");
    storage =
        new S3Storage(
            new S3Settings("copies", "us-east-1", s3.endpoint(), "test-id", "test-secret", true));
    storage.ensureBucket();
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    s3.close();
  }

  private static byte[] stored(String key, int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    Path file = dir.resolve(key.replace('/', '_'));
    Files.write(file, bytes);
    storage.put(key, file);
    return bytes;
  }

  /** The object's bytes, through a pre-signed link as a worker or a user reads them. */
  private static byte[] read(String key) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(storage.presignGet(key, Duration.ofMinutes(5))))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void anObjectLargerThanOneCopyMayTakeIsCopiedInPartsByteForByte() throws Exception {
    // 13 MiB over a 6 MiB limit: parts of 6, 6 and 1 MiB (S3's smallest part is 5 MiB).
    byte[] bytes = stored("big/source.bin", 13 << 20);

    storage.copy("big/source.bin", "big/copy.bin", 6L << 20);

    assertThat(storage.size("big/copy.bin")).contains((long) bytes.length);
    assertThat(read("big/copy.bin")).isEqualTo(bytes);
  }

  @Test
  void aSmallObjectIsCopiedInOneRequest() throws Exception {
    byte[] bytes = stored("small/source.bin", 1 << 20);

    storage.copy("small/source.bin", "small/copy.bin");

    assertThat(read("small/copy.bin")).isEqualTo(bytes);
  }
}
