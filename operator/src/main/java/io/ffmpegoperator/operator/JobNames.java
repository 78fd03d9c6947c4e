package io.ffmpegoperator.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names of the objects the operator creates, so a restart finds what it made before
 * instead of making it twice.
 */
final class JobNames {
  /** Job names end up in pod labels, whose values are limited to 63 characters. */
  static final int MAX_LENGTH = 63;

  private static final String PREFIX = "fft-";

  private JobNames() {}

  /** The Job of a task: {@code fft-<task>}, shortened with a hash when too long. */
  static String forTask(String taskName) {
    String name = PREFIX + taskName;
    if (name.length() <= MAX_LENGTH) {
      return name;
    }
    String hash = sha256Hex(taskName).substring(0, 10);
    String head = name.substring(0, MAX_LENGTH - hash.length() - 1).replaceAll("[-.]+$", "");
    return head + "-" + hash;
  }

  /** A label value for the task's name, or its hash when the name is too long for a label. */
  static String labelValue(String taskName) {
    return taskName.length() <= MAX_LENGTH ? taskName : sha256Hex(taskName).substring(0, 40);
  }

  private static String sha256Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
