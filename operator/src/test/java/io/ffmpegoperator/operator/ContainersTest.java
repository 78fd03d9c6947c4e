package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.media.MediaInfo;
import org.junit.jupiter.api.Test;

class ContainersTest {
  private static MediaInfo probed(String formatName) {
    MediaInfo media = new MediaInfo();
    media.setFormatName(formatName);
    return media;
  }

  private static final MediaInfo MP4 = probed("mov,mp4,m4a,3gp,3g2,mj2");
  private static final MediaInfo MATROSKA = probed("matroska,webm");

  @Test
  void keepsTheSourceContainerWhenItHoldsTheCodecs() {
    assertThat(Containers.keepOrAny("origin/a_20240910161824.mp4", MP4, "h264", "aac"))
        .isEqualTo("mp4");
    assertThat(Containers.keepOrAny("origin/a.MP4", MP4, "hevc", null)).isEqualTo("mp4");
    assertThat(Containers.keepOrAny("origin/a.mov", MP4, "h264", "aac")).isEqualTo("mov");
    assertThat(Containers.keepOrAny("origin/a.3gp", MP4, "h264", "aac")).isEqualTo("3gp");
    assertThat(Containers.keepOrAny("origin/a.webm", MATROSKA, "vp9", "opus")).isEqualTo("webm");
    assertThat(Containers.keepOrAny("origin/a.mkv", MATROSKA, "h264", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.avi", probed("avi"), "mpeg4", "mp3"))
        .isEqualTo("avi");
    assertThat(Containers.keepOrAny("origin/a.flv", probed("flv"), "h264", "aac")).isEqualTo("flv");
    assertThat(Containers.keepOrAny("origin/a.mpeg", probed("mpeg"), "mpeg2video", "mp2"))
        .isEqualTo("mpeg");
    // Nothing probed (a hand-made Video): the name is trusted.
    assertThat(Containers.keepOrAny("origin/a.mp4", null, "h264", "aac")).isEqualTo("mp4");
  }

  @Test
  void fallsBackToMatroskaWhereTheSourceContainerCannotHoldIt() {
    assertThat(Containers.keepOrAny("origin/a.webm", MATROSKA, "h264", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.webm", MATROSKA, "vp9", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.mp4", MP4, "vp8", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.3gp", MP4, "hevc", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.flv", probed("flv"), "hevc", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.mp4", MP4, "h264", "pcm_f32le")).isEqualTo("mkv");
    // A transport stream under an .mpeg name; an ASF file, which tasks do not write.
    assertThat(Containers.keepOrAny("origin/a.mpeg", probed("mpegts"), "h264", "aac"))
        .isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.wmv", probed("asf"), "wmv2", "wmav2"))
        .isEqualTo("mkv");
    // Matroska content under an .mp4 name.
    assertThat(Containers.keepOrAny("origin/a.mp4", MATROSKA, "h264", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/a.mp4", MP4, null, "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny("origin/noextension", MP4, "h264", "aac")).isEqualTo("mkv");
    assertThat(Containers.keepOrAny(null, null, "h264", "aac")).isEqualTo("mkv");
  }
}
