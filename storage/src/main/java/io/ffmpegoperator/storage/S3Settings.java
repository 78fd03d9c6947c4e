package io.ffmpegoperator.storage;

import io.ffmpegoperator.settings.EnvSettings;
import java.net.URI;
import java.util.Map;

/**
 * Where the platform's files live. Read from the seeds' environment variables ({@code S3_BUCKET},
 * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_REGION}) plus {@code
 * S3_ENDPOINT_URL} for S3-compatible stores, which are then addressed path-style unless {@code
 * S3_PATH_STYLE} says otherwise.
 *
 * @param endpoint null for AWS itself
 * @param accessKeyId null to use the SDK's default credential chain (IRSA, instance profile, ...)
 * @param forcePathStyle true or false to choose the addressing style; null for the default
 *     (path-style exactly when an endpoint is set)
 */
public record S3Settings(
    String bucket,
    String region,
    URI endpoint,
    String accessKeyId,
    String secretAccessKey,
    Boolean forcePathStyle) {

  public static final String DEFAULT_REGION = "us-east-1";

  public S3Settings {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("S3_BUCKET is not set");
    }
    region = region == null || region.isBlank() ? DEFAULT_REGION : region;
  }

  public S3Settings(
      String bucket, String region, URI endpoint, String accessKeyId, String secretAccessKey) {
    this(bucket, region, endpoint, accessKeyId, secretAccessKey, null);
  }

  /** Reads the settings from environment variables. */
  public static S3Settings fromEnv(Map<String, String> variables) {
    EnvSettings env = EnvSettings.of(variables);
    return new S3Settings(
        env.string("S3_BUCKET"),
        env.string("AWS_REGION"),
        env.parsed("S3_ENDPOINT_URL", null, URI::create, "a URL"),
        env.string("AWS_ACCESS_KEY_ID"),
        env.string("AWS_SECRET_ACCESS_KEY"),
        env.flag("S3_PATH_STYLE"));
  }

  /** What a process logs of its S3 settings at its start: names, never a credential. */
  public String describe() {
    return "bucket="
        + bucket
        + ", region="
        + region
        + ", endpoint="
        + (endpoint == null ? "AWS" : endpoint)
        + ", credentials="
        + (accessKeyId == null ? "SDK default chain" : "access key from the environment");
  }

  /** S3-compatible stores (MinIO, s3proxy, ...) are addressed path-style unless told otherwise. */
  public boolean pathStyle() {
    return forcePathStyle != null ? forcePathStyle : endpoint != null;
  }
}
