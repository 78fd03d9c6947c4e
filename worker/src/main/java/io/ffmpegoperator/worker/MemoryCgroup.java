package io.ffmpegoperator.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The memory cgroup the worker's container runs in, as the kernel shows it under the cgroup mount:
 * how many processes its OOM killer has killed, and its memory limit. cgroup v2 keeps both at the
 * mount's top ({@code memory.events}, {@code memory.max}), v1 under {@code memory/} ({@code
 * memory.oom_control}, {@code memory.limit_in_bytes}); whichever is there is read.
 */
final class MemoryCgroup {
  /** Where a container sees its own cgroups. */
  static final Path MOUNT = Path.of("/sys/fs/cgroup");

  /**
   * v1 has no "max": an unlimited cgroup holds the largest page-aligned count its counters take
   * (9223372036854771712 on 4 KiB pages). No real limit comes near this.
   */
  private static final long V1_UNLIMITED = 1L << 62;

  private final Path mount;

  /** The cgroup mounted at {@code mount}. */
  MemoryCgroup(Path mount) {
    this.mount = mount;
  }

  /**
   * How many times the OOM killer has killed a process of this cgroup so far; empty where the
   * kernel does not count it (no memory cgroup, a v1 kernel older than 4.13) or it cannot be read.
   */
  OptionalLong oomKills() {
    Path v2 = mount.resolve("memory.events");
    Path v1 = mount.resolve("memory/memory.oom_control");
    return keyed(Files.exists(v2) ? v2 : v1, "oom_kill");
  }

  /** The memory limit in bytes; empty when there is none or it cannot be read. */
  OptionalLong limitBytes() {
    Path v2 = mount.resolve("memory.max");
    String text = read(Files.exists(v2) ? v2 : mount.resolve("memory/memory.limit_in_bytes"));
    if (text == null || text.equals("max")) {
      return OptionalLong.empty();
    }
    try {
      long bytes = Long.parseLong(text);
      return bytes >= V1_UNLIMITED ? OptionalLong.empty() : OptionalLong.of(bytes);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** What the task's message says of an OOM kill: {@code out of memory (limit 64Mi)}. */
  String outOfMemoryMessage() {
    OptionalLong limit = limitBytes();
    return "out of memory ("
        + (limit.isPresent() ? "limit " + quantity(limit.getAsLong()) : "no limit")
        + ")";
  }

  /**
   * {@code bytes} as a Kubernetes quantity, as a pod's limit would be written: in the binary (Gi,
   * Mi, Ki) or decimal (G, M, k) unit that divides it into the smallest number, else plain bytes.
   */
  static String quantity(long bytes) {
    String[] units = {"Gi", "G", "Mi", "M", "Ki", "k"};
    long[] sizes = {1L << 30, 1_000_000_000L, 1L << 20, 1_000_000L, 1L << 10, 1_000L};
    String best = Long.toString(bytes);
    long smallest = bytes;
    for (int i = 0; i < units.length; i++) {
      if (bytes > 0 && bytes % sizes[i] == 0 && bytes / sizes[i] < smallest) {
        smallest = bytes / sizes[i];
        best = smallest + units[i];
      }
    }
    return best;
  }

  /** The number after {@code key} in a file of "key value" lines, as the kernel writes them. */
  private static OptionalLong keyed(Path file, String key) {
    String text = read(file);
    if (text == null) {
      return OptionalLong.empty();
    }
    for (String line : text.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 2 && fields[0].equals(key)) {
        try {
          return OptionalLong.of(Long.parseLong(fields[1]));
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return null;
    }
  }
}
