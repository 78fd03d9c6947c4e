package io.ffmpegoperator.operator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * JDK HTTP servers ({@code com.sun.net.httpserver}) that answer without Nagle's delay.
 *
 * <p>The JDK server writes a response's headers and body as separate packets. With Nagle's
 * algorithm on, its default, the body then waits for the client to acknowledge the headers, and
 * clients delay that acknowledgement by up to 40 ms: every answer with a body pays it. The switch
 * is the system property {@value #NODELAY}, which the JDK reads once, when the first server of the
 * process is made. So every server here must be made through this class (or after {@link
 * #disableNagle()}), or one made earlier elsewhere in the process slows all the others. The
 * embedded stack runs the operator's servers and the API bridge in one JVM.
 */
public final class JdkHttpServers {
  static final String NODELAY = "sun.net.httpserver.nodelay";

  private JdkHttpServers() {}

  /**
   * Turns Nagle's algorithm off for every JDK server this process will make, unless the property
   * was already set (an operator's explicit choice wins). Call it before the first server.
   */
  public static void disableNagle() {
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  /** {@link HttpServer#create(InetSocketAddress, int)}, after {@link #disableNagle()}. */
  public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
    disableNagle();
    return HttpServer.create(address, backlog);
  }
}
