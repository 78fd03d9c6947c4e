package io.ffmpegoperator.bridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.policy.TaskCommand;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The task a merge body makes: one the policy lets run, with the tracks in the order given. */
class MergeAudioVideoRequestTest {
  private static MergeAudioVideoRequest merge(int tracks) {
    List<String> audio =
        IntStream.rangeClosed(1, tracks)
            .mapToObj(i -> "https://example.com/track-" + i + ".mp3")
            .toList();
    return new MergeAudioVideoRequest("https://example.com/loop.mp4", audio, "merged.mp4");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, MergeAudioVideoRequest.MAX_AUDIO})
  void theMergeIsATaskThePolicyLetsRun(int tracks) {
    RegisterRequest task = merge(tracks).asTask();

    assertThat(task.inputFiles()).hasSize(tracks + 1).containsEntry("in_1", merge(1).videoUrl());
    assertThat(task.inputFiles())
        .containsEntry("in_" + (tracks + 1), merge(tracks).audioUrls().get(tracks - 1));
    assertThat(task.outputFiles()).containsExactlyEntriesOf(Map.of("out_1", "merged.mp4"));
    assertThat(task.command()).startsWith("-stream_loop -1 -i in_1 -i in_2").contains("-shortest");
    assertThatCode(
            () ->
                TaskCommand.parse(
                    new TaskCommand.Request(task.command(), task.inputFiles(), task.outputFiles()),
                    "media"))
        .doesNotThrowAnyException();
  }

  @Test
  void problemsNameTheBodysFieldsNotTheTasksPlaceholders() {
    assertThat(
            MergeAudioVideoRequest.inBodyTerms(
                "input 'in_1': URL has no host; input 'in_3': host x does not resolve;"
                    + " input 'in_12': URL is empty; output 'out_1': file name must be plain"))
        .isEqualTo(
            "video_url: URL has no host; audio_urls[1]: host x does not resolve;"
                + " audio_urls[10]: URL is empty; output_filename: file name must be plain");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, MergeAudioVideoRequest.MAX_AUDIO + 1})
  void noTrackOrMoreThanATaskTakesIs422(int tracks) {
    MergeAudioVideoRequest request =
        new MergeAudioVideoRequest(
            "https://example.com/loop.mp4",
            Collections.nCopies(tracks, "https://example.com/a.mp3"),
            "merged.mp4");

    ApiException refused = catchThrowableOfType(ApiException.class, request::asTask);

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.getMessage()).contains("audio_urls");
  }
}
