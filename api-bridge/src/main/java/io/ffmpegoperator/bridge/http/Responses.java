package io.ffmpegoperator.bridge.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Answers as FastAPI sends them. */
public final class Responses {
  private Responses() {}

  /**
   * 200 with {@code entity} as JSON. FastAPI answers JSON whatever the Accept header says, so the
   * type is set here, not negotiated.
   */
  public static Response json(Object entity) {
    return json(200, entity);
  }

  /** {@code status} with {@code entity} as JSON. */
  public static Response json(int status, Object entity) {
    return Response.status(status).entity(entity).type(MediaType.APPLICATION_JSON_TYPE).build();
  }
}
