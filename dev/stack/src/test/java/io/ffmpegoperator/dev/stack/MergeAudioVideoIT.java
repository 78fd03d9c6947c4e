package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /ffmpeg/merge-audio-video} end to end: a looped video under joined audio tracks. */
class MergeAudioVideoIT {
  @RegisterExtension static final TestingStack stack = new TestingStack();
  @TempDir static Path media;
  private static TestingInputServer inputs;

  @BeforeAll
  static void start() throws Exception {
    stack.media().clip(media.resolve("loop.mp4"), 1, 160, 120);
    tone(media.resolve("tone-1.m4a"), 440, 1.5);
    tone(media.resolve("tone-2.m4a"), 880, 1.0);
    inputs = new TestingInputServer(media);
  }

  @AfterAll
  static void stop() throws Exception {
    inputs.close();
  }

  @Test
  void theVideoLoopsForAsLongAsTheAudioTracksPlayedInOrder() throws Exception {
    JsonNode probe =
        mergeAndProbe(List.of(inputs.url("tone-1.m4a"), inputs.url("tone-2.m4a")), "two.mp4");
    // 1 s of video looped under 1.5 s + 1 s of audio: the audio's length.
    assertThat(probe.at("/format/duration").asDouble()).isBetween(2.3, 2.7);
    assertThat(codecs(probe)).containsExactlyInAnyOrder("h264", "aac");
  }

  @Test
  void oneAudioTrackIsMappedAsItIs() throws Exception {
    JsonNode probe = mergeAndProbe(List.of(inputs.url("tone-1.m4a")), "one.mp4");
    assertThat(probe.at("/format/duration").asDouble()).isBetween(1.3, 1.7);
    assertThat(codecs(probe)).containsExactlyInAnyOrder("h264", "aac");
  }

  @Test
  void aMergeWithoutAudioOrWithUnknownKeysIs422() throws Exception {
    TestingApiClient.Answer none =
        stack
            .api()
            .post(
                "/ffmpeg/merge-audio-video",
                Map.of(
                    "video_url", inputs.url("loop.mp4"),
                    "audio_urls", List.of(),
                    "output_filename", "x.mp4"));
    assertThat(none.status()).isEqualTo(422);
    assertThat(none.body().get("detail").asText()).contains("audio_urls");

    TestingApiClient.Answer extra =
        stack
            .api()
            .post(
                "/ffmpeg/merge-audio-video",
                Map.of(
                    "video_url",
                    inputs.url("loop.mp4"),
                    "audio_urls",
                    List.of(inputs.url("tone-1.m4a")),
                    "output_filename",
                    "x.mp4",
                    "loop",
                    true));
    assertThat(extra.status()).isEqualTo(422);
    assertThat(extra.body().get("detail").get(0).get("type").asText()).isEqualTo("extra_forbidden");
  }

  private static JsonNode mergeAndProbe(List<String> audio, String output) throws Exception {
    TestingApiClient.Answer answer =
        stack
            .api()
            .post(
                "/ffmpeg/merge-audio-video",
                Map.of(
                    "video_url", inputs.url("loop.mp4"),
                    "audio_urls", audio,
                    "output_filename", output));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.body().get("status").asText()).isEqualTo("pending");
    JsonNode done = stack.api().awaitTaskFinished(answer.body().get("task_id").asText());
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    Path file = media.resolve("result-" + output);
    assertThat(stack.api().download(done.at("/output_urls/out_1").asText(), file)).isEqualTo(200);
    return stack.media().probe(file);
  }

  private static List<String> codecs(JsonNode probe) {
    return probe.get("streams").findValuesAsText("codec_name");
  }

  private static void tone(Path file, int hertz, double seconds) throws Exception {
    TestingMedia.run(
        stack.ffmpeg().ffmpeg().toString(),
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=" + hertz + ":duration=" + seconds,
        "-c:a",
        "aac",
        file.toString());
  }
}
