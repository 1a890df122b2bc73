package io.github.s3eg.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StaticKeyManagerTest {

  private static final byte[] KEK =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] DEK = HexFormat.of().parseHex("ff".repeat(32));
  private static final byte[] AD = "ad".getBytes(StandardCharsets.US_ASCII);

  @Test
  void wrapsAndUnwrapsUnderAFingerprintReference() throws Exception {
    StaticKeyManager keys = new StaticKeyManager(KEK);
    assertThat(keys.provider()).isEqualTo("static");
    assertThat(keys.activeKey().id()).matches("static-[0-9a-f]{12}");
    assertThat(keys.activeKey()).isEqualTo(new StaticKeyManager(KEK.clone()).activeKey());
    WrappedKey wrapped = keys.wrap(DEK, AD);
    assertThat(wrapped.kek()).isEqualTo(keys.activeKey());
    assertThat(keys.unwrap(wrapped, AD)).isEqualTo(DEK);
  }

  @Test
  void theKekIsCopiedIn() throws Exception {
    byte[] kek = KEK.clone();
    StaticKeyManager keys = new StaticKeyManager(kek);
    WrappedKey wrapped = keys.wrap(DEK, AD);
    java.util.Arrays.fill(kek, (byte) 0);
    assertThat(keys.unwrap(wrapped, AD)).isEqualTo(DEK);
  }

  @Test
  void anotherKekOrReferenceOrAssociatedDataFails() throws Exception {
    StaticKeyManager keys = new StaticKeyManager(KEK);
    WrappedKey wrapped = keys.wrap(DEK, AD);
    assertThatThrownBy(() -> new StaticKeyManager(new byte[32]).unwrap(wrapped, AD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class);
    assertThatThrownBy(
            () -> new StaticKeyManager(new byte[32], keys.activeKey()).unwrap(wrapped, AD))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    assertThatThrownBy(() -> keys.unwrap(wrapped, "other".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    assertThatThrownBy(() -> keys.unwrap(new WrappedKey(keys.activeKey(), new byte[28]), AD))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
  }

  @Test
  void recoveryToolingCanNameThePasswordKekItHolds() throws Exception {
    KeyReference pw = new KeyReference("pw-bae6725269c9", 1);
    StaticKeyManager recovery = new StaticKeyManager(KEK, pw);
    assertThat(recovery.activeKey()).isEqualTo(pw);
    assertThat(recovery.unwrap(recovery.wrap(DEK, AD), AD)).isEqualTo(DEK);
  }

  @Test
  void onlyA256BitKekIsAccepted() {
    assertThatThrownBy(() -> new StaticKeyManager(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
