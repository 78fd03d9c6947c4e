package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.bridge.VideoApiFixture.Answer;
import io.ffmpegoperator.bridge.VideoApiFixture.Part;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload larger than the heap goes through: parts are streamed to disk, never held whole in
 * memory. The integration tests of this module run with a 384 MiB heap (see the pom) and this one
 * uploads 512 MiB; {@code -Dlarge.upload.mb=1024} tries a full gigabyte.
 */
class LargeUploadIT {
  @TempDir Path dir;

  @Test
  void uploadsAFileLargerThanTheHeap() throws Exception {
    long megabytes = Long.getLong("large.upload.mb", 512);
    assertThat(megabytes << 20).isGreaterThan(Runtime.getRuntime().maxMemory());
    try (VideoApiFixture fx = VideoApiFixture.start(dir, BridgeConfig.DEFAULT_EXECUTE_TIMEOUT)) {
      Path big = padWithFreeBox(fx.clip("big.mp4", 1, 160, 120, 10, false), megabytes << 20);

      Answer answer = fx.upload(Part.of(big));

      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      String key =
          answer.json().get(0).get("original_file_path").asText().replace("./storage/", "");
      assertThat(fx.storage.size(key)).contains(Files.size(big));
      System.out.printf(
          "Uploaded %d MiB with a max heap of %d MiB%n",
          Files.size(big) >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  /** Appends an MP4 {@code free} box: a valid file of any size that ffprobe still reads. */
  private static Path padWithFreeBox(Path mp4, long bytes) throws Exception {
    long size = Math.min(bytes, 0xFFFF_FFF0L);
    try (OutputStream out = Files.newOutputStream(mp4, StandardOpenOption.APPEND)) {
      out.write(ByteBuffer.allocate(8).putInt((int) size).put("free".getBytes()).array());
      byte[] zeros = new byte[1 << 20];
      for (long left = size - 8; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(left, zeros.length));
      }
    }
    return mp4;
  }
}
