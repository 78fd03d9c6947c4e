package io.ffmpegoperator.bridge.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Requires {@code Authorization: Bearer <key>} with one of the configured keys; 401 otherwise. */
final class ApiKeyFilter implements ContainerRequestFilter {
  static final String NOT_AUTHENTICATED = "Not authenticated";
  static final String INVALID_KEY = "Invalid API key";

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilter.class);
  private static final String BEARER = "bearer ";

  private final ApiKeys keys;

  ApiKeyFilter(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String key = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (key == null) {
      request.abortWith(unauthorized(NOT_AUTHENTICATED, "Bearer"));
    } else if (!keys.accepts(key)) {
      // Neither the key nor any part of it is logged; the raw path is percent-encoded, one line.
      LOG.info(
          "Refused {} {}: invalid API key",
          request.getMethod(),
          request.getUriInfo().getRequestUri().getRawPath());
      request.abortWith(unauthorized(INVALID_KEY, "Bearer error=\"invalid_token\""));
    }
  }

  /** The token of a {@code Bearer} authorization (the scheme in any case); null for any other. */
  static String bearerToken(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    String token = authorization.substring(BEARER.length()).strip();
    return token.isEmpty() ? null : token;
  }

  private static Response unauthorized(String detail, String challenge) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
        .entity(new ErrorResponse(detail))
        .type(MediaType.APPLICATION_JSON_TYPE)
        .build();
  }
}
