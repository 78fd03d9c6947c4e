package io.ffmpegoperator.bridge;

import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.net.URI;

/** S3 storage whose endpoint nothing answers: enough for tests that only presign links. */
final class TestingStorage {
  private TestingStorage() {}

  static S3Storage presignOnly(String bucket) {
    return new S3Storage(
        new S3Settings(bucket, "us-east-1", URI.create("http://127.0.0.1:9"), "key", "secret"));
  }
}
