package io.ffmpegoperator.bridge.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception into FastAPI's JSON {@code {"detail": ...}}, so clients never see an HTML
 * page or a stack trace; unexpected ones are logged here and answered with a bare 500.
 */
@Provider
public final class ApiExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMapper.class);

  @Override
  public Response toResponse(Throwable exception) {
    if (exception instanceof ApiException api) {
      return Response.status(api.status())
          .entity(api.body())
          .type(MediaType.APPLICATION_JSON_TYPE)
          .build();
    }
    // The body cap trips inside whatever reads the body, which may wrap it (Jersey, the parser).
    BodyTooLargeException tooLarge = BodyTooLargeException.in(exception);
    if (tooLarge != null) {
      return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
          .entity(new ErrorResponse(tooLarge.getMessage()))
          .type(MediaType.APPLICATION_JSON_TYPE)
          .build();
    }
    if (exception instanceof WebApplicationException web) {
      return fromJaxRs(web);
    }
    LOG.error("Request failed", exception);
    return internalError();
  }

  // Jersey's own errors (no route, wrong method, ...) keep their status and headers such as Allow.
  private static Response fromJaxRs(WebApplicationException exception) {
    Response original = exception.getResponse();
    int status = original.getStatus();
    if (status >= 500) {
      LOG.error("Request failed", exception);
      return internalError();
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String detail =
        type == null ? original.getStatusInfo().getReasonPhrase() : type.getReasonPhrase();
    Response.ResponseBuilder builder = Response.status(status);
    original
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Content-Type")
                  && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
              }
            });
    return builder.entity(new ErrorResponse(detail)).type(MediaType.APPLICATION_JSON_TYPE).build();
  }

  private static Response internalError() {
    return Response.serverError()
        .entity(new ErrorResponse("Internal Server Error"))
        .type(MediaType.APPLICATION_JSON_TYPE)
        .build();
  }
}
