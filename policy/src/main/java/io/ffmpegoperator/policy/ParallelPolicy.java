package io.ffmpegoperator.policy;

import io.ffmpegoperator.settings.EnvSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a parallel task may be split: the most segments, read by the bridge and the operator from
 * {@value #MAX_SEGMENTS_ENV}, so both refuse the same tasks.
 *
 * @param maxSegments the most segments one task may ask for, and the most a segmentSeconds plan is
 *     cut into
 */
public record ParallelPolicy(int maxSegments) {
  public static final String MAX_SEGMENTS_ENV = "PARALLEL_MAX_SEGMENTS";
  public static final int DEFAULT_MAX_SEGMENTS = 32;

  /** The CRD schema's own ceiling; the configured maximum may not pass it. */
  public static final int SCHEMA_MAX_SEGMENTS = 256;

  /**
   * @throws IllegalArgumentException when the maximum is below 2 or above the schema's ceiling
   */
  public ParallelPolicy {
    if (maxSegments < 2 || maxSegments > SCHEMA_MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          MAX_SEGMENTS_ENV
              + " must be between 2 and "
              + SCHEMA_MAX_SEGMENTS
              + ", not "
              + maxSegments);
    }
  }

  public static ParallelPolicy defaults() {
    return new ParallelPolicy(DEFAULT_MAX_SEGMENTS);
  }

  /**
   * The maximum {@value #MAX_SEGMENTS_ENV} says, else {@value #DEFAULT_MAX_SEGMENTS}.
   *
   * @throws IllegalArgumentException naming the variable when it is malformed or out of range
   */
  public static ParallelPolicy fromEnv(EnvSettings env) {
    return new ParallelPolicy(env.integer(MAX_SEGMENTS_ENV, DEFAULT_MAX_SEGMENTS));
  }

  /**
   * What is wrong with asking for these segments, phrased for the user; empty when nothing is.
   * Exactly one of the two must be set.
   */
  public List<String> problems(Integer segments, Long segmentSeconds) {
    List<String> problems = new ArrayList<>();
    if ((segments == null) == (segmentSeconds == null)) {
      problems.add("parallel needs exactly one of segments and segment_seconds");
      return problems;
    }
    if (segments != null && (segments < 2 || segments > maxSegments)) {
      problems.add("parallel segments must be between 2 and " + maxSegments + ", not " + segments);
    }
    if (segmentSeconds != null && segmentSeconds < 1) {
      problems.add("parallel segment_seconds must be at least 1, not " + segmentSeconds);
    }
    return problems;
  }
}
