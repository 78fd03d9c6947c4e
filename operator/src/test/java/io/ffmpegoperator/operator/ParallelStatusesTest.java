package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.crds.ParallelPhase;
import io.ffmpegoperator.crds.ParallelStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParallelStatusesTest {
  private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  private static final Instant T1 = Instant.parse("2026-12-06T08:00:05Z");
  private static final Instant T2 = Instant.parse("2026-12-06T08:00:09Z");

  @Test
  void enteringAPhaseEndsTheOneBeforeAndWritesItsStartOnce() {
    ParallelStatus probe = ParallelStatuses.in(null, ParallelPhase.Probe, T0);
    ParallelStatus again = ParallelStatuses.in(probe, ParallelPhase.Probe, T1);
    ParallelStatus segments = ParallelStatuses.in(again, ParallelPhase.Segments, T1);

    assertThat(again.getPhases().get("Probe").getStartTime()).isEqualTo("2026-12-06T08:00:00Z");
    assertThat(segments.getPhase()).isEqualTo(ParallelPhase.Segments);
    assertThat(segments.getPhases()).containsOnlyKeys("Probe", "Segments");
    assertThat(segments.getPhases().get("Probe").getEndTime()).isEqualTo("2026-12-06T08:00:05Z");
    assertThat(segments.getPhases().get("Segments").getEndTime()).isNull();
    // The input is never changed: statuses are compared to decide whether to write.
    assertThat(probe.getPhases().get("Probe").getEndTime()).isNull();
  }

  @Test
  void aRunNeverGoesBackToAPhaseItHasPassed() {
    ParallelStatus join =
        ParallelStatuses.in(
            ParallelStatuses.in(null, ParallelPhase.Segments, T0), ParallelPhase.Join, T1);

    ParallelStatus asked = ParallelStatuses.in(join, ParallelPhase.Probe, T2);

    assertThat(asked.getPhase()).isEqualTo(ParallelPhase.Join);
    assertThat(asked.getPhases()).containsOnlyKeys("Segments", "Join");
  }

  @Test
  void doneEndsTheLastPhaseWithoutStartingOne() {
    ParallelStatus done =
        ParallelStatuses.in(
            ParallelStatuses.in(null, ParallelPhase.Store, T0), ParallelPhase.Done, T1);

    assertThat(done.getPhases()).containsOnlyKeys("Store");
    assertThat(done.getPhases().get("Store").getEndTime()).isEqualTo("2026-12-06T08:00:05Z");
  }

  @Test
  void childrenAreListedOnceWithTheirRoles() {
    ParallelStatus status =
        ParallelStatuses.withChildren(
            ParallelStatuses.withChildren(null, "probe", List.of("t-probe")),
            "segment",
            List.of("t-seg-0", "t-seg-1"));

    assertThat(ParallelStatuses.withChildren(status, "probe", List.of("t-probe")).getChildren())
        .containsExactly(
            Map.entry("t-probe", "probe"),
            Map.entry("t-seg-0", "segment"),
            Map.entry("t-seg-1", "segment"));
  }

  @Test
  void progressWeighsSegmentsByTheirFramesAndTheAudioAsAnAverageSegment() {
    assertThat(ParallelStatuses.progress(false, List.of(), List.of(), -1, 0)).isZero();
    assertThat(ParallelStatuses.progress(true, List.of(0, 0), List.of(10L, 30L), -1, 0))
        .isEqualTo(ParallelStatuses.PROBE_SHARE);
    // The big segment done, the small one not: three quarters of the segments' share.
    assertThat(ParallelStatuses.progress(true, List.of(0, 100), List.of(10L, 30L), -1, 0))
        .isEqualTo(ParallelStatuses.PROBE_SHARE + ParallelStatuses.SEGMENTS_SHARE * 3 / 4);
    // With audio not started, two of three equal parts are done.
    assertThat(ParallelStatuses.progress(true, List.of(100, 100), List.of(20L, 20L), 0, 0))
        .isEqualTo(ParallelStatuses.PROBE_SHARE + ParallelStatuses.SEGMENTS_SHARE * 2 / 3);
    assertThat(ParallelStatuses.progress(true, List.of(100, 100), List.of(20L, 20L), 100, 100))
        .isEqualTo(100);
  }
}
