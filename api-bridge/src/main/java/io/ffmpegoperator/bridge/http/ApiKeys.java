package io.ffmpegoperator.bridge.http;

import io.ffmpegoperator.settings.ApiClients;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer keys the API accepts and the client each belongs to ({@link ApiClients}). Only their
 * SHA-256 digests are kept, so a heap dump, a {@code toString()} or a logged config never shows a
 * key, and every check takes the same time whatever the presented key shares with a real one.
 */
public final class ApiKeys {
  public static final String API_KEYS_ENV = ApiClients.API_KEYS_ENV;
  public static final String API_KEYS_FILE_ENV = ApiClients.API_KEYS_FILE_ENV;

  private static final ApiKeys NONE = new ApiKeys(List.of());

  private record Digest(byte[] sha256, String client) {}

  private final List<Digest> digests;

  private ApiKeys(List<Digest> digests) {
    this.digests = List.copyOf(digests);
  }

  /** No keys: the API is open. */
  public static ApiKeys none() {
    return NONE;
  }

  /** The keys of these clients; equal keys collapse into one. */
  public static ApiKeys of(ApiClients clients) {
    Map<String, Digest> unique = new LinkedHashMap<>();
    for (ApiClients.Key key : clients.keys()) {
      byte[] digest = sha256(key.key());
      unique.putIfAbsent(HexFormat.of().formatHex(digest), new Digest(digest, key.client()));
    }
    return unique.isEmpty() ? NONE : new ApiKeys(new ArrayList<>(unique.values()));
  }

  /**
   * These key entries ({@link ApiClients#of(List)}); blank ones are ignored.
   *
   * @throws IllegalArgumentException for an entry that cannot be read
   */
  public static ApiKeys of(String... entries) {
    return of(ApiClients.of(entries));
  }

  /**
   * The keys of {@value #API_KEYS_ENV} and {@value #API_KEYS_FILE_ENV} together ({@link
   * ApiClients#fromEnv}).
   */
  public static ApiKeys fromEnv(Map<String, String> env) {
    return of(ApiClients.fromEnv(env));
  }

  public boolean isEmpty() {
    return digests.isEmpty();
  }

  public int size() {
    return digests.size();
  }

  /** Whether the key is one of these. */
  public boolean accepts(String key) {
    return clientOfKey(key).isPresent();
  }

  /**
   * The client a bearer key belongs to; empty for a key that is not one of these. Every digest is
   * compared with {@link MessageDigest#isEqual}, so the time taken tells nothing.
   */
  public Optional<String> clientOfKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    byte[] presented = sha256(key);
    String client = null;
    for (Digest digest : digests) {
      if (MessageDigest.isEqual(digest.sha256(), presented)) {
        client = digest.client();
      }
    }
    return Optional.ofNullable(client);
  }

  /**
   * The client of a request by its {@code Authorization} header: null with keys off, where everyone
   * is one client. The header has passed {@link ApiKeyFilter} when keys are on.
   */
  public String clientOf(String authorization) {
    if (isEmpty()) {
      return null;
    }
    return clientOfKey(ApiKeyFilter.bearerToken(authorization)).orElse(null);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Each key's digest with its client, in no order. */
  private Set<String> comparable() {
    Set<String> all = new HashSet<>();
    for (Digest digest : digests) {
      all.add(HexFormat.of().formatHex(digest.sha256()) + " " + digest.client());
    }
    return all;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKeys keys && comparable().equals(keys.comparable());
  }

  @Override
  public int hashCode() {
    return comparable().hashCode();
  }

  @Override
  public String toString() {
    return "ApiKeys[" + digests.size() + " key(s)]";
  }
}
