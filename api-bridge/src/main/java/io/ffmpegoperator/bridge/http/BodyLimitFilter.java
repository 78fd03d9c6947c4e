package io.ffmpegoperator.bridge.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Caps one endpoint's request body: a declared Content-Length above the cap is refused before a
 * byte is read, and a chunked body fails as soon as it goes past the cap. Either way the client
 * gets 413 and nothing of the body is kept. Uploads also get a {@link MultipartGuard}.
 */
public final class BodyLimitFilter implements ContainerRequestFilter {
  private final long maxBytes;
  private final boolean upload;

  /**
   * @param upload whether the endpoint takes a multipart upload rather than JSON
   */
  BodyLimitFilter(long maxBytes, boolean upload) {
    this.maxBytes = maxBytes;
    this.upload = upload;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String detail =
        upload
            ? "Upload too large: at most " + describe(maxBytes) + " may be sent in one request"
            : "Request body too large: at most " + describe(maxBytes) + " is allowed";
    long declared = contentLength(request.getHeaderString(HttpHeaders.CONTENT_LENGTH));
    if (declared > maxBytes) {
      // Read and dropped, never kept, so that the client sees the 413 (see DRAIN_BYTES).
      if (declared <= GuardedInputStream.DRAIN_BYTES) {
        GuardedInputStream.drainQuietly(request.getEntityStream(), declared);
      }
      request.abortWith(
          Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
              .entity(new ErrorResponse(detail))
              .type(MediaType.APPLICATION_JSON_TYPE)
              .build());
      return;
    }
    LimitedInputStream limited =
        new LimitedInputStream(request.getEntityStream(), maxBytes, detail);
    String boundary = upload ? boundary(request.getMediaType()) : null;
    request.setEntityStream(boundary == null ? limited : new MultipartGuard(limited, boundary));
  }

  /** The declared length; -1 when there is none (a chunked body) or it is not a number. */
  static long contentLength(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** E.g. "1 MiB", "8 GiB", "1500 bytes". */
  public static String describe(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes >= unit && bytes % unit == 0) {
        return (bytes / unit) + " " + units[i];
      }
    }
    return bytes + " bytes";
  }

  private static String boundary(MediaType type) {
    if (type == null || !type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)) {
      return null;
    }
    String boundary = type.getParameters().get("boundary");
    if (boundary != null && boundary.length() >= 2 && boundary.startsWith("\"")) {
      boundary = boundary.substring(1, boundary.length() - 1);
    }
    return boundary == null || boundary.isEmpty() ? null : boundary;
  }
}
