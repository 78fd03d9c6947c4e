package io.ffmpegoperator.worker;

import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Timeouts and pacing of the worker's network calls and reports, and where it reads its memory
 * cgroup.
 *
 * @param connectTimeout to open any HTTP connection
 * @param transferTimeout for the whole fetch of one input or upload of one output
 * @param reportTimeout for one report write
 * @param reportInterval least time between two progress reports
 * @param hintDelay how long a phase or progress report waits before it is written: one that a newer
 *     report replaces meanwhile is never written, so a small task's phases, over in milliseconds,
 *     cost no writes (the operator reads reports once a second anyway)
 * @param finalReportAttempts tries of the final report before giving up
 * @param finalReportBackoff wait between two tries of the final report
 * @param probeTimeout for one ffprobe run
 * @param warmPatience how long a warm worker keeps asking for its order without a 200 or 204
 * @param warmFirstPause wait before a warm worker asks again after a failed ask
 * @param warmMaxPause longest wait between two failed asks (the wait doubles up to it)
 * @param cgroupMount where the pod's cgroups are mounted ({@link MemoryCgroup}), to tell an OOM
 *     kill of ffmpeg from other kills
 */
record WorkerSettings(
    Duration connectTimeout,
    Duration transferTimeout,
    Duration reportTimeout,
    Duration reportInterval,
    Duration hintDelay,
    int finalReportAttempts,
    Duration finalReportBackoff,
    Duration probeTimeout,
    Duration warmPatience,
    Duration warmFirstPause,
    Duration warmMaxPause,
    Path cgroupMount) {

  /** What a worker pod uses; the Job's deadline bounds the whole run anyway. */
  static WorkerSettings defaults() {
    return new WorkerSettings(
        Duration.ofSeconds(10),
        Duration.ofHours(1),
        Duration.ofSeconds(15),
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        4,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(WarmWorkerProtocol.PATIENCE_SECONDS),
        Duration.ofMillis(250),
        Duration.ofSeconds(2),
        MemoryCgroup.MOUNT);
  }
}
