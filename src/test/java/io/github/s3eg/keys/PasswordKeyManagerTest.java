package io.github.s3eg.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordKeyManagerTest {

  private static final byte[] DEK = new byte[32];
  private static final byte[] AD = "bucket/key".getBytes(StandardCharsets.UTF_8);

  /** Real PBKDF2 (600 000 iterations) costs 1-2 s in a cold JVM: three instances in this class. */
  private static PasswordKeyManager gatewayA;

  private static PasswordKeyManager gatewayB;

  @BeforeAll
  static void deriveOnce() {
    gatewayA = new PasswordKeyManager("correct horse battery staple".toCharArray());
    gatewayB = new PasswordKeyManager("correct horse battery staple".toCharArray());
  }

  @Test
  void derivationIsPinnedToPbkdf2WithTheDocumentedSalt() {
    // Fingerprint computed independently (Python hashlib.pbkdf2_hmac, 600 000 iterations,
    // salt "s3eg/password-kek/v1", then HMAC-SHA256(KEK, "s3eg/kek-fingerprint/v1")[:6]).
    assertThat(gatewayA.activeKey()).isEqualTo(new KeyReference("pw-bae6725269c9", 1));
    assertThat(gatewayA.provider()).isEqualTo("password");
    assertThat(gatewayA.health().healthy()).isTrue();
  }

  @Test
  void twoInstancesWithTheSamePasswordInteroperate() throws Exception {
    WrappedKey wrapped = gatewayA.wrap(DEK, AD);
    assertThat(wrapped.kek()).isEqualTo(gatewayB.activeKey());
    assertThat(gatewayB.unwrap(wrapped, AD)).isEqualTo(DEK);
    assertThat(wrapped.ciphertext()).hasSize(12 + 32 + 16);
  }

  @Test
  void aDifferentPasswordIsReportedAsSuch() throws Exception {
    PasswordKeyManager other =
        TestKeyManagers.fastPassword("a different password!", new AtomicInteger());
    assertThat(other.activeKey()).isNotEqualTo(gatewayA.activeKey());
    WrappedKey wrapped = gatewayA.wrap(DEK, AD);
    assertThatThrownBy(() -> other.unwrap(wrapped, AD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessageContaining("different password")
        .hasMessageContaining(gatewayA.activeKey().encode());
  }

  @Test
  void alteredWrapsOrAssociatedDataFailToUnwrap() throws Exception {
    WrappedKey wrapped = gatewayA.wrap(DEK, AD);
    assertThatThrownBy(
            () -> gatewayA.unwrap(wrapped, "bucket/other".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    byte[] bytes = wrapped.ciphertext();
    for (int i = 0; i < bytes.length; i++) {
      byte[] flipped = bytes.clone();
      flipped[i] ^= 0x40;
      WrappedKey altered = new WrappedKey(wrapped.kek(), flipped);
      assertThatThrownBy(() -> gatewayA.unwrap(altered, AD))
          .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    }
    WrappedKey otherVersion = new WrappedKey(new KeyReference(wrapped.kek().id(), 2), bytes);
    assertThatThrownBy(() -> gatewayA.unwrap(otherVersion, AD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class);
    WrappedKey notPassword = new WrappedKey(new KeyReference("kmip-17", 1), bytes);
    assertThatThrownBy(() -> gatewayA.unwrap(notPassword, AD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessageContaining("not a password KEK");
  }

  @Test
  void wrapsUseFreshNonces() throws Exception {
    assertThat(gatewayA.wrap(DEK, AD)).isNotEqualTo(gatewayA.wrap(DEK, AD));
  }

  @Test
  void shortPasswordsAreRefusedWithAClearMessage() {
    AtomicInteger derivations = new AtomicInteger();
    assertThatThrownBy(() -> TestKeyManagers.fastPassword("elevenchars", derivations))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 12 characters")
        .hasMessageNotContaining("elevenchars");
    // Eleven characters that are 22 UTF-16 units are still eleven characters.
    assertThatThrownBy(() -> TestKeyManagers.fastPassword("😀".repeat(11), derivations))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(derivations).hasValue(0);
    assertThat(TestKeyManagers.fastPassword("twelve chars", derivations).activeKey().id())
        .startsWith("pw-");
  }

  @Test
  void theKdfRunsOnceAtConstructionNeverPerRequest() throws Exception {
    AtomicInteger derivations = new AtomicInteger();
    PasswordKeyManager keys = TestKeyManagers.fastPassword("counted password", derivations);
    assertThat(derivations).hasValue(1);
    for (int i = 0; i < 100; i++) {
      byte[] ad = ("object-" + i).getBytes(StandardCharsets.UTF_8);
      assertThat(keys.unwrap(keys.wrap(DEK, ad), ad)).isEqualTo(DEK);
      keys.activeKey();
    }
    assertThat(derivations).hasValue(1);
  }

  @Test
  void aConfiguredSaltGivesAnotherKekAndShortSaltsAreRefused() {
    AtomicInteger calls = new AtomicInteger();
    PasswordKdf countingCheap =
        (pw, salt) -> {
          calls.incrementAndGet();
          byte[] k = new byte[32];
          System.arraycopy(salt, 0, k, 0, Math.min(32, salt.length));
          k[31] ^= (byte) pw.length;
          return k;
        };
    PasswordKeyManager defaultSalt =
        new PasswordKeyManager(
            "same password!".toCharArray(),
            PasswordKeyManager.DEFAULT_SALT.getBytes(StandardCharsets.US_ASCII),
            countingCheap,
            new SecureRandom());
    PasswordKeyManager ownSalt =
        new PasswordKeyManager(
            "same password!".toCharArray(),
            "deployment-7f3a-salt".getBytes(StandardCharsets.US_ASCII),
            countingCheap,
            new SecureRandom());
    assertThat(ownSalt.activeKey()).isNotEqualTo(defaultSalt.activeKey());
    assertThatThrownBy(() -> new PasswordKeyManager("same password!".toCharArray(), new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 bytes");
    assertThat(calls).hasValue(2);
  }

  @Test
  void nonAsciiPasswordsAreEncodedAsUtf8() {
    // Fingerprint computed with Python: pbkdf2_hmac over the UTF-8 bytes.
    assertThat(new PasswordKeyManager("pässwörd-with-ümlauts".toCharArray()).activeKey().id())
        .isEqualTo("pw-850dae4e8286");
  }
}
