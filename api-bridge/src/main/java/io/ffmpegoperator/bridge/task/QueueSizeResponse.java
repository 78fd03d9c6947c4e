package io.ffmpegoperator.bridge.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** How many tasks wait to start, as the original service's queue size. */
@Schema(name = "QueueSize", requiredProperties = "queue_size")
public record QueueSizeResponse(
    @JsonProperty("queue_size") @Schema(description = "Tasks that are pending.") long queueSize) {}
