package io.github.s3eg.keys.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.it.faults.RefusingPort;
import io.github.s3eg.keys.KekVersions;
import io.github.s3eg.keys.KeyManager.Health;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.WrappedKey;
import io.github.s3eg.keys.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A KMIP server that goes away, never answers, or refuses our certificate. */
class KmipOutageTest {

  private static final byte[] AAD = {1, 2, 3};
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  @Test
  void aStoppedServerMakesUnwrapUnavailableQuicklyAndHealthDown(@TempDir Path dir)
      throws Exception {
    try (PyKmipServer server = PyKmipServer.start(dir)) {
      KmipClientConfig config = server.clientConfig().withTimeouts(TIMEOUT, TIMEOUT);
      try (KmipClient client = new KmipClient(config)) {
        String id = client.createAes256Key("outage");
        client.activate(id);
        KmipKeyManager manager =
            new KmipKeyManager(
                client, KekVersions.parse(id + ":1", OptionalInt.empty(), 0), TIMEOUT);
        byte[] dek = new byte[32];
        WrappedKey wrapped = manager.wrap(dek, AAD);

        server.stop();

        long start = System.nanoTime();
        assertThatThrownBy(() -> manager.unwrap(wrapped, AAD))
            .isInstanceOf(KeyManagerException.Unavailable.class)
            .hasMessageStartingWith("KMIP server unavailable");
        assertThatThrownBy(() -> manager.wrap(dek, AAD))
            .isInstanceOf(KeyManagerException.Unavailable.class);
        Health health = manager.health();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(health).isEqualTo(Health.down("kmip: connection refused"));

        server.startProcess();
        assertThat(manager.unwrap(wrapped, AAD)).isEqualTo(dek);
        assertThat(manager.health().healthy()).isTrue();
      }
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOut(@TempDir Path dir) throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        accepted.add(silent.accept());
                      }
                    } catch (java.io.IOException closed) {
                      // test over
                    }
                  });
      TestPki pki = TestPki.create(dir);
      KmipClientConfig config =
          KmipClientConfig.of(
                  "127.0.0.1",
                  silent.getLocalPort(),
                  pki.caCert(),
                  pki.clientCert(),
                  pki.clientKey())
              .withTimeouts(TIMEOUT, TIMEOUT)
              .withProtocolVersion(KmipVersion.V1_4);
      try (KmipClient client = new KmipClient(config)) {
        KmipKeyManager manager =
            new KmipKeyManager(
                client, KekVersions.parse("1:1", OptionalInt.empty(), 0), Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThatThrownBy(() -> manager.wrap(new byte[32], AAD))
            .isInstanceOf(KeyManagerException.Unavailable.class)
            .hasMessageContaining("timed out");
        // Under the client's 5 s default, so the configured 800 ms is what ended the wait; wide
        // enough for a loaded machine.
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isLessThan(Duration.ofMillis(4_500));
        assertThat(manager.health()).isEqualTo(Health.down("kmip: timed out"));
      }
      acceptor.interrupt();
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void nothingListeningIsUnavailableAtOnce(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    try (RefusingPort nothing = RefusingPort.open();
        KmipClient client =
            new KmipClient(
                KmipClientConfig.of(
                    "127.0.0.1",
                    nothing.port(),
                    pki.caCert(),
                    pki.clientCert(),
                    pki.clientKey()))) {
      KmipKeyManager manager =
          new KmipKeyManager(
              client, KekVersions.parse("1:1", OptionalInt.empty(), 0), Duration.ofSeconds(1));
      assertThatThrownBy(
              () -> manager.unwrap(new WrappedKey(manager.activeKey(), new byte[60]), AAD))
          .isInstanceOf(KeyManagerException.Unavailable.class);
      assertThat(manager.health().detail()).isEqualTo("kmip: connection refused");
    }
  }

  @Test
  @ExtendWith(PyKmipExtension.class)
  void certificatesFromAnotherCaAreRefused(PyKmipServer server, @TempDir Path dir)
      throws Exception {
    TestPki stranger = TestPki.create(dir);
    KmipClientConfig config =
        KmipClientConfig.of(
            "127.0.0.1",
            server.port(),
            stranger.caCert(),
            stranger.clientCert(),
            stranger.clientKey());
    try (KmipClient client = new KmipClient(config)) {
      KmipKeyManager manager =
          new KmipKeyManager(
              client, KekVersions.parse("1:1", OptionalInt.empty(), 0), Duration.ofSeconds(2));
      assertThat(manager.health()).isEqualTo(Health.down("kmip: TLS handshake failed"));
    }
  }
}
