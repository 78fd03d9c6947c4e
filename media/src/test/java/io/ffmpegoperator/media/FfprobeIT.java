package io.ffmpegoperator.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Ffprobe} and {@link FfmpegBinaries} against the real executables. */
class FfprobeIT {
  // What the worker allows for task inputs includes these; a playlist is none of them.
  private static final List<String> MEDIA_FORMATS = List.of("mov", "matroska", "mpegts", "mp3");

  @TempDir Path dir;

  @Test
  void probesDurationAndStreams() throws Exception {
    Ffprobe ffprobe = new Ffprobe(TestingFfmpeg.binaries());
    Path video = TestingFfmpeg.testVideo(2);

    assertThat(ffprobe.durationSeconds(video)).isBetween(1.9, 2.1);
    JsonNode info = ffprobe.streamsAndFormat(video);
    assertThat(info.path("streams").get(0).path("codec_name").asText()).isEqualTo("h264");
    assertThat(info.path("streams").get(0).path("width").asInt()).isEqualTo(160);
    assertThat(info.path("format").path("format_name").asText()).contains("mp4");
  }

  @Test
  void junkFailsWithAShortReason() throws Exception {
    Path junk = dir.resolve("junk.mp4");
    Files.write(junk, new byte[3000]);
    assertThatThrownBy(() -> new Ffprobe(TestingFfmpeg.binaries()).durationSeconds(junk))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("ffprobe failed (exit 1)")
        .hasMessageContaining("Invalid data found when processing input")
        .hasMessageNotContaining(dir.toString());
  }

  @Test
  void opensFilesOnlyWithTheGivenFormats() throws Exception {
    Ffprobe ffprobe = new Ffprobe(TestingFfmpeg.binaries());
    Path video = TestingFfmpeg.testVideo(2);
    assertThat(
            ffprobe
                .streamsAndFormat(video, MEDIA_FORMATS)
                .path("format")
                .path("format_name")
                .asText())
        .startsWith("mov,");
    assertThatThrownBy(() -> ffprobe.streamsAndFormat(video, List.of("matroska")))
        .isInstanceOf(Ffprobe.UnreadableFileException.class);

    // A playlist under its own name, whose only entry is a local file: not even opened as one.
    Path playlist = dir.resolve("list.m3u8");
    Files.writeString(
        playlist,
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n" + video + "\n#EXT-X-ENDLIST\n");
    assertThat(ffprobe.streamsAndFormat(playlist).path("format").path("format_name").asText())
        .isEqualTo("hls");
    assertThatThrownBy(() -> ffprobe.streamsAndFormat(playlist, MEDIA_FORMATS))
        .isInstanceOf(Ffprobe.UnreadableFileException.class)
        .hasMessageStartingWith("ffprobe failed");
  }

  @Test
  void realFfmpegIsInstalled() throws Exception {
    assertThat(TestingFfmpeg.binaries().ffmpegInstalled()).isTrue();
  }
}
