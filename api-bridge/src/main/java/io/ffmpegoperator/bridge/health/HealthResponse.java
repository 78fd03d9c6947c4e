package io.ffmpegoperator.bridge.health;

import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code GET /health}. */
@Schema(name = "HealthResponse", requiredProperties = "status")
public record HealthResponse(@Schema(example = "ok") String status) {}
