package io.github.s3eg.keys.kmip;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.keys.CachingKeyManager;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerFactory;
import io.github.s3eg.keys.WrappedKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The factory's kmip provider, configured only through settings, against PyKMIP. */
@ExtendWith(PyKmipExtension.class)
class KeyManagerFactoryPyKmipTest {

  @Test
  void buildsAWorkingKmipKeyManagerFromSettings(PyKmipServer server) throws Exception {
    String id;
    try (KmipClient admin = new KmipClient(server.clientConfig())) {
      id = admin.createAes256Key("s3eg-factory");
      admin.activate(id);
    }
    Map<String, String> settings =
        Map.of(
            "KEY_MANAGER_ENABLED",
            "true",
            "KEY_MANAGER_PROVIDER",
            "kmip",
            "KEY_MANAGER_DUAL_READ_WINDOW",
            "2",
            "COSMIAN_KMS_ENDPOINT",
            "kmip://127.0.0.1:" + server.port(),
            "COSMIAN_KMS_TIMEOUT",
            "3s",
            "COSMIAN_KMS_KEYS",
            id + ":5",
            "COSMIAN_KMS_CA_CERT",
            server.pki().caCert().toString(),
            "COSMIAN_KMS_CLIENT_CERT",
            server.pki().clientCert().toString(),
            "COSMIAN_KMS_CLIENT_KEY",
            server.pki().clientKey().toString());
    try (KeyManager manager = KeyManagerFactory.create(settings, null)) {
      byte[] dek = new byte[32];
      dek[31] = 1;
      byte[] aad = "b/k".getBytes(StandardCharsets.UTF_8);
      WrappedKey wrapped = manager.wrap(dek, aad);
      assertThat(wrapped.kek().version()).isEqualTo(5);
      assertThat(manager.unwrap(wrapped, aad)).isEqualTo(dek);
      assertThat(manager.unwrap(wrapped, aad)).isEqualTo(dek);
      assertThat(((CachingKeyManager) manager).stats().delegateCalls()).isEqualTo(1);
      assertThat(manager.health()).isEqualTo(KeyManager.Health.up());
    }
  }
}
