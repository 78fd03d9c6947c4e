package io.ffmpegoperator.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a child's stderr on its own thread, keeping only the last bytes, so a chatty ffmpeg never
 * blocks on a full pipe and never fills the heap.
 */
public final class StderrTail {
  public static final int DEFAULT_LIMIT = 8 * 1024;

  private final byte[] ring;
  private final Thread thread;
  private long total;

  private StderrTail(InputStream stream, int limit, String threadName) {
    this.ring = new byte[limit];
    this.thread = new Thread(() -> drain(stream), threadName);
    thread.setDaemon(true);
  }

  /** Starts draining {@code stream} in the background, keeping its last {@code limit} bytes. */
  public static StderrTail start(InputStream stream, int limit, String threadName) {
    StderrTail tail = new StderrTail(stream, limit, threadName);
    tail.thread.start();
    return tail;
  }

  /** Waits until the stream ends, then returns its last bytes as text. */
  public String awaitText() throws InterruptedException {
    thread.join();
    return text();
  }

  private void drain(InputStream stream) {
    byte[] buffer = new byte[4096];
    try (stream) {
      int n;
      while ((n = stream.read(buffer)) > 0) {
        append(buffer, n);
      }
    } catch (IOException e) {
      // The child died or its pipe was closed: what we kept so far is all there is.
    }
  }

  private synchronized void append(byte[] buffer, int n) {
    for (int i = 0; i < n; i++) {
      ring[(int) (total++ % ring.length)] = buffer[i];
    }
  }

  private synchronized String text() {
    int kept = (int) Math.min(total, ring.length);
    byte[] out = new byte[kept];
    long start = total - kept;
    for (int i = 0; i < kept; i++) {
      out[i] = ring[(int) ((start + i) % ring.length)];
    }
    String text = new String(out, StandardCharsets.UTF_8);
    // A cut first line is a fragment, not a message: drop it.
    if (total > ring.length) {
      int newline = text.indexOf('\n');
      text = newline >= 0 ? text.substring(newline + 1) : "";
    }
    return text;
  }
}
