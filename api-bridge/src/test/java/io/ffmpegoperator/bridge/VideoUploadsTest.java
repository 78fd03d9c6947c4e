package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VideoUploadsTest {

  @Test
  void safeNamesKeepLettersDigitsDotsAndDashesOnly() {
    assertThat(VideoUploads.safeName("my movie (1).mp4")).isEqualTo("my_movie_1_.mp4");
    assertThat(VideoUploads.safeName("C:\\Users\\me\\clip.MOV")).isEqualTo("clip.MOV");
    assertThat(VideoUploads.safeName("../../etc/passwd.mp4")).isEqualTo("passwd.mp4");
    assertThat(VideoUploads.safeName("영상 파일.mp4")).isEqualTo("영상_파일.mp4");
    assertThat(VideoUploads.safeName("a/b?c=d&e.webm")).isEqualTo("b_c_d_e.webm");
  }

  @Test
  void longNamesAreCutButKeepTheirExtension() {
    String name = VideoUploads.safeName("x".repeat(300) + ".mkv");
    assertThat(name).hasSize(VideoUploads.MAX_NAME_LENGTH).endsWith("x.mkv");
    String korean = VideoUploads.safeName("가".repeat(300) + ".mp4");
    assertThat(korean.codePointCount(0, korean.length())).isEqualTo(VideoUploads.MAX_NAME_LENGTH);
  }

  @Test
  void rawUtf8NamesAreReadBack() {
    String asParsed =
        new String("영상.mp4".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    assertThat(VideoUploads.utf8(asParsed)).isEqualTo("영상.mp4");
    assertThat(VideoUploads.utf8("café.mp4")).isEqualTo("café.mp4");
    assertThat(VideoUploads.utf8("plain.mp4")).isEqualTo("plain.mp4");
    assertThat(VideoUploads.utf8("영상.mp4")).isEqualTo("영상.mp4");
  }
}
