package io.ffmpegoperator.bridge.http;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bounds what the multipart parser keeps in memory while it streams an upload: it holds every
 * part's headers, and small parts whole, so an upload of a million tiny parts or of one endless
 * header line would fill the heap however the body's size is capped. This counts the parts and
 * measures each part's headers as the bytes go by, and fails the stream with {@link
 * BodyTooLargeException} (which makes the parser delete what it buffered) when either is too much.
 */
public final class MultipartGuard extends GuardedInputStream {
  /** Files per upload request; far above what a person picks at once. */
  public static final int MAX_PARTS = 64;

  /** A part's header lines together; a file part needs a few hundred bytes. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private final byte[] delimiter;
  private final int[] fallback;
  private int matched;
  private int delimiters;
  private boolean inHeaders;
  private int headerBytes;
  private int lastBytes;

  /**
   * @param boundary the boundary parameter of the request's Content-Type, unquoted
   */
  MultipartGuard(InputStream in, String boundary) {
    super(in);
    this.delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.fallback = fallbackTable(delimiter);
  }

  @Override
  void inspect(byte[] buffer, int offset, int length) throws BodyTooLargeException {
    for (int i = 0; i < length; i++) {
      inspect(buffer[offset + i]);
    }
  }

  private void inspect(byte b) throws BodyTooLargeException {
    if (inHeaders) {
      headerBytes++;
      lastBytes = (lastBytes << 8) | (b & 0xff);
      if (headerBytes == 2 && (lastBytes & 0xffff) == 0x2d2d) {
        inHeaders = false; // "--" right after the delimiter: the closing one, no headers follow
      } else if (lastBytes == 0x0d0a0d0a || (lastBytes & 0xffff) == 0x0a0a) {
        inHeaders = false;
      } else if (headerBytes > MAX_HEADER_BYTES) {
        throw refuse(
            "Upload part headers too large: at most " + MAX_HEADER_BYTES + " bytes per part");
      }
    }
    // Knuth-Morris-Pratt: one pass over the bytes, however the delimiter's start repeats.
    while (matched > 0 && b != delimiter[matched]) {
      matched = fallback[matched - 1];
    }
    if (b == delimiter[matched]) {
      matched++;
    }
    if (matched == delimiter.length) {
      matched = fallback[matched - 1];
      delimiters++;
      // N parts have N + 1 delimiters, the closing one included.
      if (delimiters > MAX_PARTS + 1) {
        throw refuse("Upload has too many parts: at most " + MAX_PARTS + " files per request");
      }
      inHeaders = true;
      headerBytes = 0;
      lastBytes = 0;
    }
  }

  private static int[] fallbackTable(byte[] pattern) {
    int[] table = new int[pattern.length];
    int k = 0;
    for (int i = 1; i < pattern.length; i++) {
      while (k > 0 && pattern[i] != pattern[k]) {
        k = table[k - 1];
      }
      if (pattern[i] == pattern[k]) {
        k++;
      }
      table[i] = k;
    }
    return table;
  }
}
