package io.ffmpegoperator.bridge.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ExtraForbidden;
import io.ffmpegoperator.policy.TaskCommand;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Body of {@code POST /ffmpeg/merge-audio-video}, the endpoint the original FFmpeg API grew: one
 * video looped under audio tracks played one after another. It becomes an ordinary task, so it is
 * checked, run and answered as a registered one.
 */
@ExtraForbidden
@Schema(name = "MergeAudioVideoRequest")
public record MergeAudioVideoRequest(
    @JsonProperty(value = "video_url", required = true)
        @Schema(
            description = "The video, looped for as long as the audio lasts (http, https or s3).",
            example = "https://example.com/loop.mp4")
        String videoUrl,
    @JsonProperty(value = "audio_urls", required = true)
        @ArraySchema(
            arraySchema =
                @Schema(
                    description =
                        "Audio tracks, joined in this order; the output lasts as long as they do."),
            schema = @Schema(example = "https://example.com/track-1.mp3"),
            minItems = 1,
            maxItems = MergeAudioVideoRequest.MAX_AUDIO)
        List<String> audioUrls,
    @JsonProperty(value = "output_filename", required = true)
        @Schema(
            description = "File name of the result; stored as ffmpeg-outputs/<task_id>/<name>.",
            example = "merged.mp4")
        String outputFilename) {

  /** Audio tracks one merge may join: each is an input of the task, beside the video. */
  static final int MAX_AUDIO = TaskCommand.MAX_INPUTS - 1;

  private static final Pattern PLACEHOLDER = Pattern.compile("(?:input|output) '(in|out)_(\\d+)'");

  /**
   * The task that does the merge: input {@code in_1} the video, {@code in_2}… the audio tracks; the
   * video looped ({@code -stream_loop -1}) and cut where the joined audio ends ({@code -shortest}),
   * H.264 and AAC in the output.
   *
   * <p>The looped video is mapped straight from its input, never through the filter graph that
   * joins the audio: ffmpeg 5.1 does not let {@code -shortest} stop a looped stream that comes out
   * of a graph, and the policy refuses that shape. {@code -tune zerolatency} and {@code -fflags
   * +shortest} make the cut fall within a frame or two of the audio's end: otherwise x264 holds
   * frames back (look-ahead, B-frames), and as many frames of video run on past the audio.
   *
   * @throws ApiException 422 when there is no audio track or too many
   */
  RegisterRequest asTask() {
    if (audioUrls.isEmpty() || audioUrls.size() > MAX_AUDIO) {
      throw ApiException.detail(
          422, "audio_urls must list 1 to " + MAX_AUDIO + " tracks, not " + audioUrls.size());
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("in_1", videoUrl);
    StringBuilder command = new StringBuilder("-stream_loop -1 -i in_1");
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < audioUrls.size(); i++) {
      String name = "in_" + (i + 2);
      inputs.put(name, audioUrls.get(i));
      command.append(" -i ").append(name);
      joined.append('[').append(i + 1).append(":a:0]");
    }
    if (audioUrls.size() == 1) {
      command.append(" -map 0:v:0 -map 1:a:0");
    } else {
      command
          .append(" -filter_complex ")
          .append(joined)
          .append("concat=n=")
          .append(audioUrls.size())
          .append(":v=0:a=1[a] -map 0:v:0 -map [a]");
    }
    command
        .append(" -c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -c:a aac")
        .append(" -shortest -fflags +shortest out_1");
    return new RegisterRequest(
        command.toString(), inputs, Map.of("out_1", outputFilename), null, null, null, null);
  }

  /**
   * A problem with the task {@link #asTask} made, in the body's words: {@code input 'in_3'} is
   * {@code audio_urls[1]}, {@code output 'out_1'} is {@code output_filename}.
   */
  static String inBodyTerms(String problem) {
    return PLACEHOLDER
        .matcher(problem)
        .replaceAll(
            placeholder -> {
              int number = Integer.parseInt(placeholder.group(2));
              if (placeholder.group(1).equals("out")) {
                return "output_filename";
              }
              return number == 1 ? "video_url" : "audio_urls[" + (number - 2) + "]";
            });
  }
}
