package io.ffmpegoperator.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The clients of the API as {@code API_KEYS} and {@code API_KEYS_FILE} name them: each bearer key
 * belongs to a client, and a client may have a limit of tasks running at once. The bridge checks
 * the keys and records a task's client; the operator reads the same file for the limits alone.
 *
 * <p>A key entry is the key, then optionally {@code name=<client>} and {@code max-running=<n>},
 * separated by spaces: {@code 3f9c... name=alice max-running=4}. In a folder (a mounted Secret)
 * each file is one client, named after the file unless it says otherwise; two keys of one client
 * (while one is rotated out) are two lines of its file. A key without a name is a client of its
 * own, named {@code key-} and the first 8 hex digits of the key's SHA-256: stable, and telling
 * nothing of the key. Lines starting with {@code #} are comments.
 */
public final class ApiClients {
  /** Comma-separated key entries. */
  public static final String API_KEYS_ENV = "API_KEYS";

  /** A file with one key entry per line, or a folder (e.g. a mounted Secret) of such files. */
  public static final String API_KEYS_FILE_ENV = "API_KEYS_FILE";

  private static final String NAME = "name=";
  private static final String MAX_RUNNING = "max-running=";

  // A label value, since the client is recorded as a label on its tasks.
  private static final Pattern CLIENT_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private static final ApiClients NONE = new ApiClients(List.of());

  private final List<Key> keys;

  /**
   * One accepted key.
   *
   * @param maxRunning tasks of its client that may run at once; null for no limit
   */
  public record Key(String key, String client, Integer maxRunning) {
    @Override
    public String toString() {
      // The key is a secret: never in a log line or an exception.
      return "Key[client=" + client + ", maxRunning=" + maxRunning + "]";
    }
  }

  private ApiClients(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /** No keys: the API is open and everyone is one client. */
  public static ApiClients none() {
    return NONE;
  }

  /**
   * These key entries (see the class comment), each a client of its own unless it names one; blank
   * ones are skipped.
   *
   * @throws IllegalArgumentException for an entry that cannot be read, named by its position only
   */
  public static ApiClients of(List<String> entries) {
    List<Key> keys = new ArrayList<>();
    int index = 0;
    for (String entry : entries) {
      index++;
      Key key = parse(entry, null, "API key #" + index);
      if (key != null) {
        keys.add(key);
      }
    }
    return checked(keys);
  }

  public static ApiClients of(String... entries) {
    return of(List.of(entries));
  }

  /**
   * The entries of {@value #API_KEYS_ENV} and {@value #API_KEYS_FILE_ENV} together. A blank
   * variable counts as unset, but a named file that does not exist or holds no key is an error: a
   * typo must not leave the API open.
   *
   * @throws IllegalArgumentException when the file cannot be read, holds no key or an entry that
   *     cannot be read, or two entries give one client two limits
   */
  public static ApiClients fromEnv(Map<String, String> env) {
    List<Key> keys = new ArrayList<>();
    String inline = env.get(API_KEYS_ENV);
    if (inline != null) {
      int index = 0;
      for (String entry : inline.split(",")) {
        index++;
        Key key = parse(entry, null, API_KEYS_ENV + " entry #" + index);
        if (key != null) {
          keys.add(key);
        }
      }
    }
    String file = env.get(API_KEYS_FILE_ENV);
    if (file != null && !file.isBlank()) {
      List<Key> fromFile = readKeys(Path.of(file.strip()));
      if (fromFile.isEmpty()) {
        throw new IllegalArgumentException(API_KEYS_FILE_ENV + " " + file + " holds no API key");
      }
      keys.addAll(fromFile);
    }
    return checked(keys);
  }

  /**
   * The entries of a file, or of every file in a folder, each file's client named after it. Hidden
   * entries are skipped: a mounted Secret keeps its data behind {@code ..data} links, next to links
   * named after its keys.
   */
  static List<Key> readKeys(Path path) {
    try {
      if (Files.isDirectory(path)) {
        List<Key> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
          for (Path file :
              files
                  .filter(f -> !f.getFileName().toString().startsWith("."))
                  .filter(Files::isRegularFile)
                  .sorted()
                  .toList()) {
            keys.addAll(lines(file, file.getFileName().toString()));
          }
        }
        return keys;
      }
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(
            API_KEYS_FILE_ENV + " " + path + " is not a file or folder that can be read");
      }
      return lines(path, null);
    } catch (IOException e) {
      // The exception's message names the path only, never what the file holds.
      throw new IllegalArgumentException("could not read the API keys in " + path, e);
    }
  }

  private static List<Key> lines(Path file, String client) throws IOException {
    List<Key> keys = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      Key key = parse(lines.get(i), client, file + " line " + (i + 1));
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** One entry; null for a blank line or a comment. The key itself is never in a message. */
  private static Key parse(String entry, String defaultClient, String where) {
    String line = entry == null ? "" : entry.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    String[] fields = line.split("\\s+");
    String key = fields[0];
    if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(where + " holds a character other than visible ASCII");
    }
    String client = defaultClient;
    Integer maxRunning = null;
    for (int i = 1; i < fields.length; i++) {
      String field = fields[i];
      if (field.startsWith(NAME)) {
        client = field.substring(NAME.length());
      } else if (field.startsWith(MAX_RUNNING)) {
        maxRunning = maxRunning(field.substring(MAX_RUNNING.length()), where);
      } else {
        // Not echoed: a key with a space in it would show its second half here.
        throw new IllegalArgumentException(
            where
                + ": after the key, only name=<client> and max-running=<n> may follow, separated"
                + " by spaces");
      }
    }
    if (client == null) {
      client = "key-" + HexFormat.of().formatHex(sha256(key), 0, 4);
    }
    if (!CLIENT_NAME.matcher(client).matches()) {
      throw new IllegalArgumentException(
          where
              + ": the client name '"
              + client
              + "' must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a"
              + " letter or digit (it becomes a label of the client's tasks)");
    }
    return new Key(key, client, maxRunning);
  }

  private static int maxRunning(String value, String where) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Same message as a number out of range.
    }
    throw new IllegalArgumentException(
        where + ": max-running must be a whole number of at least 1, not '" + value + "'");
  }

  /** The keys, once each client has at most one limit. */
  private static ApiClients checked(List<Key> keys) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (Key key : keys) {
      if (key.maxRunning() == null) {
        continue;
      }
      Integer other = limits.putIfAbsent(key.client(), key.maxRunning());
      if (other != null && !other.equals(key.maxRunning())) {
        throw new IllegalArgumentException(
            "client "
                + key.client()
                + " has two limits, max-running="
                + other
                + " and max-running="
                + key.maxRunning());
      }
    }
    return keys.isEmpty() ? NONE : new ApiClients(keys);
  }

  public List<Key> keys() {
    return keys;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The client's limit of running tasks; empty for none (a client not named here has none). */
  public OptionalInt maxRunning(String client) {
    return keys.stream()
        .filter(key -> key.client().equals(client) && key.maxRunning() != null)
        .mapToInt(Key::maxRunning)
        .findFirst();
  }

  /** Each limited client and its limit. */
  public Map<String, Integer> limits() {
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (Key key : keys) {
      if (key.maxRunning() != null) {
        limits.put(key.client(), key.maxRunning());
      }
    }
    return limits;
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiClients clients && keys.equals(clients.keys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys);
  }

  @Override
  public String toString() {
    return "ApiClients[" + keys.size() + " key(s), limits " + limits() + "]";
  }
}
