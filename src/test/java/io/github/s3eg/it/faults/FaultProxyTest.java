package io.github.s3eg.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.s3eg.it.faults.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy does what the fault tests rely on, checked against a plain echo server. */
class FaultProxyTest {

  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            try (s) {
                              s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException ignored) {
                              // Reset by the proxy: what some tests do.
                            }
                          });
                } catch (IOException closed) {
                  return;
                }
              }
            });
    proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(5_000);
    return s;
  }

  /** Sends {@code data} and reads back what arrives until the connection ends. */
  private static byte[] roundTrip(Socket s, byte[] data) throws IOException {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    try {
      out.write(data);
      out.flush();
    } catch (IOException resetWhileWriting) {
      // The fault may cut the connection before everything was written.
    }
    byte[] got = new byte[data.length];
    int n = 0;
    try {
      for (int r; n < got.length && (r = in.read(got, n, got.length - n)) > 0; ) {
        n += r;
      }
    } catch (IOException reset) {
      // Counted below: fewer bytes than sent.
    }
    return Arrays.copyOf(got, n);
  }

  @Test
  void passesBytesThroughUnchanged() throws IOException {
    byte[] data = new byte[300_000];
    new java.util.Random(1).nextBytes(data);
    try (Socket s = connect()) {
      assertThat(roundTrip(s, data)).isEqualTo(data);
    }
  }

  @Test
  void resetsAfterExactlyTheGivenBytesDownstream() throws IOException {
    proxy.resetAfter(Direction.DOWNSTREAM, 1000, 1);
    try (Socket s = connect()) {
      byte[] got = roundTrip(s, new byte[5000]);
      // An RST may discard bytes the client had not read yet: never more than the limit.
      assertThat(got.length).isLessThanOrEqualTo(1000);
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(IOException.class);
    }
    try (Socket s = connect()) {
      assertThat(roundTrip(s, new byte[5000]))
          .as("times=1: the next connection is clean")
          .hasSize(5000);
    }
  }

  @Test
  void refusesAndListensAgainOnTheSamePort() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, new byte[10])).hasSize(10);
    }
    proxy.refuse();
    long accepted = proxy.acceptedConnections();
    // The proxy keeps its port bound while refusing, so neither another listener nor a TCP
    // self-connect can answer in its place: the connect is refused, every time.
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(accepted);
    proxy.passThrough();
    try (Socket s = connect()) {
      assertThat(roundTrip(s, new byte[10])).hasSize(10);
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(accepted + 1);
  }

  @Test
  void noOtherListenerCanTakeThePortWhileItIsRefused() throws IOException {
    proxy.refuse();
    try (ServerSocket other = new ServerSocket()) {
      assertThatThrownBy(
              () ->
                  other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port())))
          .isInstanceOf(BindException.class);
    }
    proxy.passThrough();
    try (Socket s = connect()) {
      assertThat(roundTrip(s, new byte[10])).hasSize(10);
    }
  }

  @Test
  void aHungOrStalledConnectionStaysOpenUntilTheClientLeaves() throws IOException {
    proxy.stallAfter(Direction.DOWNSTREAM, 100, 1);
    try (Socket s = connect()) {
      s.setSoTimeout(500);
      s.getOutputStream().write(new byte[1000]);
      byte[] got = s.getInputStream().readNBytes(100);
      assertThat(got).hasSize(100);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> proxy.openConnections() == 0);

    proxy.passThrough().hang();
    try (Socket s = connect()) {
      s.setSoTimeout(500);
      s.getOutputStream().write(new byte[10]);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> proxy.openConnections() == 0);
  }
}
