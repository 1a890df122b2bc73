package io.github.s3eg.keys.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.CachingKeyManager;
import io.github.s3eg.keys.KekVersions;
import io.github.s3eg.keys.KeyManager.Health;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.WrappedKey;
import io.github.s3eg.keys.ttlv.KmipEnums.RevocationReasonCode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link KmipKeyManager} against a real PyKMIP server: wrap, unwrap, rotation, revocation. */
@ExtendWith(PyKmipExtension.class)
class KmipKeyManagerPyKmipTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] AAD = "bucket/photos/cat.jpg|v1".getBytes(StandardCharsets.UTF_8);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

  private final KmipClient client;

  KmipKeyManagerPyKmipTest(PyKmipServer server) throws Exception {
    this.client = new KmipClient(server.clientConfig());
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private String newActiveKey() throws KmipException {
    String id = client.createAes256Key("s3eg-kek-" + UUID.randomUUID());
    client.activate(id);
    return id;
  }

  private KmipKeyManager manager(String spec, int window) {
    return new KmipKeyManager(
        client, KekVersions.parse(spec, OptionalInt.empty(), window), HEALTH_TIMEOUT);
  }

  private static byte[] newDek() {
    byte[] dek = new byte[32];
    RANDOM.nextBytes(dek);
    return dek;
  }

  @Test
  void wrapsAndUnwrapsADataKey() throws Exception {
    String id = newActiveKey();
    KmipKeyManager manager = manager(id + ":1", 1);
    byte[] dek = newDek();

    WrappedKey wrapped = manager.wrap(dek, AAD);

    assertThat(wrapped.kek()).isEqualTo(new KeyReference(id, 1));
    assertThat(wrapped.ciphertext()).hasSize(12 + 32 + 16);
    assertThat(manager.unwrap(wrapped, AAD)).isEqualTo(dek);
    assertThat(manager.wrap(dek, AAD).ciphertext())
        .as("a fresh IV per wrap")
        .isNotEqualTo(wrapped.ciphertext());
    assertThat(manager.health()).isEqualTo(Health.up());
    assertThat(manager.provider()).isEqualTo("kmip");
  }

  @Test
  void refusesAWrongAssociatedDataOrAlteredBytes() throws Exception {
    KmipKeyManager manager = manager(newActiveKey() + ":1", 1);
    WrappedKey wrapped = manager.wrap(newDek(), AAD);

    byte[] otherObject = "bucket/photos/dog.jpg|v1".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> manager.unwrap(wrapped, otherObject))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);

    byte[] altered = wrapped.ciphertext();
    altered[20] ^= 1;
    assertThatThrownBy(() -> manager.unwrap(new WrappedKey(wrapped.kek(), altered), AAD))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    assertThatThrownBy(() -> manager.unwrap(new WrappedKey(wrapped.kek(), new byte[10]), AAD))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
  }

  @Test
  void rotationKeepsOlderVersionsReadableWithinTheWindowOnly() throws Exception {
    String v1 = newActiveKey();
    String v2 = newActiveKey();
    String v3 = newActiveKey();
    byte[] dek1 = newDek();
    WrappedKey underV1 = manager(v1 + ":1", 1).wrap(dek1, AAD);

    // Add version 2: it becomes active, version 1 stays readable (window 1).
    KmipKeyManager rotated = manager(v1 + ":1," + v2 + ":2", 1);
    assertThat(rotated.activeKey()).isEqualTo(new KeyReference(v2, 2));
    WrappedKey underV2 = rotated.wrap(dek1, AAD);
    assertThat(underV2.kek().version()).isEqualTo(2);
    assertThat(rotated.unwrap(underV1, AAD)).isEqualTo(dek1);

    // Add version 3: version 1 falls outside the window and is refused without asking the server.
    KmipKeyManager twice = manager(v1 + ":1," + v2 + ":2," + v3 + ":3", 1);
    long before = client.requestCount();
    assertThatThrownBy(() -> twice.unwrap(underV1, AAD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessageContaining("version 1")
        .hasMessageContaining("dual-read window");
    assertThat(client.requestCount()).isEqualTo(before);
    assertThat(twice.unwrap(underV2, AAD)).isEqualTo(dek1);

    // An explicit active version stages a newer key: wraps stay on 2, version 3 is readable.
    KmipKeyManager staged =
        new KmipKeyManager(
            client,
            KekVersions.parse(v2 + ":2," + v3 + ":3", OptionalInt.of(2), 0),
            HEALTH_TIMEOUT);
    assertThat(staged.wrap(dek1, AAD).kek().version()).isEqualTo(2);
    assertThat(staged.unwrap(twice.wrap(dek1, AAD), AAD)).isEqualTo(dek1);

    // A version that is not configured at all.
    assertThatThrownBy(
            () -> rotated.unwrap(new WrappedKey(new KeyReference(v3, 9), new byte[60]), AAD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessageContaining("version 9");
  }

  /**
   * PyKMIP refuses Decrypt under a key that is not Active (Permission Denied), so revoking a KEK
   * makes objects still wrapped under it unreadable: objects must be re-wrapped under the new
   * version before the old one is revoked. This test runs that procedure.
   */
  @Test
  void revokedKeysNoLongerUnwrapSoObjectsAreRewrappedFirst() throws Exception {
    String v1 = newActiveKey();
    String v2 = newActiveKey();
    byte[] dek = newDek();
    WrappedKey old = manager(v1 + ":1", 1).wrap(dek, AAD);
    WrappedKey stale = manager(v1 + ":1", 1).wrap(newDek(), AAD);
    KmipKeyManager rotated = manager(v1 + ":1," + v2 + ":2", 1);

    WrappedKey rewrapped = rotated.wrap(rotated.unwrap(old, AAD), AAD);
    client.revoke(v1, RevocationReasonCode.SUPERSEDED);

    assertThat(rotated.unwrap(rewrapped, AAD)).isEqualTo(dek);
    assertThatThrownBy(() -> rotated.unwrap(stale, AAD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessageContaining("PermissionDenied");
  }

  @Test
  void aKeyUnknownToTheServerIsKeyNotFound() {
    KmipKeyManager manager = manager("999999:1", 0);
    assertThatThrownBy(() -> manager.wrap(newDek(), AAD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class);
  }

  @Test
  void theCacheTurnsRepeatedUnwrapsIntoOneKmipCall() throws Exception {
    KmipKeyManager manager = manager(newActiveKey() + ":1", 1);
    CachingKeyManager cached = new CachingKeyManager(manager, Duration.ofMinutes(5), 100);
    byte[] dek = newDek();
    WrappedKey wrapped = cached.wrap(dek, AAD);

    long before = client.requestCount();
    for (int i = 0; i < 20; i++) {
      assertThat(cached.unwrap(wrapped, AAD)).isEqualTo(dek);
    }
    assertThat(client.requestCount() - before).isEqualTo(1);
    assertThat(cached.stats()).isEqualTo(new CachingKeyManager.Stats(19, 1, 1));

    // A wrong AAD is a different cache entry and still reaches (and is refused by) the server.
    assertThatThrownBy(() -> cached.unwrap(wrapped, "x".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    assertThat(client.requestCount() - before).isEqualTo(2);
    assertThat(cached.size()).isEqualTo(1);
  }
}
