package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker class archive cache: each build adds an archive, and only the newest are kept. */
class LocalWorkerJvmTest {
  @TempDir Path cache;

  @Test
  void keepsTheNewestArchivesAndTouchesNothingElse() throws IOException {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    for (int age = 0; age < 6; age++) {
      Path archive = Files.writeString(cache.resolve("worker-" + age + "a.jsa"), "x");
      Files.setLastModifiedTime(archive, FileTime.from(now.minusSeconds(3600L * age)));
    }
    Path other = Files.writeString(cache.resolve("notes.txt"), "kept");
    Files.setLastModifiedTime(other, FileTime.from(now.minusSeconds(86_400)));
    Files.createDirectory(cache.resolve("training-123"));

    LocalWorkerJvm.pruneArchives(cache);

    assertThat(names())
        .containsExactlyInAnyOrder(
            "worker-0a.jsa", "worker-1a.jsa", "worker-2a.jsa", "notes.txt", "training-123");
  }

  @Test
  void anEmptyOrMissingCacheIsNoError() throws IOException {
    LocalWorkerJvm.pruneArchives(cache);
    LocalWorkerJvm.pruneArchives(cache.resolve("missing"));
    assertThat(names()).isEmpty();
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
