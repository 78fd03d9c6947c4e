package io.ffmpegoperator.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

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

  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * Answers {@code status} with the platform's error body, {@code {"detail": ...}}, or with no body
   * when {@code detail} is null; never cached.
   */
  static void send(HttpExchange exchange, int status, String detail) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (detail == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    sendJson(exchange, status, JSON.writeValueAsBytes(Map.of("detail", detail)));
  }

  /** Answers {@code status} with the JSON {@code body}; never cached. */
  static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Threads named {@code name} that never hold the JVM up. */
  static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
