package io.ffmpegoperator.bridge.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * One problem of a request body, in pydantic's shape so FastAPI clients can parse it.
 *
 * @param loc where the problem is: {@code "body"}, then field names or a character position
 * @param input the offending value (null is meaningful, so it is always sent)
 * @param ctx extra facts about the problem; omitted when there are none
 */
@JsonPropertyOrder({"type", "loc", "msg", "input", "ctx"})
@Schema(
    name = "ValidationError",
    requiredProperties = {"type", "loc", "msg"})
public record ValidationError(
    @Schema(example = "missing") String type,
    @ArraySchema(schema = @Schema(oneOf = {String.class, Integer.class})) List<Object> loc,
    @Schema(example = "Field required") String msg,
    Object input,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> ctx) {

  public ValidationError {
    loc = List.copyOf(loc);
  }
}
