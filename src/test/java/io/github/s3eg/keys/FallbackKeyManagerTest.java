package io.github.s3eg.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FallbackKeyManagerTest {

  private static final byte[] AAD = "b/k".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private KeyringKeyManager keyring(String id) throws Exception {
    byte[] kek = new byte[32];
    new SecureRandom().nextBytes(kek);
    Path file = dir.resolve(id + ".json");
    Files.writeString(
        file,
        "{\"id\": \""
            + id
            + "\", \"keys\": [{\"version\": 1, \"key\": \""
            + Base64.getEncoder().encodeToString(kek)
            + "\"}]}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return new KeyringKeyManager(file, 0, Duration.ZERO);
  }

  @Test
  void wrapsWithThePrimaryAndUnwrapsWithWhicheverOwnsTheKek() throws Exception {
    KeyringKeyManager before = keyring("password");
    byte[] oldDek = new byte[32];
    oldDek[0] = 7;
    WrappedKey writtenBeforeMigration = before.wrap(oldDek, AAD);

    try (FallbackKeyManager both = new FallbackKeyManager(keyring("kms"), before)) {
      WrappedKey fresh = both.wrap(new byte[32], AAD);
      assertThat(fresh.kek().id()).isEqualTo("kms");
      assertThat(both.activeKey().id()).isEqualTo("kms");
      assertThat(both.provider()).isEqualTo("keyring");

      assertThat(both.unwrap(writtenBeforeMigration, AAD)).isEqualTo(oldDek);
      assertThat(both.unwrap(fresh, AAD)).isEqualTo(new byte[32]);
      assertThat(both.owns(writtenBeforeMigration.kek())).isTrue();
      assertThatThrownBy(
              () -> both.unwrap(new WrappedKey(new KeyReference("nobody", 1), new byte[60]), AAD))
          .isInstanceOf(KeyManagerException.KeyNotFound.class);
      assertThat(both.health()).isEqualTo(KeyManager.Health.up());
    }
  }

  /** A fallback that does not implement KeyOwnership is matched by its active key id. */
  @Test
  void routesByActiveKeyIdWhenTheFallbackCannotTell() throws Exception {
    KeyringKeyManager inner = keyring("password");
    KeyManager opaque =
        new KeyManager() {
          @Override
          public String provider() {
            return "password";
          }

          @Override
          public KeyReference activeKey() {
            return inner.activeKey();
          }

          @Override
          public WrappedKey wrap(byte[] dek, byte[] aad) throws KeyManagerException {
            return inner.wrap(dek, aad);
          }

          @Override
          public byte[] unwrap(WrappedKey wrapped, byte[] aad) throws KeyManagerException {
            return inner.unwrap(wrapped, aad);
          }

          @Override
          public Health health() {
            return Health.down("sealed");
          }
        };
    WrappedKey old = opaque.wrap(new byte[] {1, 2, 3}, AAD);
    FallbackKeyManager both = new FallbackKeyManager(keyring("kms"), opaque);
    assertThat(both.unwrap(old, AAD)).containsExactly(1, 2, 3);
    assertThat(both.health()).isEqualTo(KeyManager.Health.down("fallback password: sealed"));
  }
}
