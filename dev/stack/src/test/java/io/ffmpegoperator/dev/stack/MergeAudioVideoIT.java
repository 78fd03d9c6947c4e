package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.crds.FfmpegTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /ffmpeg/merge-audio-video} end to end, checked as a user would: the task completes,
 * the file downloads, and it plays the looped video for as long as the audio tracks last, one after
 * another.
 */
class MergeAudioVideoIT {
  private static final String PATH = "/ffmpeg/merge-audio-video";
  private static final Pattern MAX_VOLUME = Pattern.compile("max_volume: (-?[0-9.]+|-inf) dB");

  @RegisterExtension static final TestingStack stack = new TestingStack();
  @TempDir static Path media;
  private static TestingInputServer inputs;

  @BeforeAll
  static void start() throws Exception {
    // One second of video at 10 fps, with a tone of its own that the merge leaves out.
    stack.media().clip(media.resolve("loop.mp4"), 1, 160, 120);
    audio(media.resolve("tone.m4a"), "sine=frequency=440:duration=1.5");
    audio(media.resolve("quiet.m4a"), "anullsrc=duration=1");
    inputs = new TestingInputServer(media);
  }

  @AfterAll
  static void stop() throws Exception {
    inputs.close();
  }

  @Test
  void theVideoLoopsForAsLongAsTheAudioTracksPlayedInOrder() throws Exception {
    Path merged = merge(List.of("tone.m4a", "quiet.m4a"), "two.mp4");

    assertLastsAsLongAsTheAudio(merged, "tone.m4a", "quiet.m4a");
    // The tone first, then the silence: the order given.
    assertThat(maxVolume(merged, "-t", "0.9")).isGreaterThan(-30);
    assertThat(maxVolume(merged, "-ss", "1.7")).isLessThan(-60);
  }

  @Test
  void oneAudioTrackIsMappedAsItIs() throws Exception {
    Path merged = merge(List.of("tone.m4a"), "one.mp4");

    assertLastsAsLongAsTheAudio(merged, "tone.m4a");
    assertThat(maxVolume(merged, "-t", "1.4")).isGreaterThan(-30);
  }

  @Test
  void badBodiesAre422WithADetailAndCreateNothing() throws Exception {
    List<String> before = taskNames();
    String video = inputs.url("loop.mp4");
    String tone = inputs.url("tone.m4a");

    TestingApiClient.Answer missing =
        stack.api().post(PATH, Map.of("video_url", video, "output_filename", "x.mp4"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().at("/detail/0/type").asText()).isEqualTo("missing");
    assertThat(missing.body().at("/detail/0/loc/1").asText()).isEqualTo("audio_urls");

    TestingApiClient.Answer none = stack.api().post(PATH, body(video, List.of(), "x.mp4"));
    assertThat(none.status()).isEqualTo(422);
    assertThat(none.body().get("detail").asText()).contains("audio_urls");

    Map<String, Object> extra = body(video, List.of(tone), "x.mp4");
    extra.put("loop", true);
    TestingApiClient.Answer unknown = stack.api().post(PATH, extra);
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.body().at("/detail/0/type").asText()).isEqualTo("extra_forbidden");
    assertThat(unknown.body().at("/detail/0/loc/1").asText()).isEqualTo("loop");

    String withUser = tone.replace("://", "://user:secret@");
    TestingApiClient.Answer userInfo =
        stack.api().post(PATH, body(video, List.of(tone, withUser), "x.mp4"));
    assertThat(userInfo.status()).isEqualTo(422);
    assertThat(userInfo.body().get("detail").asText())
        .startsWith("audio_urls[1]: URLs with user info are not accepted");

    TestingApiClient.Answer badName = stack.api().post(PATH, body(video, List.of(tone), "../x"));
    assertThat(badName.status()).isEqualTo(422);
    assertThat(badName.body().get("detail").asText()).startsWith("output_filename: file name");

    assertThat(taskNames()).isEqualTo(before);
  }

