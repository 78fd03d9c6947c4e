package io.ffmpegoperator.bridge.http;

import java.util.List;
import java.util.Map;

/**
 * Integer query and path parameters read as FastAPI reads them, so a bad one gets FastAPI's 422
 * list rather than Jersey's bare 404 (which is what a failed {@code @QueryParam int} gives).
 */
public final class QueryParams {
  private QueryParams() {}

  /** A required integer; {@code where} is FastAPI's location, "query" or "path". */
  public static long requiredInt(String where, String name, String raw) {
    if (raw == null) {
      throw ApiException.validation(List.of(JsonBody.missing(List.of(where, name), null)));
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
          List.of(
              new ValidationError(
                  "greater_than_equal",
                  List.of("query", name),
                  "Input should be greater than or equal to 0",
                  raw,
                  Map.of("ge", 0))));
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
            List.of(
                new ValidationError(
                    "bool_parsing",
                    List.of("query", name),
                    "Input should be a valid boolean, unable to interpret input",
                    raw,
                    null)));
    }
  }

  private static long parse(String where, String name, String raw) {
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiException.validation(List.of(JsonBody.intParsing(List.of(where, name), raw)));
    }
  }
}
