package io.ffmpegoperator.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegBinariesTest {
  @TempDir Path dir;

  @Test
  void explicitPathsWin() {
    FfmpegBinaries binaries =
        FfmpegBinaries.fromEnv(
            Map.of(
                "FFMPEG_PATH", "/opt/ff/ffmpeg", "FFPROBE_PATH", "/opt/ff/ffprobe", "PATH", "/x"));
    assertThat(binaries)
        .isEqualTo(new FfmpegBinaries(Path.of("/opt/ff/ffmpeg"), Path.of("/opt/ff/ffprobe")));
  }

  @Test
  void searchesPathForExecutables() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path ffmpeg = script(bin.resolve("ffmpeg"), "exit 0");
    Files.writeString(bin.resolve("ffprobe"), "not executable");

    FfmpegBinaries binaries = FfmpegBinaries.fromEnv(Map.of("PATH", empty + ":" + bin));

    assertThat(binaries.ffmpeg()).isEqualTo(ffmpeg);
    assertThat(binaries.ffprobe()).isEqualTo(Path.of("ffprobe"));
  }

  @Test
  void installedMeansVersionExitsZero() throws Exception {
    Path good = script(dir.resolve("good"), "echo ffmpeg version 7; exit 0");
    Path bad = script(dir.resolve("bad"), "exit 1");
    assertThat(new FfmpegBinaries(good, good).ffmpegInstalled()).isTrue();
    assertThat(new FfmpegBinaries(bad, bad).ffmpegInstalled()).isFalse();
    Path missing = dir.resolve("missing");
    assertThat(new FfmpegBinaries(missing, missing).ffmpegInstalled()).isFalse();
    assertThat(new FfmpegBinaries(bad, good).ffprobeInstalled()).isTrue();
    assertThat(new FfmpegBinaries(good, bad).ffprobeInstalled()).isFalse();
  }

  private static Path script(Path path, String body) throws Exception {
    Files.writeString(path, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }
}
