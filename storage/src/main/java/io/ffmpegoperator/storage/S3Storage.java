package io.ffmpegoperator.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The platform's bucket: reads, writes and pre-signed links. One instance per process. */
public final class S3Storage implements AutoCloseable {
  /** How long links given to users stay valid: 7 days, the longest SigV4 allows. */
  public static final Duration USER_LINK_LIFETIME = Duration.ofDays(7);

  /**
   * The largest object one CopyObject copies: S3 refuses larger ones, so an output of a long film
   * would fail at its very last step.
   */
  static final long SINGLE_COPY_LIMIT = 5L << 30;

  /** S3's smallest part (but the last) and most parts of a multipart upload. */
  private static final long MIN_PART = 5L << 20;

  private static final int MAX_PARTS = 10_000;

  /** Parts this size copy in few requests yet stay far below S3's 5 GiB a part. */
  private static final long COPY_PART = 512L << 20;

  private final S3Settings settings;
  private final S3Client client;
  private final S3Presigner presigner;

  public S3Storage(S3Settings settings) {
    this.settings = settings;
    AwsCredentialsProvider credentials =
        settings.accessKeyId() == null
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    S3Configuration s3Config =
        S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
    Region region = Region.of(settings.region());
    var clientBuilder =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(s3Config);
    var presignerBuilder =
        S3Presigner.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(s3Config);
    if (settings.endpoint() != null) {
      clientBuilder.endpointOverride(settings.endpoint());
      presignerBuilder.endpointOverride(settings.endpoint());
    }
    this.client = clientBuilder.build();
    this.presigner = presignerBuilder.build();
  }

  public String bucket() {
    return settings.bucket();
  }

  public S3Settings settings() {
    return settings;
  }

  /** A link anyone can GET the object with, until it expires. */
  public String presignGet(String key, Duration lifetime) {
    return presigner
        .presignGetObject(
            r -> r.signatureDuration(lifetime).getObjectRequest(g -> g.bucket(bucket()).key(key)))
        .url()
        .toString();
  }

  /** A link anyone can PUT exactly this object with, until it expires. */
  public String presignPut(String key, Duration lifetime) {
    return presigner
        .presignPutObject(
            r -> r.signatureDuration(lifetime).putObjectRequest(p -> p.bucket(bucket()).key(key)))
        .url()
        .toString();
  }

  /** The object's text, or empty when it does not exist. */
  public Optional<String> readText(String key) {
    try {
      return Optional.of(
          client
              .getObjectAsBytes(g -> g.bucket(bucket()).key(key))
              .asString(StandardCharsets.UTF_8));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  /** The object's size in bytes, or empty when it does not exist. */
  public Optional<Long> size(String key) {
    try {
      return Optional.of(client.headObject(h -> h.bucket(bucket()).key(key)).contentLength());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public void put(String key, Path file) {
    client.putObject(p -> p.bucket(bucket()).key(key), RequestBody.fromFile(file));
  }

  public void putText(String key, String text) {
    client.putObject(p -> p.bucket(bucket()).key(key), RequestBody.fromString(text));
  }

  /**
   * Copies an object inside the bucket (server-side: the bytes do not pass through here), in parts
   * when it is larger than one CopyObject may copy.
   */
  public void copy(String fromKey, String toKey) {
    copy(fromKey, toKey, SINGLE_COPY_LIMIT);
  }

  /** {@link #copy(String, String)}, in parts when the object is larger than {@code singleLimit}. */
  void copy(String fromKey, String toKey, long singleLimit) {
    HeadObjectResponse source = client.headObject(h -> h.bucket(bucket()).key(fromKey));
    long size = source.contentLength();
    if (size <= singleLimit) {
      client.copyObject(
          c ->
              c.sourceBucket(bucket())
                  .sourceKey(fromKey)
                  .destinationBucket(bucket())
                  .destinationKey(toKey));
      return;
    }
    long partSize =
        Math.max(Math.min(COPY_PART, singleLimit), Math.max(MIN_PART, ceil(size, MAX_PARTS)));
    String uploadId =
        client
            .createMultipartUpload(
                m -> m.bucket(bucket()).key(toKey).contentType(source.contentType()))
            .uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (long offset = 0; offset < size; offset += partSize) {
        int number = parts.size() + 1;
        String range = "bytes=" + offset + "-" + (Math.min(size, offset + partSize) - 1);
        String etag =
            client
                .uploadPartCopy(
                    u ->
                        u.sourceBucket(bucket())
                            .sourceKey(fromKey)
                            .destinationBucket(bucket())
                            .destinationKey(toKey)
                            .uploadId(uploadId)
                            .partNumber(number)
                            .copySourceRange(range))
                .copyPartResult()
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      client.completeMultipartUpload(
          c ->
              c.bucket(bucket())
                  .key(toKey)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      // An unfinished upload keeps its parts, and costs, until it is aborted.
      client.abortMultipartUpload(a -> a.bucket(bucket()).key(toKey).uploadId(uploadId));
      throw e;
    }
  }

  private static long ceil(long dividend, long divisor) {
    return (dividend + divisor - 1) / divisor;
  }

  public void delete(String key) {
    client.deleteObject(d -> d.bucket(bucket()).key(key));
  }

  /** Deletes every object whose key starts with {@code prefix}; returns how many there were. */
  public int deleteUnder(String prefix) {
    int deleted = 0;
    for (S3Object object :
        client.listObjectsV2Paginator(l -> l.bucket(bucket()).prefix(prefix)).contents()) {
      delete(object.key());
      deleted++;
    }
    return deleted;
  }

  /** Creates the bucket unless it exists; used by the embedded stack. */
  public void ensureBucket() {
    try {
      client.headBucket(h -> h.bucket(bucket()));
    } catch (NoSuchBucketException e) {
      client.createBucket(c -> c.bucket(bucket()));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      client.createBucket(c -> c.bucket(bucket()));
    }
  }

  public S3Client client() {
    return client;
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }
}
