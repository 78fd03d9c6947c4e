package io.ffmpegoperator.bridge.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The bearer keys the API accepts. Only their SHA-256 digests are kept, so a heap dump, a {@code
 * toString()} or a logged config never shows a key, and every check takes the same time whatever
 * the presented key shares with a real one.
 */
public final class ApiKeys {
  /** Comma-separated keys. */
  public static final String API_KEYS_ENV = "API_KEYS";

  /** A file with one key per line, or a folder (e.g. a mounted Secret) with one key per file. */
  public static final String API_KEYS_FILE_ENV = "API_KEYS_FILE";

  private static final ApiKeys NONE = new ApiKeys(List.of());

  // Each key's digest, wrapped so that equal keys collapse in a set.
  private final List<ByteBuffer> digests;

  private ApiKeys(Collection<ByteBuffer> digests) {
    this.digests = List.copyOf(digests);
  }

  /** No keys: the API is open. */
  public static ApiKeys none() {
    return NONE;
  }

  /**
   * These keys; blank ones are ignored, surrounding whitespace is dropped.
   *
   * @throws IllegalArgumentException for a key that cannot be sent in a header (not visible ASCII)
   */
  public static ApiKeys of(Collection<String> keys) {
    Set<ByteBuffer> digests = new LinkedHashSet<>();
    int index = 0;
    for (String key : keys) {
      index++;
      String trimmed = key == null ? "" : key.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      // The key itself never goes into the message: it is a secret.
      if (!trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "API key #" + index + " holds a character other than visible ASCII");
      }
      digests.add(ByteBuffer.wrap(sha256(trimmed)));
    }
    return digests.isEmpty() ? NONE : new ApiKeys(digests);
  }

  public static ApiKeys of(String... keys) {
    return of(List.of(keys));
  }

  /**
   * The keys of {@value #API_KEYS_ENV} and {@value #API_KEYS_FILE_ENV} together. A blank variable
   * counts as unset, but a named file that does not exist or holds no key is an error: a typo must
   * not leave the API open.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no key
   */
  public static ApiKeys fromEnv(Map<String, String> env) {
    List<String> keys = new ArrayList<>();
    String inline = env.get(API_KEYS_ENV);
    if (inline != null) {
      keys.addAll(List.of(inline.split(",")));
    }
    String file = env.get(API_KEYS_FILE_ENV);
    if (file != null && !file.isBlank()) {
      List<String> fromFile = readKeys(Path.of(file.strip()));
      if (fromFile.isEmpty()) {
        throw new IllegalArgumentException(API_KEYS_FILE_ENV + " " + file + " holds no API key");
      }
      keys.addAll(fromFile);
    }
    return of(keys);
  }

  /**
   * The non-blank lines of a file, or of every file in a folder. Hidden entries are skipped: a
   * mounted Secret keeps its data behind {@code ..data} links, next to links named after its keys.
   */
  static List<String> readKeys(Path path) {
    try {
      if (Files.isDirectory(path)) {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
          for (Path file :
              files
                  .filter(f -> !f.getFileName().toString().startsWith("."))
                  .filter(Files::isRegularFile)
                  .sorted()
                  .toList()) {
            keys.addAll(lines(file));
          }
        }
        return keys;
      }
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(
            API_KEYS_FILE_ENV + " " + path + " is not a file or folder that can be read");
      }
      return lines(path);
    } catch (IOException e) {
      // The exception's message names the path only, never what the file holds.
      throw new IllegalArgumentException("could not read the API keys in " + path, e);
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .toList();
  }

  public boolean isEmpty() {
    return digests.isEmpty();
  }

  public int size() {
    return digests.size();
  }

  /**
   * Whether the key is one of these. Digests of equal length are compared with {@link
   * MessageDigest#isEqual}, and every key is compared, so the time taken tells nothing.
   */
  public boolean accepts(String key) {
    if (key == null) {
      return false;
    }
    byte[] presented = sha256(key);
    boolean match = false;
    for (ByteBuffer digest : digests) {
      match |= MessageDigest.isEqual(digest.array(), presented);
    }
    return match;
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKeys keys && Set.copyOf(digests).equals(Set.copyOf(keys.digests));
  }

  @Override
  public int hashCode() {
    return Set.copyOf(digests).hashCode();
  }

  @Override
  public String toString() {
    return "ApiKeys[" + digests.size() + " key(s)]";
  }
}
