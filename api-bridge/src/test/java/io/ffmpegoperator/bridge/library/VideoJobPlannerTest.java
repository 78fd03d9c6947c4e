package io.ffmpegoperator.bridge.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.library.EncoderCatalog.Encoder;
import io.ffmpegoperator.bridge.library.EncoderCatalog.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How an encode request's codec fields become encoders, on the bundled ffmpeg 7.1's listing. */
class VideoJobPlannerTest {
  private static EncoderCatalog catalog;

  @BeforeAll
  static void parse() throws IOException {
    try (InputStream in =
        VideoJobPlannerTest.class.getResourceAsStream("/ffmpeg/encoders-7.1.txt")) {
      catalog = EncoderCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static String encoder(String name, Kind kind) {
    return VideoJobPlanner.encoderOf(catalog, name, kind).name();
  }

  private static String refusal(String name, Kind kind) {
    ApiException e =
        catchThrowableOfType(
            () -> VideoJobPlanner.encoderOf(catalog, name, kind), ApiException.class);
    assertThat(e).as(name).isNotNull();
    return e.status() + " " + e.getMessage();
  }

  @Test
  void encoderNamesAreTakenAsTheyAre() {
    assertThat(encoder("libx264", Kind.VIDEO)).isEqualTo("libx264");
    assertThat(encoder("libx264rgb", Kind.VIDEO)).isEqualTo("libx264rgb");
    assertThat(encoder("libopenh264", Kind.VIDEO)).isEqualTo("libopenh264");
    assertThat(encoder("aac", Kind.AUDIO)).isEqualTo("aac");
  }

  @Test
  void codecNamesResolveToTheirUsualEncoder() {
    assertThat(VideoJobPlanner.encoderOf(catalog, "h264", Kind.VIDEO))
        .isEqualTo(new Encoder("libx264", Kind.VIDEO, false, "h264"));
    assertThat(encoder("hevc", Kind.VIDEO)).isEqualTo("libx265");
    assertThat(encoder("vp9", Kind.VIDEO)).isEqualTo("libvpx-vp9");
    assertThat(encoder("mp3", Kind.AUDIO)).isEqualTo("libmp3lame");
    // "opus" names an experimental encoder too; the codec's usable one wins.
    assertThat(encoder("opus", Kind.AUDIO)).isEqualTo("libopus");
  }

  @Test
  void namesNoUsableEncoderWritesAreRefusedAsBefore() {
    assertThat(refusal("libx999", Kind.VIDEO)).contains("400").contains("not an encoder of FFmpeg");
    assertThat(refusal("h265", Kind.VIDEO)).contains("not an encoder of FFmpeg");
    assertThat(refusal("h264_nvenc", Kind.VIDEO)).contains("not an encoder of FFmpeg");
    assertThat(refusal("h264", Kind.AUDIO)).contains("not an audio encoder");
    assertThat(refusal("aac", Kind.VIDEO)).contains("not a video encoder");
    assertThat(refusal("libx264", Kind.AUDIO)).contains("not an audio encoder");
    assertThat(refusal("vorbis", Kind.AUDIO)).contains("experimental");
  }
}
