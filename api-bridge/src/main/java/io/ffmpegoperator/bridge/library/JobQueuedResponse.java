package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to queueing a trim, concat or encode. */
@JsonPropertyOrder({"message", "job_id"})
@Schema(
    name = "JobQueued",
    requiredProperties = {"message", "job_id"})
public record JobQueuedResponse(
    @JsonProperty("message") @Schema(example = "Trim job added to queue") String message,
    @JsonProperty("job_id") @Schema(example = "1") long jobId) {}