  /** Merges the named files of the input server; the downloaded result. */
  private static Path merge(List<String> audio, String output) throws Exception {
    List<String> urls = audio.stream().map(inputs::url).toList();
    TestingApiClient.Answer answer =
        stack.api().post(PATH, body(inputs.url("loop.mp4"), urls, output));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    // The register answer, field for field.
    assertThat(answer.body().properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("task_id", "status", "output_urls", "error_message");
    assertThat(answer.body().get("status").asText()).isEqualTo("pending");
    assertThat(answer.body().get("output_urls").isNull()).isTrue();
    assertThat(answer.body().get("error_message").isNull()).isTrue();
    String taskId = answer.body().get("task_id").asText();
    // An ordinary task: the video first, then the tracks in order.
    assertThat(stack.task(taskId).getSpec().getInputs().values())
        .containsExactlyElementsOf(concat(inputs.url("loop.mp4"), urls));

    JsonNode done = stack.api().awaitTaskFinished(taskId);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    Path file = media.resolve("result-" + output);
    assertThat(stack.api().download(done.at("/output_urls/out_1").asText(), file)).isEqualTo(200);
    return file;
  }

  /**
   * One video and one audio stream, each lasting as long as the audio files do together, within two
   * frames: the video looped that long and no longer.
   */
  private static void assertLastsAsLongAsTheAudio(Path merged, String... audio) throws Exception {
    double expected = 0;
    for (String file : audio) {
      expected += stack.media().probe(media.resolve(file)).at("/format/duration").asDouble();
    }
    JsonNode probe = stack.media().probe(merged);
    assertThat(probe.get("streams").findValuesAsText("codec_type"))
        .containsExactlyInAnyOrder("video", "audio");
    JsonNode video = stream(probe, "video");
    String[] rate = video.get("avg_frame_rate").asText().split("/");
    double twoFrames = 2 * Double.parseDouble(rate[1]) / Double.parseDouble(rate[0]);
    assertThat(video.get("codec_name").asText()).isEqualTo("h264");
    assertThat(stream(probe, "audio").get("codec_name").asText()).isEqualTo("aac");
    assertThat(probe.at("/format/duration").asDouble()).isCloseTo(expected, within(twoFrames));
    assertThat(video.get("duration").asDouble()).isCloseTo(expected, within(twoFrames));
    assertThat(stream(probe, "audio").get("duration").asDouble())
        .isCloseTo(expected, within(twoFrames));
  }

  private static JsonNode stream(JsonNode probe, String type) {
    for (JsonNode stream : probe.get("streams")) {
      if (stream.get("codec_type").asText().equals(type)) {
        return stream;
      }
    }
    throw new AssertionError("no " + type + " stream in " + probe);
  }

  /** The loudest sample of the audio in the part of the file the options pick, in dBFS. */
  private static double maxVolume(Path file, String... range) throws Exception {
    List<String> argv = new ArrayList<>(List.of(stack.ffmpeg().ffmpeg().toString(), "-nostdin"));
    argv.addAll(List.of(range));
    argv.addAll(
        List.of("-i", file.toString(), "-map", "0:a", "-af", "volumedetect", "-f", "null", "-"));
    String log = TestingMedia.run(argv.toArray(String[]::new));
    Matcher volume = MAX_VOLUME.matcher(log);
    assertThat(volume.find()).as(log).isTrue();
    return volume.group(1).equals("-inf")
        ? Double.NEGATIVE_INFINITY
        : Double.parseDouble(volume.group(1));
  }

  private static Map<String, Object> body(String video, List<String> audio, String output) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("video_url", video);
    body.put("audio_urls", audio);
    body.put("output_filename", output);
    return body;
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  private static List<String> taskNames() {
    return stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace(stack.config().namespace())
        .list()
        .getItems()
        .stream()
        .map(task -> task.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static void audio(Path file, String source) throws Exception {
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
        source,
        "-c:a",
        "aac",
        file.toString());
  }
}
