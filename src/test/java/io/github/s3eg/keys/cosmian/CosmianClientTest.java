package io.github.s3eg.keys.cosmian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.it.faults.RefusingPort;
import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.testing.TestPki;
import io.github.s3eg.keys.tls.MutualTls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CosmianClient} against a server replaying Cosmian's published JSON TTLV responses. */
class CosmianClientTest {

  static final String KEY = "027cced1-ff2b-4bd3-a200-db1041583bdc";
  static final byte[] HELLO = "Hello, world!\n".getBytes(StandardCharsets.UTF_8);
  static final byte[] AAD = "bucket/key".getBytes(StandardCharsets.UTF_8);
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private CosmianReplayServer server;
  private CosmianClient client;

  @BeforeEach
  void start() throws Exception {
    server = CosmianReplayServer.http();
    client = new CosmianClient(config(server.baseUri().toString(), Duration.ofSeconds(2)));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static CosmianClientConfig config(String endpoint, Duration timeout) {
    return new CosmianClientConfig(
        CosmianClientConfig.kmipEndpoint(endpoint),
        timeout,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void encryptSendsTheDocumentedRequestShapeAndReadsTheDocumentedResponse() throws Exception {
    GcmCiphertext sealed = client.encrypt(KEY, HELLO, AAD);

    assertThat(server.requests())
        .containsExactly(Fixtures.compact(Fixtures.read("client-encrypt-request.json")));
    assertThat(HEX.formatHex(sealed.iv())).isEqualTo("DBDD622A64F7D65E75894B1B");
    assertThat(HEX.formatHex(sealed.ciphertext())).isEqualTo("40D59A0735811135749A507FDEB3");
    assertThat(HEX.formatHex(sealed.tag())).isEqualTo("50FCE680540BD3E96EFA9218A2F1009D");
  }

  @Test
  void decryptSendsNonceCiphertextTagAndAad() throws Exception {
    GcmCiphertext sealed =
        new GcmCiphertext(
            HEX.parseHex("DBDD622A64F7D65E75894B1B"),
            HEX.parseHex("40D59A0735811135749A507FDEB3"),
            HEX.parseHex("50FCE680540BD3E96EFA9218A2F1009D"));

    assertThat(client.decrypt(KEY, sealed, AAD)).isEqualTo(HELLO);
    assertThat(server.requests())
        .containsExactly(Fixtures.compact(Fixtures.read("client-decrypt-request.json")));
  }

  @Test
  void createTagsAnEncryptDecryptKey() throws Exception {
    assertThat(client.createAes256Key(List.of("s3eg", "kek-1"))).isEqualTo(KEY);
    assertThat(server.requests())
        .containsExactly(Fixtures.compact(Fixtures.read("client-create-request.json")));
  }

  @Test
  void reportsTheServerVersion() throws Exception {
    assertThat(client.serverVersion(Duration.ofSeconds(1))).isEqualTo("4.16.0");
  }

  @Test
  void typesFailuresWithoutEchoingErrorBodies() throws Exception {
    server.forceStatus(422);
    assertThatThrownBy(() -> client.encrypt(KEY, HELLO, AAD))
        .isInstanceOfSatisfying(
            CosmianException.HttpError.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageNotContaining("secret");

    server.forceStatus(0);
    server.forceBody("{\"tag\":\"DecryptResponse\",\"type\":\"Structure\",\"value\":[]}");
    assertThatThrownBy(() -> client.encrypt(KEY, HELLO, AAD))
        .isInstanceOf(CosmianException.ProtocolError.class);
    server.forceBody("not json");
    assertThatThrownBy(() -> client.encrypt(KEY, HELLO, AAD))
        .isInstanceOf(CosmianException.ProtocolError.class);
  }

  @Test
  void timesOutAndDetectsRefusedConnections() throws Exception {
    server.delay(1500);
    try (CosmianClient impatient =
        new CosmianClient(config(server.baseUri().toString(), Duration.ofMillis(300)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> impatient.encrypt(KEY, HELLO, AAD))
          .isInstanceOfSatisfying(
              CosmianException.Unreachable.class, e -> assertThat(e.kind()).isEqualTo("timed out"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
    try (RefusingPort closed = RefusingPort.open();
        CosmianClient nowhere =
            new CosmianClient(config("http://127.0.0.1:" + closed.port(), Duration.ofSeconds(1)))) {
      assertThatThrownBy(() -> nowhere.serverVersion(Duration.ofSeconds(1)))
          .isInstanceOfSatisfying(
              CosmianException.Unreachable.class,
              e -> assertThat(e.kind()).isEqualTo("connection refused"));
    }
  }

  @Test
  void speaksMutualTls(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    try (CosmianReplayServer tls =
        CosmianReplayServer.https(
            MutualTls.context(pki.caCert(), pki.serverCert(), pki.serverKey()))) {
      CosmianClientConfig config =
          new CosmianClientConfig(
              CosmianClientConfig.kmipEndpoint(tls.baseUri().toString()),
              Duration.ofSeconds(2),
              Optional.of(pki.caCert()),
              Optional.of(pki.clientCert()),
              Optional.of(pki.clientKey()));
      try (CosmianClient mutual = new CosmianClient(config)) {
        assertThat(mutual.encrypt(KEY, HELLO, AAD).ciphertext()).hasSize(HELLO.length);
      }
      CosmianClientConfig anonymous =
          new CosmianClientConfig(
              config.kmipEndpoint(),
              config.timeout(),
              config.caCert(),
              Optional.empty(),
              Optional.empty());
      try (CosmianClient withoutCertificate = new CosmianClient(anonymous)) {
        assertThatThrownBy(() -> withoutCertificate.encrypt(KEY, HELLO, AAD))
            .isInstanceOf(CosmianException.Unreachable.class);
      }
    }
  }

  @Test
  void normalisesEndpoints() {
    assertThat(CosmianClientConfig.kmipEndpoint("https://kms.example:9998"))
        .isEqualTo(URI.create("https://kms.example:9998/kmip/2_1"));
    assertThat(CosmianClientConfig.kmipEndpoint("http://kms:9998/kmip/2_1"))
        .isEqualTo(URI.create("http://kms:9998/kmip/2_1"));
    assertThat(config("https://kms.example:9998/", Duration.ofSeconds(1)).versionEndpoint())
        .isEqualTo(URI.create("https://kms.example:9998/version"));
    assertThat(config("http://h/proxy/kmip/2_1", Duration.ofSeconds(1)).versionEndpoint())
        .isEqualTo(URI.create("http://h/proxy/version"));
    for (String bad : List.of("kms:9998", "ftp://kms", "http://kms?x=1", "http://u:p@kms", "::")) {
      assertThatThrownBy(() -> CosmianClientConfig.kmipEndpoint(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
