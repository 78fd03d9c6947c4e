package io.ffmpegoperator.bridge.http;

import java.io.IOException;

/**
 * A request body went past its limit while being read. An {@link IOException}, so that the
 * multipart parser treats it as a broken stream and deletes the parts it has buffered; its message
 * is meant for the client, who gets it as a 413.
 */
public final class BodyTooLargeException extends IOException {
  BodyTooLargeException(String detail) {
    super(detail);
  }

  /** The exception in {@code error}'s chain of causes, if any. */
  public static BodyTooLargeException in(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyTooLargeException tooLarge) {
        return tooLarge;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
