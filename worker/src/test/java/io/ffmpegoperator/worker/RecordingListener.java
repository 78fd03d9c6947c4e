package io.ffmpegoperator.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare TCP listener on one address that counts every connection it accepts (so a refused fetch
 * can be shown to have sent nothing at all) and answers each with a 200 and {@link #BODY}.
 */
final class RecordingListener implements AutoCloseable {
  static final String BODY = "reached\n";

  private final ServerSocket socket;
  private final AtomicInteger hits = new AtomicInteger();

  /** Listens on {@code address} (e.g. "127.0.0.2": Linux routes all of 127/8 to lo). */
  RecordingListener(String address) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName(address));
    Thread thread = new Thread(this::serve, "recording-listener-" + address);
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Connections accepted so far. */
  int hits() {
    return hits.get();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        hits.incrementAndGet();
        connection.setSoTimeout(2000);
        readHead(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Length: "
                    + BODY.length()
                    + "\r\nConnection: close\r\n\r\n"
                    + BODY)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // closed, or a client that went away: keep listening until close()
      }
    }
  }

  /** Reads up to the blank line that ends a request's head. */
  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    for (int b; matched < end.length && (b = in.read()) >= 0; ) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
