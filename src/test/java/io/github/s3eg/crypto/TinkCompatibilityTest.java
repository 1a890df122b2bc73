package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import io.github.s3eg.keys.StaticKeyManager;
import io.github.s3eg.keys.WrappedKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The AES-256-GCM body is Tink's {@code AesGcmHkdfStreaming} (HKDF-SHA256, 32-byte key, header
 * {@code 0x28 || salt(32) || noncePrefix(7)}, first segment offset 0): Tink reads what the engine
 * writes and the engine reads what Tink writes, with the DEK as Tink's ikm.
 */
class TinkCompatibilityTest {

  private static final byte[][] ASSOCIATED_DATA = {
    new byte[0],
    ObjectFormat.singleObjectBodyAssociatedData(),
    "part-7".getBytes(StandardCharsets.US_ASCII)
  };

  private static AesGcmHkdfStreaming tink(byte[] dek, SegmentLayout layout) throws Exception {
    return new AesGcmHkdfStreaming(dek, "HmacSha256", 32, layout.ciphertextSegmentSize(), 0);
  }

  private static byte[] tinkEncrypt(AesGcmHkdfStreaming tink, byte[] plaintext, byte[] ad)
      throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (OutputStream out = tink.newEncryptingStream(body, ad)) {
      out.write(plaintext);
    }
    return body.toByteArray();
  }

  private static long[] sizes(SegmentLayout layout) {
    long first = layout.plaintextCapacityOfSegment(0);
    long p = layout.plaintextSegmentSize();
    return new long[] {0, 1, first - 1, first, first + 1, first + 2 * p, first + 2 * p + 17};
  }

  @Test
  void tinkDecryptsWhatTheEngineWrites() throws Exception {
    for (SegmentLayout layout :
        new SegmentLayout[] {SegmentLayout.defaults(), SegmentLayout.of(64)}) {
      byte[] dek = Streams.randomBytes(11, 32);
      SegmentedAead engine = new SegmentedAead(Algorithm.AES256_GCM, layout, dek);
      AesGcmHkdfStreaming tink = tink(dek, layout);
      assertThat(tink.getHeaderLength()).isEqualTo(SegmentLayout.HEADER_LENGTH);
      assertThat(tink.getPlaintextSegmentSize()).isEqualTo(layout.plaintextSegmentSize());
      for (byte[] ad : ASSOCIATED_DATA) {
        for (long size : sizes(layout)) {
          byte[] plaintext = Streams.randomBytes(size, (int) size);
          byte[] body =
              Streams.readAll(engine.newEncryptingStream(new ByteArrayInputStream(plaintext), ad));
          assertThat((long) body.length).isEqualTo(tink.expectedCiphertextSize(size));
          byte[] decrypted =
              Streams.readAll(tink.newDecryptingStream(new ByteArrayInputStream(body), ad));
          assertThat(decrypted).as("size %d", size).isEqualTo(plaintext);
        }
      }
    }
  }

  @Test
  void theEngineDecryptsWhatTinkWritesIncludingRanges() throws Exception {
    for (SegmentLayout layout :
        new SegmentLayout[] {SegmentLayout.defaults(), SegmentLayout.of(64)}) {
      byte[] dek = Streams.randomBytes(12, 32);
      SegmentedAead engine = new SegmentedAead(Algorithm.AES256_GCM, layout, dek);
      AesGcmHkdfStreaming tink = tink(dek, layout);
      for (byte[] ad : ASSOCIATED_DATA) {
        for (long size : sizes(layout)) {
          byte[] plaintext = Streams.randomBytes(-size, (int) size);
          byte[] body = tinkEncrypt(tink, plaintext, ad);
          assertThat(
                  Streams.readAll(engine.newDecryptingStream(new ByteArrayInputStream(body), ad)))
              .isEqualTo(plaintext);
          if (size > 0) {
            StreamHeader header =
                StreamHeader.decode(Arrays.copyOf(body, SegmentLayout.HEADER_LENGTH));
            CiphertextRange r = layout.rangeFor(size / 3, size - 1, size);
            byte[] got =
                Streams.readAll(
                    engine.newRangeDecryptingStream(
                        new ByteArrayInputStream(
                            Streams.slice(body, r.ciphertextFirst(), r.ciphertextLast())),
                        header,
                        ad,
                        r));
            assertThat(got).isEqualTo(Streams.slice(plaintext, size / 3, size - 1));
          }
        }
      }
    }
  }

  @Test
  void aWholeGatewayObjectOpensWithTinkGivenTheUnwrappedDek() throws Exception {
    StaticKeyManager keys = new StaticKeyManager(Streams.randomBytes(13, 32));
    ObjectEncryptor encryptor = new ObjectEncryptor(keys);
    EncryptionSession session = encryptor.begin("bucket", "dir/object.bin");
    byte[] plaintext = Streams.randomBytes(14, 200_000);
    byte[] body = Streams.readAll(session.encrypt(new ByteArrayInputStream(plaintext)));

    ObjectMetadata metadata = ObjectMetadata.parse(session.metadata());
    byte[] dek =
        keys.unwrap(
            metadata.wrappedKey(),
            ObjectBinding.wrapAssociatedData(
                metadata.algorithm(),
                metadata.layout(),
                metadata.header(),
                "bucket",
                "dir/object.bin"));
    byte[] decrypted =
        Streams.readAll(
            tink(dek, metadata.layout())
                .newDecryptingStream(
                    new ByteArrayInputStream(body), ObjectFormat.singleObjectBodyAssociatedData()));
    assertThat(decrypted).isEqualTo(plaintext);
  }

  @Test
  void aTinkBodyWithGatewayMetadataOpensThroughTheDecryptor() throws Exception {
    StaticKeyManager keys = new StaticKeyManager(Streams.randomBytes(15, 32));
    SegmentLayout layout = SegmentLayout.defaults();
    byte[] dek = Streams.randomBytes(16, 32);
    byte[] plaintext = Streams.randomBytes(17, 150_000);
    byte[] body =
        tinkEncrypt(tink(dek, layout), plaintext, ObjectFormat.singleObjectBodyAssociatedData());
    StreamHeader header = StreamHeader.decode(Arrays.copyOf(body, SegmentLayout.HEADER_LENGTH));
    WrappedKey wrapped =
        keys.wrap(
            dek,
            ObjectBinding.wrapAssociatedData(
                Algorithm.AES256_GCM, layout, header, "bucket", "from-tink"));
    Map<String, String> metadata =
        new ObjectMetadata(Algorithm.AES256_GCM, layout, header, wrapped).toMap();

    OpenedObject object = new ObjectDecryptor(keys).open("bucket", "from-tink", metadata);
    assertThat(object.plaintextSize(body.length)).isEqualTo(plaintext.length);
    assertThat(Streams.readAll(object.decrypt(new ByteArrayInputStream(body))))
        .isEqualTo(plaintext);
    CiphertextRange r = object.suffixRange(70_000, plaintext.length);
    byte[] tail =
        Streams.readAll(
            object.decryptRange(
                new ByteArrayInputStream(
                    Streams.slice(body, r.ciphertextFirst(), r.ciphertextLast())),
                r));
    assertThat(tail).isEqualTo(Streams.slice(plaintext, 80_000, 149_999));
  }
}
