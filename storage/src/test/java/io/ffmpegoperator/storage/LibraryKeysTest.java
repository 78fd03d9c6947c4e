package io.ffmpegoperator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LibraryKeysTest {
  private static final Instant AT = Instant.parse("2024-09-10T16:18:24Z");

  @Test
  void keysHaveTheContractsShape() {
    assertThat(LibraryKeys.upload("video", "mkv", AT, 1))
        .isEqualTo("origin/video_20240910161824.mkv");
    assertThat(LibraryKeys.upload("video", "mkv", AT, 2))
        .isEqualTo("origin/video_20240910161824_2.mkv");
    assertThat(LibraryKeys.result("video", "Trim", "mkv", AT, 1))
        .isEqualTo("modi/video_trim_20240910161824.mkv");
    assertThat(LibraryKeys.result("영상", "encode", "mp4", AT, 3))
        .isEqualTo("modi/영상_encode_20240910161824_3.mp4");
  }

  @Test
  void stemsKeepLettersDigitsDotsAndDashesOnly() {
    assertThat(LibraryKeys.stemOfName("my movie (1).mp4")).isEqualTo("my_movie_1_");
    assertThat(LibraryKeys.stemOfName("C:\\Users\\me\\clip.MOV")).isEqualTo("clip");
    assertThat(LibraryKeys.stemOfName("../../etc/passwd.mp4")).isEqualTo("passwd");
    assertThat(LibraryKeys.stemOfName("영상 파일.mp4")).isEqualTo("영상_파일");
    assertThat(LibraryKeys.stemOfName("a/b?c=d&e.webm")).isEqualTo("b_c_d_e");
    assertThat(LibraryKeys.stemOfName("a.b.c.mp4")).isEqualTo("a.b.c");
    assertThat(LibraryKeys.stemOfName("noextension")).isEqualTo("noextension");
    assertThat(LibraryKeys.stemOfName("..a...b.mp4")).isEqualTo("a.b");
    assertThat(LibraryKeys.stemOfName("(((.mp4")).isEqualTo("_");
    assertThat(LibraryKeys.stemOfName(".mp4")).isEqualTo("video");
    assertThat(LibraryKeys.stemOfName(null)).isEqualTo("video");
  }

  @Test
  void longStemsAreCutInCharactersAndBytes() {
    assertThat(LibraryKeys.stemOfName("x".repeat(300) + ".mkv"))
        .isEqualTo("x".repeat(LibraryKeys.MAX_STEM_LENGTH));
    // A Hangul syllable is 3 bytes: the byte cap comes first.
    String korean = LibraryKeys.stemOfName("가".repeat(300) + ".mp4");
    assertThat(korean.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(LibraryKeys.MAX_STEM_BYTES);
    assertThat(korean).isEqualTo("가".repeat(LibraryKeys.MAX_STEM_BYTES / 3));
    // A letter outside the BMP is 4 bytes and two chars, and is never cut in half.
    String rare = LibraryKeys.stemOfName("\uD840\uDC00".repeat(120) + ".mp4");
    assertThat(rare).isEqualTo("\uD840\uDC00".repeat(LibraryKeys.MAX_STEM_BYTES / 4));
    assertThat(LibraryKeys.stemOfName("🎬 clip.mp4")).isEqualTo("_clip");
    // The whole name stays within a file name's 255 bytes.
    assertThat(
            LibraryKeys.result(korean, "concat", "webm", AT, 999)
                .substring(LibraryKeys.RESULTS.length())
                .getBytes(StandardCharsets.UTF_8)
                .length)
        .isLessThanOrEqualTo(255);
  }

  @Test
  void stemsAreReadFromKeysOfEveryShape() {
    assertThat(LibraryKeys.stemOfKey("origin/movie_20240910161824.mp4")).isEqualTo("movie");
    assertThat(LibraryKeys.stemOfKey("origin/movie_20240910161824_2.mp4")).isEqualTo("movie");
    assertThat(LibraryKeys.stemOfKey("origin/a.b_20240910161824.mp4")).isEqualTo("a.b");
    assertThat(LibraryKeys.stemOfKey("modi/movie_trim_20240910161824.mp4")).isEqualTo("movie");
    assertThat(LibraryKeys.stemOfKey("modi/movie_encode_20240910161824_12.webm"))
        .isEqualTo("movie");
    assertThat(LibraryKeys.stemOfKey("modi/x_trim_concat_20240910161824.mkv")).isEqualTo("x_trim");
    // Keys of earlier versions.
    assertThat(LibraryKeys.stemOfKey("origin/20240910161824_13_my_clip.MP4")).isEqualTo("my_clip");
    assertThat(LibraryKeys.stemOfKey("modi/video_trim_20240910161824_7.mkv")).isEqualTo("video");
    // Anything else: the file name's stem.
    assertThat(LibraryKeys.stemOfKey("origin/hand made.mp4")).isEqualTo("hand_made");
    assertThat(LibraryKeys.stemOfKey("elsewhere/clip")).isEqualTo("clip");
    assertThat(LibraryKeys.stemOfKey("")).isEqualTo("video");
    assertThat(LibraryKeys.stemOfKey(null)).isEqualTo("video");
  }

  @Test
  void extensionsAreLowerCaseOrEmpty() {
    assertThat(LibraryKeys.extensionOf("origin/a.MP4")).isEqualTo("mp4");
    assertThat(LibraryKeys.extensionOf("a.b.webm")).isEqualTo("webm");
    assertThat(LibraryKeys.extensionOf("origin.d/noextension")).isEmpty();
    assertThat(LibraryKeys.extensionOf("a.not an extension")).isEmpty();
    assertThat(LibraryKeys.extensionOf(null)).isEmpty();
  }
}
