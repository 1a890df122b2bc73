package io.github.s3eg.keys.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM keys in the forms openssl and KMS vendors produce, generated with the openssl CLI. */
class PemFilesTest {

  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void createKeys() throws Exception {
    pki = TestPki.create(dir);
    TestPki.openssl(dir, "ec", "-in", "client.key", "-out", "client-sec1.key");
    TestPki.openssl(dir, "genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
    TestPki.openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "rsa-pkcs1.key", "-out", "rsa.key");
    TestPki.openssl(
        dir,
        "pkcs8",
        "-topk8",
        "-in",
        "client.key",
        "-out",
        "encrypted.key",
        "-passout",
        "pass:secret");
  }

  @Test
  void readsPkcs8Sec1AndPkcs1Keys() throws Exception {
    assertThat(Files.readString(pki.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("client-sec1.key")))
        .startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("rsa-pkcs1.key")))
        .startsWith("-----BEGIN RSA PRIVATE KEY-----");

    PrivateKey pkcs8 = PemFiles.privateKey(pki.clientKey());
    PrivateKey sec1 = PemFiles.privateKey(dir.resolve("client-sec1.key"));
    assertThat(pkcs8).isInstanceOf(ECPrivateKey.class);
    assertThat(((ECPrivateKey) sec1).getS()).isEqualTo(((ECPrivateKey) pkcs8).getS());

    RSAPrivateCrtKey pkcs1 = (RSAPrivateCrtKey) PemFiles.privateKey(dir.resolve("rsa-pkcs1.key"));
    RSAPrivateCrtKey rsa8 = (RSAPrivateCrtKey) PemFiles.privateKey(dir.resolve("rsa.key"));
    assertThat(pkcs1.getModulus()).isEqualTo(rsa8.getModulus());
    assertThat(pkcs1.getPrivateExponent()).isEqualTo(rsa8.getPrivateExponent());
  }

  @Test
  void refusesEncryptedMissingAndGarbageKeysWithoutEchoingThem() throws Exception {
    assertThatThrownBy(() -> PemFiles.privateKey(dir.resolve("encrypted.key")))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("encrypted private keys are not supported");
    assertThatThrownBy(() -> PemFiles.privateKey(dir.resolve("absent.key")))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("cannot read");
    Path garbage = dir.resolve("garbage.key");
    Files.writeString(
        garbage, "-----BEGIN PRIVATE KEY-----\nU0VDUkVU\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> PemFiles.privateKey(garbage))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageNotContaining("U0VDUkVU");
    assertThatThrownBy(() -> PemFiles.certificates(pki.clientKey()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("no PEM certificate");
  }

  @Test
  void readsCertificateChainsAndBuildsContexts() throws Exception {
    Path chain = dir.resolve("chain.pem");
    Files.writeString(chain, Files.readString(pki.clientCert()) + Files.readString(pki.caCert()));
    assertThat(PemFiles.certificates(chain)).hasSize(2);
    assertThat(MutualTls.context(pki.caCert(), chain, pki.clientKey()).getProtocol())
        .isEqualTo("TLS");
    assertThat(MutualTls.trustOnly(pki.caCert())).isNotNull();
  }
}
