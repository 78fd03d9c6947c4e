package io.ffmpegoperator.bridge.http;

import java.io.InputStream;

/**
 * A request body that fails with {@link BodyTooLargeException} once more than a limit is read. A
 * chunked body declares no length, so this is the only thing bounding it; at most one byte past the
 * limit is ever taken from the connection.
 */
final class LimitedInputStream extends GuardedInputStream {
  private final long limit;
  private final String detail;
  private long count;

  /**
   * @param detail the message the client gets when the body goes past the limit
   */
  LimitedInputStream(InputStream in, long limit, String detail) {
    super(in);
    this.limit = limit;
    this.detail = detail;
  }

  @Override
  int allowance(int length) {
    // One byte more than allowed is enough to tell the body is too large.
    return (int) Math.min(length, limit - count + 1);
  }

  @Override
  void inspect(byte[] buffer, int offset, int length) throws BodyTooLargeException {
    count += length;
    if (count > limit) {
      throw refuse(detail);
    }
  }
}
