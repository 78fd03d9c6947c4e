package io.ffmpegoperator.bridge.http;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** FastAPI's 422 answer for a body that does not fit the request model. */
@Schema(name = "HTTPValidationError", requiredProperties = "detail")
public record ValidationErrorResponse(List<ValidationError> detail) {}
