package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.protocol.WorkReport.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ffmpeg ended by a signal becomes a failure: out of memory, killed, or crashed. */
class FfmpegKillsTest {
  @TempDir Path mount;

  @Test
  void onlyTheStandardSignalsCountAsSignals() {
    assertThat(FfmpegKills.signal(137)).isEqualTo(9);
    assertThat(FfmpegKills.signal(143)).isEqualTo(15);
    // ffmpeg's own exits: an error, a missing file, invalid data (ffmpeg 7's negative codes).
    assertThat(FfmpegKills.signal(1)).isZero();
    assertThat(FfmpegKills.signal(254)).isZero();
    assertThat(FfmpegKills.signal(183)).isZero();
    assertThat(FfmpegKills.signal(128)).isZero();
  }

  @Test
  void aKillWhileTheOomCounterRoseIsOutOfMemory() throws Exception {
    Files.writeString(mount.resolve("memory.max"), "67108864\n");

    StepFailedException failure =
        FfmpegKills.failure(9, OptionalLong.of(0), OptionalLong.of(1), new MemoryCgroup(mount));

    assertThat(failure.step()).isEqualTo(Step.OutOfMemory);
    assertThat(failure.getMessage()).isEqualTo("out of memory (limit 64Mi)");
  }

  @Test
  void aKillWithoutAnOomIsRetriedAsKilled() {
    MemoryCgroup cgroup = new MemoryCgroup(mount);

    for (OptionalLong after : new OptionalLong[] {OptionalLong.of(3), OptionalLong.empty()}) {
      StepFailedException failure = FfmpegKills.failure(9, OptionalLong.of(3), after, cgroup);
      assertThat(failure.step()).isEqualTo(Step.Killed);
      assertThat(failure.getMessage()).isEqualTo("ffmpeg was killed by signal 9 (SIGKILL)");
    }
    assertThat(FfmpegKills.failure(15, OptionalLong.empty(), OptionalLong.empty(), cgroup))
        .hasMessage("ffmpeg was killed by signal 15 (SIGTERM)");
  }

  @Test
  void aCrashIsAnFfmpegFailureNotRetried() {
    StepFailedException failure =
        FfmpegKills.failure(11, OptionalLong.of(0), OptionalLong.of(0), new MemoryCgroup(mount));

    assertThat(failure.step()).isEqualTo(Step.Ffmpeg);
    assertThat(failure.getMessage()).isEqualTo("ffmpeg crashed (signal 11, SIGSEGV)");
  }
}
