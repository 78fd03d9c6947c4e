package io.ffmpegoperator.bridge.http;

import java.util.List;

/**
 * Integer query and path parameters read as FastAPI reads them, so a bad one gets FastAPI's 422
 * list rather than Jersey's bare 404 (which is what a failed {@code @QueryParam int} gives).
 */
public final class QueryParams {
  private QueryParams() {}

  /** A required integer; {@code where} is FastAPI's location, "query" or "path". */
  public static long requiredInt(String where, String name, String raw) {
    if (raw == null) {
      throw ApiException.validation(List.of(ValidationError.missing(List.of(where, name), null)));
    }
    return parse(where, name, raw);
  }

  /** An optional integer that must be at least 0. */
  public static long nonNegativeInt(String name, String raw, long defaultValue) {
    if (raw == null) {
      return defaultValue;
    }
    long value = parse("query", name, raw);
    if (value < 0) {
      throw ApiException.validation(
          List.of(ValidationError.greaterThanEqual(List.of("query", name), raw, 0)));
    }
    return value;
  }

  /** An optional boolean as pydantic reads one: true/false, 1/0, yes/no, on/off. */
  public static boolean bool(String name, String raw, boolean defaultValue) {
    if (raw == null) {
      return defaultValue;
    }
    switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on", "t", "y":
        return true;
      case "false", "0", "no", "off", "f", "n":
        return false;
      default:
        throw ApiException.validation(
            List.of(ValidationError.boolParsing(List.of("query", name), raw)));
    }
  }

  private static long parse(String where, String name, String raw) {
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiException.validation(List.of(ValidationError.intParsing(List.of(where, name), raw)));
    }
  }
}
