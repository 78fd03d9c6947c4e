package io.ffmpegoperator.bridge.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * One problem of a request, in pydantic's shape so FastAPI clients can parse it. The factories
 * below are the only place that words them: each is pydantic's type and message for that problem.
 *
 * @param loc where the problem is: {@code "body"}, {@code "query"} or {@code "path"}, then field
 *     names, list indexes or a character position
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

  /** A required field, parameter or body that was not sent. */
  public static ValidationError missing(List<Object> loc, Object input) {
    return of("missing", "Field required", loc, input);
  }

  /** A form part that is a plain field where a file belongs. */
  public static ValidationError notAFile(List<Object> loc) {
    return of(
        "value_error", "Value error, Expected UploadFile, received: <class 'str'>", loc, null);
  }

  /** A body key the model does not have, when it forbids extra keys. */
  static ValidationError extraForbidden(List<Object> loc, Object input) {
    return of("extra_forbidden", "Extra inputs are not permitted", loc, input);
  }

  static ValidationError stringType(List<Object> loc, Object input) {
    return of("string_type", "Input should be a valid string", loc, input);
  }

  static ValidationError intType(List<Object> loc, Object input) {
    return of("int_type", "Input should be a valid integer", loc, input);
  }

  static ValidationError intParsing(List<Object> loc, Object input) {
    return of(
        "int_parsing",
        "Input should be a valid integer, unable to parse string as an integer",
        loc,
        input);
  }

  static ValidationError intFromFloat(List<Object> loc, Object input) {
    return of(
        "int_from_float",
        "Input should be a valid integer, got a number with a fractional part",
        loc,
        input);
  }

  static ValidationError listType(List<Object> loc, Object input) {
    return of("list_type", "Input should be a valid list", loc, input);
  }

  static ValidationError dictType(List<Object> loc, Object input) {
    return of("dict_type", "Input should be a valid dictionary", loc, input);
  }

  static ValidationError greaterThanEqual(List<Object> loc, Object input, long bound) {
    return new ValidationError(
        "greater_than_equal",
        loc,
        "Input should be greater than or equal to " + bound,
        input,
        Map.of("ge", bound));
  }

  static ValidationError boolParsing(List<Object> loc, Object input) {
    return of(
        "bool_parsing", "Input should be a valid boolean, unable to interpret input", loc, input);
  }

  /** A body that is not an object, so no field can be read from it. */
  static ValidationError notAnObject(Object input) {
    return of(
        "model_attributes_type",
        "Input should be a valid dictionary or object to extract fields from",
        List.of("body"),
        input);
  }

  /**
   * A body that is not JSON.
   *
   * @param position the character where the parser gave up
   * @param reason the parser's words
   */
  static ValidationError jsonInvalid(int position, String reason) {
    // FastAPI sends an empty object as the input of a JSON decode error.
    return new ValidationError(
        "json_invalid",
        List.of("body", position),
        "JSON decode error",
        JsonNodeFactory.instance.objectNode(),
        Map.of("error", reason));
  }

  private static ValidationError of(String type, String msg, List<Object> loc, Object input) {
    return new ValidationError(type, loc, msg, input, null);
  }
}
