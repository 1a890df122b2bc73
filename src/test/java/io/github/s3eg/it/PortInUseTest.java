package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.Gateway;
import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.GatewayConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port another program listens on is a configuration problem with one line naming LISTEN_ADDR,
 * not a stack trace (issue 19: the first start on a machine where 8080 is taken).
 */
class PortInUseTest {

  @Test
  void aTakenPortNamesListenAddr(@TempDir Path data) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      GatewayConfig config =
          GatewayConfig.from(
              Map.of(
                  "LISTEN_ADDR",
                  listen,
                  "DATA_DIR",
                  data.toString(),
                  "AUTH_ACCESS_KEY",
                  GatewayFixture.CLIENT_KEY,
                  "AUTH_SECRET_KEY",
                  GatewayFixture.CLIENT_SECRET),
              new Properties());
      assertThatThrownBy(() -> Gateway.start(config).close())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("LISTEN_ADDR " + listen + " cannot be used")
          .hasMessageContaining("another program listens there");
    }
  }
}
