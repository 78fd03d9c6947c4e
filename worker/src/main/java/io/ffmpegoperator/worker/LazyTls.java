package io.ffmpegoperator.worker;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * HttpClient's default TLS, set up on the first https connection instead of when a client is built.
 * Setting it up (the JDK's TLS context and trust store) is a noticeable part of a worker JVM's
 * start, which a run whose links are all plain http (in-cluster storage, the local node) never
 * needs to pay.
 */
final class LazyTls implements TlsSocketStrategy {
  static final LazyTls INSTANCE = new LazyTls();

  private LazyTls() {}

  /** Made on first use; the JVM initialises a holder class once, whatever the threads. */
  private static final class Default {
    static final TlsSocketStrategy TLS = DefaultClientTlsStrategy.createDefault();
  }

  @Override
  public SSLSocket upgrade(
      Socket socket, String target, int port, Object attachment, HttpContext context)
      throws IOException {
    return Default.TLS.upgrade(socket, target, port, attachment, context);
  }
}
