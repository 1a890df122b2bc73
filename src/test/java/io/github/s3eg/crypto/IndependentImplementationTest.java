package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decrypts engine bodies with a second implementation of the construction written from the
 * specification (docs/object-format.md) on BouncyCastle's low-level primitives, sharing no code
 * with the engine. Tink already covers AES-256-GCM; this is the cross-check for ChaCha20-Poly1305
 * (and AES again).
 */
class IndependentImplementationTest {

  /** The specification, as directly as possible. */
  private static byte[] decryptFromSpec(
      Algorithm algorithm, int plaintextSegmentSize, byte[] dek, byte[] ad, byte[] body)
      throws InvalidCipherTextException {
    assertThat(body[0]).isEqualTo((byte) 40);
    byte[] salt = Arrays.copyOfRange(body, 1, 33);
    byte[] prefix = Arrays.copyOfRange(body, 33, 40);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(dek, salt, ad));
    byte[] key = new byte[32];
    hkdf.generateBytes(key, 0, 32);

    int ciphertextSegmentSize = plaintextSegmentSize + 16;
    ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
    int offset = 40;
    for (int segment = 0; offset < body.length; segment++) {
      int end = segment == 0 ? ciphertextSegmentSize : offset + ciphertextSegmentSize;
      boolean last = end >= body.length;
      end = Math.min(end, body.length);
      byte[] nonce =
          ByteBuffer.allocate(12).put(prefix).putInt(segment).put((byte) (last ? 1 : 0)).array();
      AEADCipher cipher =
          algorithm == Algorithm.AES256_GCM
              ? GCMBlockCipher.newInstance(AESEngine.newInstance())
              : new ChaCha20Poly1305();
      cipher.init(false, new AEADParameters(new KeyParameter(key), 128, nonce));
      byte[] out = new byte[cipher.getOutputSize(end - offset)];
      int n = cipher.processBytes(body, offset, end - offset, out, 0);
      n += cipher.doFinal(out, n);
      plaintext.write(out, 0, n);
      offset = end;
    }
    return plaintext.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aSpecReaderOnBouncyCastleDecryptsEngineBodies(Algorithm algorithm) throws Exception {
    byte[] dek = Streams.randomBytes(21, 32);
    byte[] ad = ObjectFormat.singleObjectBodyAssociatedData();
    for (int segmentSize : new int[] {64, 16 * 1024}) {
      SegmentedAead engine = new SegmentedAead(algorithm, SegmentLayout.of(segmentSize), dek);
      for (int size : new int[] {0, 1, segmentSize - 40, segmentSize - 39, 5 * segmentSize + 3}) {
        byte[] plaintext = Streams.randomBytes(size, size);
        byte[] body =
            Streams.readAll(engine.newEncryptingStream(new ByteArrayInputStream(plaintext), ad));
        assertThat(decryptFromSpec(algorithm, segmentSize, dek, ad, body))
            .as("%s, segment %d, size %d", algorithm, segmentSize, size)
            .isEqualTo(plaintext);
      }
    }
  }

  @Test
  void theSpecReaderIsStrictEnoughToNotice() {
    byte[] dek = Streams.randomBytes(22, 32);
    byte[] ad = ObjectFormat.singleObjectBodyAssociatedData();
    SegmentedAead engine =
        new SegmentedAead(Algorithm.CHACHA20_POLY1305, SegmentLayout.of(64), dek);
    byte[] body =
        Streams.readAll(engine.newEncryptingStream(new ByteArrayInputStream(new byte[100]), ad));
    byte[] otherAd = "s3eg/v1/other".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> decryptFromSpec(Algorithm.CHACHA20_POLY1305, 64, dek, otherAd, body))
        .isInstanceOf(InvalidCipherTextException.class);
  }
}
