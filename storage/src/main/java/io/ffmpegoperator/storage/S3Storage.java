package io.ffmpegoperator.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The platform's bucket: reads, writes and pre-signed links. One instance per process. */
public final class S3Storage implements AutoCloseable {
  /** How long links given to users stay valid: 7 days, the longest SigV4 allows. */
  public static final Duration USER_LINK_LIFETIME = Duration.ofDays(7);

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

  /** Copies an object inside the bucket (server-side: the bytes do not pass through here). */
  public void copy(String fromKey, String toKey) {
    client.copyObject(
        c ->
            c.sourceBucket(bucket())
                .sourceKey(fromKey)
                .destinationBucket(bucket())
                .destinationKey(toKey));
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
