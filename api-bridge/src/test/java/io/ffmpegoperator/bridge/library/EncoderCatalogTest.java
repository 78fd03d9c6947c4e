package io.ffmpegoperator.bridge.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.bridge.library.EncoderCatalog.Encoder;
import io.ffmpegoperator.bridge.library.EncoderCatalog.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On the real listing of the bundled ffmpeg 7.1 ({@code ffmpeg -hide_banner -encoders}). */
class EncoderCatalogTest {
  private static EncoderCatalog catalog;

  @BeforeAll
  static void parse() throws IOException {
    try (InputStream in =
        EncoderCatalogTest.class.getResourceAsStream("/ffmpeg/encoders-7.1.txt")) {
      catalog = EncoderCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void mapsEncodersToTheCodecsFfprobeNames() {
    assertThat(catalog.find("libx264")).contains(new Encoder("libx264", Kind.VIDEO, false, "h264"));
    assertThat(catalog.find("libx265").map(Encoder::codec)).contains("hevc");
    assertThat(catalog.find("libvpx-vp9").map(Encoder::codec)).contains("vp9");
    assertThat(catalog.find("libvpx").map(Encoder::codec)).contains("vp8");
    assertThat(catalog.find("mpeg4")).contains(new Encoder("mpeg4", Kind.VIDEO, false, "mpeg4"));
    assertThat(catalog.find("aac")).contains(new Encoder("aac", Kind.AUDIO, false, "aac"));
    assertThat(catalog.find("libmp3lame").map(Encoder::codec)).contains("mp3");
    assertThat(catalog.find("libopus").map(Encoder::codec)).contains("opus");
    assertThat(catalog.find("srt").map(Encoder::kind)).contains(Kind.SUBTITLE);
  }

  @Test
  void marksExperimentalEncoders() {
    assertThat(catalog.find("opus").map(Encoder::experimental)).contains(true);
    assertThat(catalog.find("vorbis").map(Encoder::experimental)).contains(true);
  }

  @Test
  void leavesOutTheLegendUnknownNamesAndHardwareEncoders() {
    assertThat(catalog.find("V.....")).isEmpty();
    assertThat(catalog.find("=")).isEmpty();
    assertThat(catalog.find("libx999")).isEmpty();
    assertThat(catalog.find("h264_nvenc")).isEmpty();
    assertThat(catalog.find("hevc_vaapi")).isEmpty();
    assertThat(catalog.size()).isGreaterThan(100);
  }

  @Test
  void findsTheUsualEncoderOfACodec() {
    assertThat(catalog.forCodec("h264", Kind.VIDEO).map(Encoder::name)).contains("libx264");
    assertThat(catalog.forCodec("hevc", Kind.VIDEO).map(Encoder::name)).contains("libx265");
    assertThat(catalog.forCodec("vp9", Kind.VIDEO).map(Encoder::name)).contains("libvpx-vp9");
    assertThat(catalog.forCodec("aac", Kind.AUDIO).map(Encoder::name)).contains("aac");
    assertThat(catalog.forCodec("mp3", Kind.AUDIO).map(Encoder::name)).contains("libmp3lame");
    // The native opus encoder is listed first but experimental.
    assertThat(catalog.forCodec("opus", Kind.AUDIO).map(Encoder::name)).contains("libopus");
    assertThat(catalog.forCodec("vorbis", Kind.AUDIO)).isEmpty();
    assertThat(catalog.forCodec("h264", Kind.AUDIO)).isEmpty();
    assertThat(catalog.forCodec("nope", Kind.VIDEO)).isEmpty();
  }

  @Test
  void withoutTheUsualEncoderTheFirstListedOneIsTaken() {
    EncoderCatalog openh264Only =
        EncoderCatalog.parse(
            """
            Encoders:
             ------
             V....D libopenh264          OpenH264 H.264 (codec h264)
             V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)
            """);
    assertThat(openh264Only.forCodec("h264", Kind.VIDEO).map(Encoder::name))
        .contains("libopenh264");
  }

  @Test
  void anEmptyListingHasNoEncoders() {
    assertThat(EncoderCatalog.parse("").size()).isZero();
    assertThat(EncoderCatalog.parse("Encoders:\n V..... = Video\n").size()).isZero();
  }
}
