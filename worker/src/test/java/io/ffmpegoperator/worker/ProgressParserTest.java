package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressParserTest {

  @Test
  void percentFollowsOutputTimeAndStaysBelowHundredUntilTheEnd() {
    ProgressParser parser = new ProgressParser(2.0);
    parser.accept("out_time_us=N/A");
    assertThat(parser.percent()).isZero();
    parser.accept("out_time_us=500000");
    assertThat(parser.percent()).isEqualTo(25);
    parser.accept("out_time_ms=1500000"); // microseconds despite its name
    assertThat(parser.percent()).isEqualTo(75);
    parser.accept("out_time_us=2400000");
    assertThat(parser.percent()).isEqualTo(99);
    parser.accept("progress=continue");
    assertThat(parser.ended()).isFalse();
    parser.accept("progress=end");
    assertThat(parser.ended()).isTrue();
    assertThat(parser.percent()).isEqualTo(100);
  }

  @Test
  void negativeTimesAndNoiseAreHarmless() {
    ProgressParser parser = new ProgressParser(10);
    parser.accept("out_time_us=-23220");
    parser.accept("bitrate=  24.8kbits/s");
    parser.accept("garbage without equals");
    parser.accept("out_time_us=12abc");
    assertThat(parser.percent()).isZero();
  }

  @Test
  void unknownDurationWaitsForTheEnd() {
    ProgressParser parser = new ProgressParser(0);
    parser.accept("out_time_us=5000000");
    assertThat(parser.percent()).isZero();
    parser.accept("progress=end");
    assertThat(parser.percent()).isEqualTo(100);
  }
}
