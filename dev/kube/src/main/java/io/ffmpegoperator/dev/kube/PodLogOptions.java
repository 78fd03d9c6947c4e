package io.ffmpegoperator.dev.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The query of {@code GET .../pods/<name>/log} (the API server's {@code PodLogOptions}), read and
 * checked as the API server reads and checks it.
 *
 * @param container the container asked for, null for the pod's only one
 * @param since the time the first line may be written at (sinceSeconds or sinceTime), or null
 * @param tailLines how many of the last lines, null for all
 * @param limitBytes the most bytes to answer with, null for no limit
 */
record PodLogOptions(
    String container,
    boolean follow,
    boolean previous,
    boolean timestamps,
    Instant since,
    Long tailLines,
    Long limitBytes) {

  /**
   * The options of {@code query}, or why the API server refuses them: 400 for a value it cannot
   * decode, 422 {@code Invalid} for one its validation refuses.
   */
  static Parsed parse(Map<String, String> query, String pod, Instant now) {
    Long tailLines;
    Long limitBytes;
    Long sinceSeconds;
    Instant sinceTime;
    try {
      tailLines = integer(query, "tailLines");
      limitBytes = integer(query, "limitBytes");
      sinceSeconds = integer(query, "sinceSeconds");
      sinceTime = time(query.get("sinceTime"));
    } catch (IllegalArgumentException e) {
      return new Parsed(null, ApiStatus.failure(400, "BadRequest", e.getMessage()));
    }
    // ValidatePodLogOptions, in its order; the first error is reported.
    String invalid = null;
    if (tailLines != null && tailLines < 0) {
      invalid = "tailLines: Invalid value: " + tailLines + ": must be greater than or equal to 0";
    } else if (limitBytes != null && limitBytes < 1) {
      invalid = "limitBytes: Invalid value: " + limitBytes + ": must be greater than 0";
    } else if (sinceSeconds != null && sinceTime != null) {
      invalid = ": Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified";
    } else if (sinceSeconds != null && sinceSeconds < 1) {
      invalid = "sinceSeconds: Invalid value: " + sinceSeconds + ": must be greater than 0";
    }
    if (invalid != null) {
      return new Parsed(
          null,
          ApiStatus.failure(
              422, "Invalid", "PodLogOptions \"" + pod + "\" is invalid: " + invalid));
    }
    String container = query.get("container");
    return new Parsed(
        new PodLogOptions(
            container == null || container.isEmpty() ? null : container,
            QueryParams.isTrue(query.get("follow")),
            QueryParams.isTrue(query.get("previous")),
            QueryParams.isTrue(query.get("timestamps")),
            sinceSeconds != null ? now.minusSeconds(sinceSeconds) : sinceTime,
            tailLines,
            limitBytes),
        null);
  }

  /** Options, or the answer refusing them. */
  record Parsed(PodLogOptions options, MockResponse refusal) {
    Optional<MockResponse> refused() {
      return Optional.ofNullable(refusal);
    }
  }

  private static Long integer(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      // What Go's strconv says, which the API server passes on.
      throw new IllegalArgumentException(
          "strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
    }
  }

  private static Instant time(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "parsing time \"" + value + "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse");
    }
  }
}
