package io.ffmpegoperator.settings;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Settings read from environment variables, as the Helm chart and {@code make run} set them. An
 * unset or blank variable means its default; a malformed one is an {@link IllegalArgumentException}
 * that names the variable and what it should hold, so a bad value stops a process at its start with
 * a line that says which to fix.
 */
public final class EnvSettings {
  private final Map<String, String> env;

  private EnvSettings(Map<String, String> env) {
    this.env = env;
  }

  /** Reads from {@code env}, usually {@code System.getenv()}. */
  public static EnvSettings of(Map<String, String> env) {
    return new EnvSettings(env);
  }

  /** The trimmed value, or null when unset or blank. */
  public String string(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The trimmed value, or {@code fallback} when unset or blank. */
  public String string(String name, String fallback) {
    String value = string(name);
    return value == null ? fallback : value;
  }

  public int integer(String name, int fallback) {
    return parsed(name, fallback, Integer::valueOf, "a whole number");
  }

  public long number(String name, long fallback) {
    return parsed(name, fallback, Long::valueOf, "a whole number");
  }

  /** {@code true} or {@code false}, in any case. */
  public boolean bool(String name, boolean fallback) {
    return parsed(name, fallback, EnvSettings::strictBoolean, "true or false");
  }

  /** {@code true} or {@code false}, in any case; null when unset, for "not said". */
  public Boolean flag(String name) {
    return parsed(name, null, EnvSettings::strictBoolean, "true or false");
  }

  /** A whole number of seconds. */
  public Duration seconds(String name, Duration fallback) {
    return parsed(name, fallback, value -> Duration.ofSeconds(Long.parseLong(value)), "seconds");
  }

  /** A comma-separated list, its items trimmed, the empty ones dropped; empty when unset. */
  public Set<String> list(String name) {
    String value = string(name);
    return value == null
        ? Set.of()
        : Arrays.stream(value.split(","))
            .map(String::trim)
            .filter(item -> !item.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** The value read by {@code parse}; {@code fallback} when unset or blank. */
  public <T> T parsed(String name, T fallback, Function<String, T> parse, String what) {
    String value = string(name);
    if (value == null) {
      return fallback;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be " + what + ", got '" + value + "'", e);
    }
  }

  private static boolean strictBoolean(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(value);
    };
  }
}
