package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpServersTest {
  private String before;

  @BeforeEach
  void rememberProperty() {
    before = System.getProperty(JdkHttpServers.NODELAY);
  }

  @AfterEach
  void restoreProperty() {
    if (before == null) {
      System.clearProperty(JdkHttpServers.NODELAY);
    } else {
      System.setProperty(JdkHttpServers.NODELAY, before);
    }
  }

  @Test
  void aServerMadeHereTurnsNaglesAlgorithmOffForTheProcess() throws Exception {
    System.clearProperty(JdkHttpServers.NODELAY);

    HttpServer server =
        JdkHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.stop(0);

    assertThat(System.getProperty(JdkHttpServers.NODELAY)).isEqualTo("true");
  }

  @Test
  void anExplicitSettingIsKept() {
    System.setProperty(JdkHttpServers.NODELAY, "false");

    JdkHttpServers.disableNagle();

    assertThat(System.getProperty(JdkHttpServers.NODELAY)).isEqualTo("false");
  }
}
