package io.ffmpegoperator.bridge.http;

import java.util.List;

/** An error the API answers on purpose, with its status code and FastAPI-shaped body. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final transient Object body;

  private ApiException(int status, Object body, String message) {
    super(message, null, false, false);
    this.status = status;
    this.body = body;
  }

  /** {@code {"detail": "<detail>"}} with the given status. */
  public static ApiException detail(int status, String detail) {
    return new ApiException(status, new ErrorResponse(detail), detail);
  }

  /** FastAPI's 422 for a request body that does not fit the model. */
  public static ApiException validation(List<ValidationError> errors) {
    return new ApiException(
        422, new ValidationErrorResponse(List.copyOf(errors)), errors.size() + " body error(s)");
  }

  public int status() {
    return status;
  }

  public Object body() {
    return body;
  }
}
