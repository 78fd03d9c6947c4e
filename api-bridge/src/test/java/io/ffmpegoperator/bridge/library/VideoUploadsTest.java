package io.ffmpegoperator.bridge.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoUploadsTest {

  @Test
  void namesOfAnyScriptArePlainNames() {
    for (String name :
        List.of(
            "clip.mp4",
            "영상 파일.MP4",
            "видео (1).mkv",
            "動画_2024-05-01.webm",
            "café au lait.mov",
            "a.b.c.mp4",
            "emoji 🎬.mp4",
            "x".repeat(251) + ".mp4")) {
      assertThat(VideoUploads.nameProblem(name)).as(name).isNull();
    }
  }

  @Test
  void refusesHiddenCharactersSeparatorsDotsAndLongNames() {
    assertThat(VideoUploads.nameProblem("evil\u202E4pm.exe")).contains("control or invisible");
    assertThat(VideoUploads.nameProblem("zero\u200Bwidth.mp4")).contains("control or invisible");
    assertThat(VideoUploads.nameProblem("\uFEFFbom.mp4")).contains("control or invisible");
    assertThat(VideoUploads.nameProblem("line\nbreak.mp4")).contains("control or invisible");
    assertThat(VideoUploads.nameProblem("nul\u0000.mp4")).contains("control or invisible");
    assertThat(VideoUploads.nameProblem("del\u007F.mp4")).contains("control or invisible");
    assertThat(VideoUploads.nameProblem("c1\u0085.mp4")).contains("control or invisible");
    assertThat(VideoUploads.nameProblem("para\u2029.mp4")).contains("control or invisible");
    for (String separator :
        List.of("/", "\\", "\u2215", "\u2044", "\uFF0F", "\uFF3C", "\u29F8", "\u29F9")) {
      assertThat(VideoUploads.nameProblem("dir" + separator + "clip.mp4"))
          .as(separator)
          .contains("path separator");
    }
    assertThat(VideoUploads.nameProblem(".hidden.mp4")).contains("starts with a dot");
    assertThat(VideoUploads.nameProblem("a..mp4")).contains("'..'");
    assertThat(VideoUploads.nameProblem("x".repeat(252) + ".mp4")).contains("255 bytes");
    // A Hangul syllable is 3 bytes in UTF-8: the limit counts bytes (253 pass, 256 do not).
    assertThat(VideoUploads.nameProblem("가".repeat(83) + ".mp4")).isNull();
    assertThat(VideoUploads.nameProblem("가".repeat(84) + ".mp4")).contains("255 bytes");
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
