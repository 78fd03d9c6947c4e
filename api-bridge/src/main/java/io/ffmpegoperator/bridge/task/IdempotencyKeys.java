package io.ffmpegoperator.bridge.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ffmpegoperator.bridge.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/**
 * {@code Idempotency-Key} on register: a client that did not see the answer (a timeout, a dropped
 * connection) sends the same request with the same key again and gets the first answer, and nothing
 * new is made. The key lives with the task, not in a bridge: the task made for a key is named after
 * it, so a second create of that name fails in the API server whichever bridge replica, or restart,
 * receives the retry.
 */
final class IdempotencyKeys {
  static final String HEADER = "Idempotency-Key";

  /** How long a key holds (as payment APIs keep theirs); after that it makes a new task. */
  static final Duration WINDOW = Duration.ofHours(24);

  static final int MAX_LENGTH = 255;

  /** The key's SHA-256 (with the client's), never the key itself: keys may be guessable. */
  static final String KEY_ANNOTATION = "media.ffmpeg-operator.io/idempotency-key-sha256";

  /** The request's SHA-256, to tell a retry from a different request under the same key. */
  static final String REQUEST_ANNOTATION = "media.ffmpeg-operator.io/request-sha256";

  /** Field order and map order fixed, so equal requests hash equal however they were written. */
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private IdempotencyKeys() {}

  /**
   * The key's hash, scoped to the client: the same key from two API keys names two tasks, so one
   * client can neither replay nor block another's. {@code credential} is the Authorization header
   * (null with keys off).
   *
   * @throws ApiException 422 for an empty, over-long or non-printable key
   */
  static String keyHash(String key, String credential) {
    if (key.isEmpty()
        || key.length() > MAX_LENGTH
        || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw ApiException.detail(
          422,
          HEADER
              + " must be 1 to "
              + MAX_LENGTH
              + " printable ASCII characters without spaces (a UUID, say)");
    }
    return sha256((credential == null ? "" : sha256(credential)) + "\n" + key);
  }

  /** The task id a key names: a UUID made from its hash, so it looks like any other task id. */
  static String taskId(String keyHash) {
    return UUID.nameUUIDFromBytes(("idempotency-key " + keyHash).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The hash of the request as the bridge read it, not as it was spelled. */
  static String requestHash(RegisterRequest request) {
    try {
      return sha256(CANONICAL.writeValueAsString(request));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
