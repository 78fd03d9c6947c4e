package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;

/**
 * One invalid field, as apimachinery's {@code field.Error} holds and prints it: {@code reason} is
 * the cause type ({@code FieldValueInvalid}, ...), {@code field} the path as {@code field.Path}
 * prints it ({@code spec.outputs[out_1]}), {@code badValue} the value shown (Go's nil, shown as
 * {@code "null"}, when null) and {@code location} the JSON node the check looked at, to compare an
 * update with what was stored.
 */
record FieldError(
    String reason, String field, JsonNode badValue, String detail, JsonPointer location) {

  static final String REQUIRED = "FieldValueRequired";
  static final String INVALID = "FieldValueInvalid";
  static final String TYPE_INVALID = "FieldValueTypeInvalid";
  static final String NOT_SUPPORTED = "FieldValueNotSupported";
  static final String TOO_LONG = "FieldValueTooLong";
  static final String TOO_MANY = "FieldValueTooMany";
  static final String FORBIDDEN = "FieldValueForbidden";
  static final String DUPLICATE = "FieldValueDuplicate";

  /** The path of the whole object: {@code field.Path} prints a nil path this way. */
  static final String ROOT = "<nil>";

  /** A value shown as Go shows a string: {@code "string"}, the type name a type error reports. */
  static JsonNode text(String value) {
    return TextNode.valueOf(value);
  }

  /** The cause's message: {@code field.Error.ErrorBody()}. */
  String body() {
    String body =
        switch (reason) {
          case REQUIRED, FORBIDDEN, TOO_LONG -> title();
          default -> title() + ": " + goValue(badValue);
        };
    return detail == null || detail.isEmpty() ? body : body + ": " + detail;
  }

  /** {@code field: body}, one entry of the aggregate message. */
  @Override
  public String toString() {
    return field + ": " + body();
  }

  private String title() {
    return switch (reason) {
      case REQUIRED -> "Required value";
      case DUPLICATE -> "Duplicate value";
      case NOT_SUPPORTED -> "Unsupported value";
      case FORBIDDEN -> "Forbidden";
      case TOO_LONG -> "Too long";
      case TOO_MANY -> "Too many";
      default -> "Invalid value";
    };
  }

  /** A JSON value as Go's {@code %v} / {@code %q} print it in a field error. */
  static String goValue(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "\"null\"";
    }
    if (value.isTextual()) {
      return quote(value.asText());
    }
    if (value.isIntegralNumber() || value.isBoolean()) {
      return value.asText();
    }
    if (value.isNumber()) {
      return goNumber(value.doubleValue());
    }
    return value.toString();
  }

  /** A float64 as Go's {@code %v} prints it: 1 for 1.0, 0.5, 1e+21. */
  static String goNumber(double value) {
    BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (exponent < -4 || exponent >= 21) {
      String sign = exponent < 0 ? "-" : "+";
      return shortest.movePointLeft(exponent).toPlainString()
          + "e"
          + sign
          + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
    }
    return shortest.toPlainString();
  }

  /** Go's {@code %q} for the strings these messages hold. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
