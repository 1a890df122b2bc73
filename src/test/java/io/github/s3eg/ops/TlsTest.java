package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.keys.testing.TestPki;
import io.github.s3eg.keys.tls.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/** TLS_*: HTTPS with a PEM certificate, TLS 1.2+ only, HSTS, and reload without restart. */
class TlsTest {

  @TempDir static Path dir;
  private static TestPki pki;
  private static Path certFile;
  private static Path keyFile;
  private static TrustManagerFactory trust;
  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir.resolve("pki"));
    certFile = dir.resolve("tls.pem");
    keyFile = dir.resolve("tls.key");
    Files.copy(pki.serverCert(), certFile);
    Files.copy(pki.serverKey(), keyFile);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", PemFiles.certificates(pki.caCert()).get(0));
    trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    fixture =
        GatewayFixture.start(
            Map.of(
                "TLS_ENABLED", "true",
                "TLS_CERT_FILE", certFile.toString(),
                "TLS_KEY_FILE", keyFile.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static URI https(String path) {
    return URI.create("https://127.0.0.1:" + fixture.gateway().port() + path);
  }

  private static SSLContext sslContext() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** The certificate the gateway presents to a new connection. */
  private static X509Certificate servedCertificate() throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            sslContext().getSocketFactory().createSocket("127.0.0.1", fixture.gateway().port())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void sdkWorksOverTlsWithHsts() throws Exception {
    try (S3Client s3 =
        fixture
            .clientBuilder()
            .endpointOverride(https(""))
            .httpClient(
                ApacheHttpClient.builder()
                    .tlsTrustManagersProvider(trust::getTrustManagers)
                    .build())
            .build()) {
      s3.createBucket(b -> b.bucket("tls"));
      s3.putObject(b -> b.bucket("tls").key("k"), RequestBody.fromString("over tls"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("tls").key("k")).asUtf8String())
          .isEqualTo("over tls");
    }
    try (HttpClient http = HttpClient.newBuilder().sslContext(sslContext()).build()) {
      HttpResponse<String> live =
          http.send(
              HttpRequest.newBuilder(https("/live")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      SecurityHeadersTest.assertSecurityHeaders(live.headers(), true);
      HttpResponse<String> denied =
          http.send(
              HttpRequest.newBuilder(https("/tls/k")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(denied.statusCode()).isEqualTo(403);
      SecurityHeadersTest.assertSecurityHeaders(denied.headers(), true);
    }
  }

  @Test
  void replacedCertificateIsServedWithoutRestart() throws Exception {
    X509Certificate before = servedCertificate();
    assertThat(before).isEqualTo(PemFiles.certificates(certFile).get(0));

    Path[] renewed =
        pki.issue(
            "renewed",
            "/CN=127.0.0.1",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                + "keyUsage=critical,digitalSignature,keyAgreement\n");
    X509Certificate expected = PemFiles.certificates(renewed[0]).get(0);
    assertThat(expected.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
    // As a renewal tool would: key first, then certificate (briefly a mismatched pair).
    Files.copy(renewed[1], keyFile, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(renewed[0], certFile, StandardCopyOption.REPLACE_EXISTING);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(servedCertificate()).isEqualTo(expected));
    // Every new connection gets the new certificate from now on.
    for (int i = 0; i < 5; i++) {
      assertThat(servedCertificate()).isEqualTo(expected);
    }
  }

  @Test
  void tls11IsRefusedTls12Accepted() throws Exception {
    String port = Integer.toString(fixture.gateway().port());
    Result tls12 = sClient(port, "-tls1_2");
    assertThat(tls12.exit()).as(tls12.output()).isZero();
    Result tls11 = sClient(port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
    assertThat(tls11.exit()).as(tls11.output()).isNotZero();
    assertThat(tls11.output()).containsIgnoringCase("protocol version");
  }

  private record Result(int exit, String output) {}

  private static Result sClient(String port, String... options)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-CAfile",
                pki.caCert().toString()));
    command.addAll(List.of(options));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }
}
