package io.ffmpegoperator.bridge.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that fails with {@link BodyTooLargeException} once more than a limit is read. A
 * chunked body declares no length, so this is the only thing bounding it; at most one byte past the
 * limit is ever taken from the connection.
 */
final class LimitedInputStream extends FilterInputStream {
  /**
   * How much of a refused body is still read, and thrown away, before the answer. A server that
   * closes a connection with unread data resets it, and the client then loses the 413 as well; a
   * body much larger than this is cut off regardless.
   */
  static final long DRAIN_BYTES = 8L << 20;

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
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    // One byte more than allowed is enough to tell the body is too large.
    int allowed = (int) Math.min(length, limit - count + 1);
    int n = in.read(buffer, offset, allowed);
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes count too: read them rather than let the stream below skip unseen.
    byte[] discard = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    int read = discard.length == 0 ? 0 : read(discard, 0, discard.length);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readLimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void counted(int n) throws BodyTooLargeException {
    count += n;
    if (count > limit) {
      drainQuietly(in, DRAIN_BYTES);
      throw new BodyTooLargeException(detail);
    }
  }

  /** Reads up to {@code budget} bytes or to the end and throws them away; errors end it quietly. */
  static void drainQuietly(InputStream in, long budget) {
    byte[] buffer = new byte[8192];
    try {
      for (long left = budget; left > 0; ) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      // The client went away or the body is refused anyway: it gets the reset, nothing else.
    }
  }
}
