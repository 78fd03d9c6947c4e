package io.ffmpegoperator.bridge.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ExtraForbidden;
import io.ffmpegoperator.bridge.http.NumberAsText;
import io.ffmpegoperator.crds.TaskParallel;
import io.ffmpegoperator.crds.TaskPriority;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Body of {@code POST /ffmpeg/register}, as the seed API defines it, plus the optional {@code
 * resources} of the task's worker container, {@code webhook_url}, {@code priority} and {@code
 * parallel}, which seed clients never send. Other keys are refused, as the original's {@code
 * extra="forbid"} model refused them.
 */
@ExtraForbidden
@Schema(name = "TaskRequest")
public record RegisterRequest(
    @JsonProperty(value = "ffmpeg_command", required = true)
        @Schema(
            description =
                "FFmpeg arguments; a leading 'ffmpeg' is dropped. Inputs and outputs are named by"
                    + " their keys, bare (in_1) or braced ({{in_1}}).",
            example = "-i in_1 -c:v libx264 -crf 23 out_1")
        String ffmpegCommand,
    @JsonProperty(value = "input_files", required = true)
        @Schema(
            description =
                "Input name -> URL to fetch (http, https or s3://<bucket>/<key>; no user info);"
                    + " may be empty when the command makes its own input.",
            example = "{\"in_1\": \"https://example.com/video.mp4\"}",
            additionalPropertiesSchema = String.class)
        Map<String, String> inputFiles,
    @JsonProperty(value = "output_files", required = true)
        @Schema(
            description =
                "Output name -> file name; stored as ffmpeg-outputs/<task_id>/<file name>.",
            example = "{\"out_1\": \"output.mp4\"}",
            additionalPropertiesSchema = String.class)
        Map<String, String> outputFiles,
    @JsonProperty("resources")
        @NumberAsText
        @Schema(
            description =
                "CPU and memory of the task's worker container, as in a Kubernetes container:"
                    + " requests and limits of cpu and memory, as quantities, up to the operator's"
                    + " maximum. Those left out take the operator's defaults. A task that sets"
                    + " them gets a pod of its own rather than a waiting warm worker.",
            example =
                "{\"requests\": {\"cpu\": \"500m\", \"memory\": \"256Mi\"},"
                    + " \"limits\": {\"cpu\": \"2\", \"memory\": \"1Gi\"}}")
        Map<String, Map<String, String>> resources,
    @JsonProperty("webhook_url")
        @Schema(
            description =
                "http or https URL to POST the task's final status to when it completes, fails or"
                    + " is cancelled: the task response plus an event (task.completed,"
                    + " task.failed, task.cancelled), signed in the X-FFmpeg-Operator-Signature"
                    + " header and retried until answered 2xx. Held to the same address policy"
                    + " as inputs; user info (user:password@) is refused. Shown on the resource"
                    + " only, never in the status response.",
            example = "https://hooks.example.com/ffmpeg")
        String webhookUrl,
    @JsonProperty("priority")
        @Schema(
            description =
                "Where the task goes among its client's waiting tasks when the client has its"
                    + " limit of tasks running: high ones start first, then normal (the"
                    + " default), then low; by submit time within one priority. It never puts"
                    + " a task ahead of another client's.",
            allowableValues = {"high", "normal", "low"},
            example = "normal")
        String priority,
    @JsonProperty("parallel")
        @Schema(
            description =
                "Encode the video in segments on several pods at once, then join them by stream"
                    + " copy: {\"segments\": N} (2 to the operator's PARALLEL_MAX_SEGMENTS) or"
                    + " {\"segment_seconds\": S} (at least 1), exactly one. Only for one input"
                    + " and one output whose command can be split: frame-by-frame video filters"
                    + " and codec, rate and quality options; two-pass encodes, -filter_complex,"
                    + " timing options, filters that look across frames and -c:v copy are"
                    + " refused with 422 saying why. Worth it for long inputs and CPU encoders;"
                    + " segments travel through S3.",
            example = "{\"segments\": 4}",
            additionalPropertiesSchema = Long.class)
        Map<String, Long> parallel) {

  /** The keys {@code parallel} may have; the body check knows no nested records, so a map. */
  static final String SEGMENTS = "segments";

  static final String SEGMENT_SECONDS = "segment_seconds";

  // The original dropped a leading "ffmpeg" word; only a whole word, so "ffmpegx" stays.
  private static final Pattern LEADING_FFMPEG = Pattern.compile("^\\s*ffmpeg(?:\\s+|$)");

  /**
   * The priority as the resource spells it; null when not given.
   *
   * @throws ApiException 422 for a value other than high, normal and low
   */
  TaskPriority taskPriority() {
    if (priority == null) {
      return null;
    }
    for (TaskPriority known : TaskPriority.values()) {
      if (known.name().toLowerCase(Locale.ROOT).equals(priority)) {
        return known;
      }
    }
    throw ApiException.detail(
        422, "priority must be one of high, normal, low, not '" + priority + "'");
  }

  /**
   * The parallel settings as the resource spells them; null when not given.
   *
   * @throws ApiException 422 for a key other than segments and segment_seconds
   */
  TaskParallel taskParallel() {
    if (parallel == null) {
      return null;
    }
    for (String key : parallel.keySet()) {
      if (!key.equals(SEGMENTS) && !key.equals(SEGMENT_SECONDS)) {
        throw ApiException.detail(
            422, "parallel takes segments or segment_seconds, not '" + key + "'");
      }
    }
    Long segments = parallel.get(SEGMENTS);
    return new TaskParallel(
        segments == null
            ? null
            : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, segments)),
        parallel.get(SEGMENT_SECONDS));
  }

  /** The command as the task runs it: without a leading {@code ffmpeg}, as the original took it. */
  String command() {
    return LEADING_FFMPEG.matcher(ffmpegCommand).replaceFirst("");
  }
}
