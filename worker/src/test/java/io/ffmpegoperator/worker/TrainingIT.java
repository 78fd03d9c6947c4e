package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker image's build trains its class archive with this run: it must succeed, offline. */
class TrainingIT {
  @Test
  void theTrainingRunSucceedsWithNothingButFfmpeg() throws Exception {
    FfmpegBinaries ffmpeg = TestingFfmpeg.binaries();
    int exit =
        Training.run(
            Map.of(
                FfmpegBinaries.FFMPEG_PATH, ffmpeg.ffmpeg().toString(),
                FfmpegBinaries.FFPROBE_PATH, ffmpeg.ffprobe().toString()));
    assertThat(exit).isEqualTo(WorkerExitCodes.OK);
  }
}
