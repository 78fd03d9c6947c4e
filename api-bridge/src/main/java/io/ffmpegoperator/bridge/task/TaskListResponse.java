package io.ffmpegoperator.bridge.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A page of tasks, newest first, each as the status endpoint shows it. */
@JsonPropertyOrder({"tasks", "next_cursor"})
@Schema(
    name = "TaskList",
    requiredProperties = {"tasks", "next_cursor"})
public record TaskListResponse(
    @JsonProperty("tasks") List<TaskResponse> tasks,
    @JsonProperty("next_cursor")
        @Schema(
            nullable = true,
            description = "Pass as cursor to get the next page; null on the last page.")
        String nextCursor) {}
