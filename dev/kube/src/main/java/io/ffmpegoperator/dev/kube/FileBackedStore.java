package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Keeps each API object as one JSON file whose place mirrors its REST path ({@code
 * apis/batch/v1/namespaces/default/jobs/x.json}), so the state folder can be read by eye.
 */
final class FileBackedStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";

  /** One object read back from disk. */
  record StoredObject(ResourcePath path, String json) {
    /** The object parsed; an empty object if its text is not JSON. */
    JsonNode tree() {
      try {
        return JSON.readTree(json);
      } catch (JsonProcessingException e) {
        return JSON.createObjectNode();
      }
    }
  }

  /**
   * The highest resourceVersion and uid counter of objects that were removed: with those of the
   * objects still stored, the highest ever issued, so that a restart never issues one again.
   */
  record Issued(long resourceVersion, long uid) {
    Issued max(Issued other) {
      return new Issued(Math.max(resourceVersion, other.resourceVersion), Math.max(uid, other.uid));
    }

    /** The resourceVersion and the mock's uid counter value an object holds. */
    static Issued of(String json) {
      try {
        JsonNode metadata = JSON.readTree(json).path("metadata");
        long resourceVersion = Long.parseLong(metadata.path("resourceVersion").asText("0"));
        UUID uid = UUID.fromString(metadata.path("uid").asText());
        // Only the mock's own uids (0-...-n) count; others cannot collide with its counter.
        return new Issued(
            resourceVersion, uid.getMostSignificantBits() == 0 ? uid.getLeastSignificantBits() : 0);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        return new Issued(0, 0);
      }
    }
  }

  private final Path root;
  private final Path issuedFile;

  /** Objects go to {@code stateDir/objects}, the counters to {@code stateDir/issued}. */
  FileBackedStore(Path stateDir) {
    this.root = stateDir.resolve("objects");
    this.issuedFile = stateDir.resolve("issued");
  }

  Issued loadIssued() {
    try {
      if (!Files.exists(issuedFile)) {
        return new Issued(0, 0);
      }
      String[] values = Files.readString(issuedFile, StandardCharsets.UTF_8).trim().split("\\s+");
      return new Issued(Long.parseLong(values[0]), Long.parseLong(values[1]));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + issuedFile, e);
    }
  }

  void saveIssued(Issued issued) {
    write(issuedFile, issued.resourceVersion() + " " + issued.uid() + "\n");
  }

  /** Replaces the object's file; a crash mid-write leaves the old file, never half a new one. */
  void put(ResourcePath path, String json) {
    write(fileOf(path), json);
  }

  private static void write(Path file, String content) {
    Path temp = file.resolveSibling("." + file.getFileName() + TEMP_SUFFIX);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  void remove(ResourcePath path) {
    try {
      Files.deleteIfExists(fileOf(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + path.itemPath(), e);
    }
  }

  /** Every stored object; temp files left by a crash are deleted. */
  List<StoredObject> loadAll() {
    List<StoredObject> objects = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return objects;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(file);
          continue;
        }
        if (!name.endsWith(SUFFIX)) {
          continue;
        }
        String relative = root.relativize(file).toString().replace('\\', '/');
        String itemPath = "/" + relative.substring(0, relative.length() - SUFFIX.length());
        var path = ResourcePath.parse(itemPath);
        if (path.isPresent()) {
          objects.add(new StoredObject(path.get(), Files.readString(file, StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root, e);
    }
    return objects;
  }

  private Path fileOf(ResourcePath path) {
    Path file = root.resolve(path.itemPath().substring(1) + SUFFIX).normalize();
    // The mock does not validate names; a name like ".." must not write outside the folder.
    if (!file.startsWith(root.normalize())) {
      throw new IllegalArgumentException("invalid object path " + path.itemPath());
    }
    return file;
  }
}
