package io.ffmpegoperator.bridge.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.store.CacheHealth;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  @Test
  void readyWhenEveryCacheIsSyncedAndWatching() {
    Readiness readiness =
        new Readiness(
            () ->
                List.of(
                    new CacheHealth("FfmpegTask", true, true),
                    new CacheHealth("Video", true, true)));
    assertThat(readiness.problem()).isNull();
  }

  @Test
  void namesEachCacheThatIsNotReady() {
    Readiness readiness =
        new Readiness(
            () ->
                List.of(
                    new CacheHealth("FfmpegTask", true, true),
                    new CacheHealth("Video", false, false),
                    new CacheHealth("VideoJob", true, false)));
    assertThat(readiness.problem())
        .isEqualTo(
            "Not ready: Video cache not synced yet; VideoJob watch lost (API server"
                + " unreachable?)");
  }

  @Test
  void answers503WithTheReasonAsDetail() {
    ReadinessResource resource =
        new ReadinessResource(new Readiness(() -> List.of(new CacheHealth("Video", false, true))));
    var response = resource.ready();
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getEntity())
        .isEqualTo(new ErrorResponse("Not ready: Video cache not synced yet"));

    var ok = new ReadinessResource(new Readiness(List::of)).ready();
    assertThat(ok.getStatus()).isEqualTo(200);
    assertThat(ok.getEntity()).isEqualTo(new HealthResponse("ok"));
  }
}
