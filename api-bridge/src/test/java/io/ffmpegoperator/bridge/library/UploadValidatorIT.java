package io.ffmpegoperator.bridge.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.media.Ffprobe;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.media.TestingFfmpeg;
import io.ffmpegoperator.policy.MediaPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The upload check with the real ffprobe: each allowed container passes, look-alikes do not. */
class UploadValidatorIT {
  @TempDir static Path dir;
  private static Ffprobe ffprobe;
  private static UploadValidator validator;

  @BeforeAll
  static void findFfmpeg() throws Exception {
    ffprobe = new Ffprobe(TestingFfmpeg.binaries());
    validator = new UploadValidator(ffprobe, 2);
  }

  @ParameterizedTest
  @CsvSource({
    "clip.mp4, libx264, h264",
    "clip.mov, libx264, h264",
    "clip.mkv, libx264, h264",
    "clip.3gp, libx264, h264",
    "clip.webm, libvpx, vp8",
    "clip.avi, mpeg4, mpeg4",
    "clip.flv, flv, flv1",
    "clip.wmv, wmv2, wmv2",
    "clip.mpeg, mpeg2video, mpeg2video",
  })
  void acceptsEveryAllowedContainer(String name, String encoder, String codec) throws Exception {
    Path file =
        make(name, "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-c:v", encoder);

    assertThat(UploadValidator.extension(name.toUpperCase())).isEqualTo(name.substring(5));
    MediaInfo media = validator.probe(file, name);

    assertThat(media.getVideoCodec()).isEqualTo(codec);
    assertThat(media.resolution()).isEqualTo("160:120");
  }

  @Test
  void refusesLookAlikesWithAClearReason() throws Exception {
    Path playlist = dir.resolve("playlist.mp4");
    Files.writeString(playlist, "#EXTM3U\n#EXTINF:1,\n/etc/hostname\n#EXT-X-ENDLIST\n");
    Path concat = dir.resolve("list.mp4");
    Files.writeString(
        concat, "ffconcat version 1.0\nfile '/etc/hostname'\n", StandardCharsets.UTF_8);
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    Path gif = make("anim.gif", "-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=5");
    Path mp3 = make("tone.mp3", "-f", "lavfi", "-i", "sine=duration=1");

    assertThat(refusal(playlist)).contains("playlist.mp4").contains("text file");
    assertThat(refusal(concat)).contains("text file");
    assertThat(refusal(empty)).contains("empty");
    // Demuxers other than the allowed ones never run on an upload, so these do not even read.
    assertThat(refusal(gif)).contains("anim.gif").contains("could not be read");
    assertThat(refusal(mp3)).contains("could not be read");
  }

  @Test
  void refusesVideosBeyondThePolicysCaps() throws Exception {
    Path clip =
        make(
            "caps.mp4",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=2:size=320x240:rate=10",
            "-f",
            "lavfi",
            "-i",
            "sine=duration=2",
            "-c:v",
            "libx264",
            "-c:a",
            "aac",
            "-shortest");

    assertThat(validator.probe(clip, "caps.mp4").resolution()).isEqualTo("320:240");
    assertThat(refusal(new MediaPolicy(16, 256, 256L * 256, 3600), clip))
        .isEqualTo(
            "Unsupported file: caps.mp4 is beyond the limits (its 320x240 frames exceed the limit"
                + " of 256 pixels a side and 65536 pixels a frame)");
    assertThat(refusal(new MediaPolicy(16, 8192, 1L << 26, 1), clip)).contains("at most 1 s");
    assertThat(refusal(new MediaPolicy(1, 8192, 1L << 26, 3600), clip))
        .contains("it has 2 streams; at most 1 are allowed");
  }

  @Test
  void refusesExtensionsOutsideTheList() {
    for (String name : List.of("a.txt", "a.mp3", "a", "a.", "mp4", "a.mp4.exe")) {
      ApiException e =
          catchThrowableOfType(ApiException.class, () -> UploadValidator.extension(name));
      assertThat(e.status()).as(name).isEqualTo(415);
    }
  }

  private static String refusal(Path file) {
    return refusal(validator, file);
  }

  private static String refusal(MediaPolicy policy, Path file) {
    return refusal(new UploadValidator(ffprobe, 1, policy), file);
  }

  private static String refusal(UploadValidator validator, Path file) {
    ApiException e =
        catchThrowableOfType(
            ApiException.class, () -> validator.probe(file, file.getFileName().toString()));
    assertThat(e.status()).isEqualTo(415);
    return ((ErrorResponse) e.body()).detail();
  }

  private static Path make(String name, String... args) throws Exception {
    return TestingFfmpeg.make(dir.resolve(name), args);
  }
}
