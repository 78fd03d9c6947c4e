package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventExpiryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCoreEventWasLastSeenAtItsLatestTime() throws Exception {
    String event =
        """
        {"metadata": {"creationTimestamp": "2026-01-01T10:00:00Z"},
         "firstTimestamp": "2026-01-01T10:00:00Z", "lastTimestamp": "2026-01-01T10:20:00Z"}
        """;
    assertThat(EventExpiry.lastSeen(JSON.readTree(event)))
        .contains(Instant.parse("2026-01-01T10:20:00Z"));
  }

  @Test
  void anEventsApiEventCountsItsSeriesInMicroseconds() throws Exception {
    String event =
        """
        {"metadata": {"creationTimestamp": "2026-01-01T10:00:00Z"},
         "eventTime": "2026-01-01T10:00:00.000001Z",
         "series": {"count": 3, "lastObservedTime": "2026-01-01T10:30:00.250000+00:00"}}
        """;
    assertThat(EventExpiry.lastSeen(JSON.readTree(event)))
        .contains(Instant.parse("2026-01-01T10:30:00.25Z"));
  }

  @Test
  void anEventWithoutTimesHasNone() throws Exception {
    assertThat(EventExpiry.lastSeen(JSON.readTree("{\"lastTimestamp\": \"yesterday\"}"))).isEmpty();
  }
}
