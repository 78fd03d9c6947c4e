package io.ffmpegoperator.bridge.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body whose bytes are looked at as they are read, failing with {@link
 * BodyTooLargeException} once a check refuses them. Every way of reading goes through the check,
 * skipping included, and mark/reset is refused, so no byte reaches the reader unseen or twice.
 */
abstract class GuardedInputStream extends FilterInputStream {
  /**
   * How much of a refused body is still read, and thrown away, before the answer. A server that
   * closes a connection with unread data resets it, and the client then loses the 413 as well; a
   * body much larger than this is cut off regardless.
   */
  static final long DRAIN_BYTES = 8L << 20;

  private final byte[] single = new byte[1];

  GuardedInputStream(InputStream in) {
    super(in);
  }

  /** Looks at bytes just read; throws {@link #refuse} when they are too much. */
  abstract void inspect(byte[] buffer, int offset, int length) throws BodyTooLargeException;

  /** How many of the {@code length} bytes asked for may be read at once; all of them here. */
  int allowance(int length) {
    return length;
  }

  /** The error for a refused body, once what the client still sends is read and dropped. */
  final BodyTooLargeException refuse(String detail) {
    drainQuietly(in, DRAIN_BYTES);
    return new BodyTooLargeException(detail);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      single[0] = (byte) b;
      inspect(single, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int n = in.read(buffer, offset, allowance(length));
    if (n > 0) {
      inspect(buffer, offset, n);
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
