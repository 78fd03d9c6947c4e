package io.ffmpegoperator.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * {@code Idempotency-Key}: a client that did not see the answer (a timeout, a dropped connection)
 * sends the same request with the same key again and gets the first answer, and nothing new is
 * made. What the key and the window mean is decided here, once, for every endpoint that takes the
 * header; each endpoint keeps the key with the resource it made (in annotations, and in a name the
 * API server refuses to give twice), never in a bridge, so any replica or a restarted one finds it.
 */
public final class IdempotencyKeys {
  public static final String HEADER = "Idempotency-Key";

  /** How long a key holds (as payment APIs keep theirs); after that it makes something new. */
  public static final Duration WINDOW = Duration.ofHours(24);

  public static final int MAX_LENGTH = 255;

  /** The header's description in the API document; a constant, as annotations need one. */
  public static final String DESCRIPTION =
      "Optional. The same key with the same request within 24 h answers the first answer and"
          + " creates nothing; with a different request, 422.";

  /** The key's SHA-256 (with the client's), never the key itself: keys may be guessable. */
  public static final String KEY_ANNOTATION = "media.ffmpeg-operator.io/idempotency-key-sha256";

  /** The request's SHA-256, to tell a retry from a different request under the same key. */
  public static final String REQUEST_ANNOTATION = "media.ffmpeg-operator.io/request-sha256";

  /** Field order and map order fixed, so equal requests hash equal however they were written. */
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private IdempotencyKeys() {}

  /**
   * The key's hash, scoped to the client: the same key from two API keys is two keys, so one client
   * can neither replay nor block another's request. {@code credential} is the Authorization header
   * (null with keys off).
   *
   * @throws ApiException 422 for an empty, over-long or non-printable key
   */
  public static String keyHash(String key, String credential) {
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

  /** The hash of the request as the bridge read it, not as it was spelled. */
  public static String requestHash(Object request) {
    try {
      return sha256(CANONICAL.writeValueAsString(request));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The hash of a request to one of several endpoints that share their keys: the same body sent to
   * another of them is another request.
   */
  public static String requestHash(String endpoint, Object request) {
    return sha256(endpoint + "\n" + requestHash(request));
  }

  /** Whether a key first used at {@code firstUse} still holds at {@code now}. */
  public static boolean holds(Instant firstUse, Instant now) {
    return firstUse.isAfter(now.minus(WINDOW));
  }

  /**
   * The answer to a key that was used for another request within the window; {@code firstUse} says
   * what that request made, e.g. "task 1f0c…" or "job 12".
   */
  public static ApiException reused(String firstUse) {
    return ApiException.detail(
        422,
        HEADER
            + " was used for a different request within the last 24 h ("
            + firstUse
            + "); use a new key for a new request");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
