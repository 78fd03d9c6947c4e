package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The answer to an execute that does not wait: which jobs were released. */
@JsonPropertyOrder({"message", "job_ids"})
@Schema(
    name = "ExecuteAccepted",
    requiredProperties = {"message", "job_ids"})
public record ExecuteAcceptedResponse(
    @JsonProperty("message") @Schema(example = "Released 2 jobs for request_code user")
        String message,
    @JsonProperty("job_ids") List<Long> jobIds) {}
