package io.ffmpegoperator.dev.stack;

import io.ffmpegoperator.dev.ffmpeg.TestClips;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.storage.S3Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real clip stored in the stack's own bucket, so the README's first task works offline: 5 s of
 * 640x360 test pattern with a tone, H.264 and AAC, a keyframe every second.
 */
final class SampleMedia {
  static final String KEY = "samples/sample.mp4";

  /** Frames: one second, so examples/parallel-ffmpegtask.yaml has keyframes to cut on. */
  private static final int KEYFRAME_EVERY = 25;

  private SampleMedia() {}

  /** Stores the sample unless it is already there. */
  static void ensure(S3Storage storage, FfmpegBinaries ffmpeg, Path scratch) throws IOException {
    if (storage.size(KEY).isPresent()) {
      return;
    }
    Files.createDirectories(scratch);
    Path clip =
        TestClips.make(
            ffmpeg.ffmpeg(), scratch.resolve("sample.mp4"), 5, 640, 360, 25, true, KEYFRAME_EVERY);
    storage.put(KEY, clip);
    Files.delete(clip);
  }
}
