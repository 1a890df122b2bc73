package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.keys.StaticKeyManager;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Tampering with compressed objects. Changes to stored bytes (frames or index) are caught by the
 * encryption around the container, before any plaintext of the affected segment is released; a
 * container that is inconsistent inside a valid encryption (a writer defect, or a forgery with the
 * data key) is caught by the container reader. Either way the failure is typed and nothing of the
 * affected frame is released.
 */
class CompressedTamperTest {

  private static final int FRAME = 1024;
  private static final Compression ZSTD = new Compression(Codec.ZSTD, FrameLayout.of(FRAME));
  private static final Compression GZIP = new Compression(Codec.GZIP, FrameLayout.of(FRAME));

  private final StaticKeyManager keys = new StaticKeyManager(Streams.randomBytes(51, 32));
  private final ObjectDecryptor decryptor = new ObjectDecryptor(keys);
  private final ObjectEncryptor encryptor =
      new ObjectEncryptor(keys, Algorithm.AES256_GCM, SegmentLayout.of(256), new SecureRandom());

  // ---- stored bytes altered: the AEAD catches it

  @Test
  void aFlippedBitAnywhereInTheBodyFailsTheWholeReadTyped() throws Exception {
    byte[] plaintext = CompressedObjectTest.text(1, 8 * FRAME);
    CompressedObjectTest.Stored s = CompressedObjectTest.put(encryptor, ZSTD, "k", plaintext);
    OpenedObject o = decryptor.open("bucket", "k", s.metadata());
    for (int at = 40; at < s.body().length; at += 97) {
      byte[] body = s.body().clone();
      body[at] ^= 1;
      Streams.Outcome out = Streams.drain(o.decrypt(new ByteArrayInputStream(body)), 4096);
      assertThat(out.crypto())
          .as("bit at %d", at)
          .isInstanceOf(CryptoException.TamperedSegment.class);
      assertThat(out.released())
          .as("released bytes are a prefix")
          .isEqualTo(Arrays.copyOf(plaintext, out.released().length));
    }
  }

  @Test
  void aFlippedBitInTheIndexFailsARangedRead() throws Exception {
    byte[] plaintext = CompressedObjectTest.text(2, 8 * FRAME);
    CompressedObjectTest.Stored s = CompressedObjectTest.put(encryptor, GZIP, "k", plaintext);
    OpenedObject o = decryptor.open("bucket", "k", s.metadata());
    CompressedRange r = o.compressedRange(3 * FRAME, 3 * FRAME + 10, s.body().length);
    CiphertextRange index = r.indexFetch();
    byte[] body = s.body().clone();
    body[(int) index.ciphertextLast() - 20] ^= 4;
    try {
      r.readIndex(CompressedObjectTest.fetch(body, index));
      throw new AssertionError("the altered index was read");
    } catch (CryptoIOException e) {
      assertThat(e.crypto()).isInstanceOf(CryptoException.TamperedSegment.class);
    }
  }

  @Test
  void aTruncatedBodyNeverEndsCleanly() throws Exception {
    byte[] plaintext = CompressedObjectTest.text(3, 8 * FRAME);
    CompressedObjectTest.Stored s = CompressedObjectTest.put(encryptor, ZSTD, "k", plaintext);
    OpenedObject o = decryptor.open("bucket", "k", s.metadata());
    for (int cut : new int[] {40 + 272, s.body().length - 1, s.body().length - 16}) {
      Streams.Outcome out =
          Streams.drain(o.decrypt(new ByteArrayInputStream(Arrays.copyOf(s.body(), cut))), 4096);
      assertThat(out.failure()).as("cut at %d", cut).isNotNull();
      out.crypto();
    }
  }

  // ---- an inconsistent container inside valid encryption: the container reader catches it

  private static byte[] container(Compression c, byte[] plaintext) {
    return Streams.readAll(
        new CompressingStream(
            new ByteArrayInputStream(plaintext),
            c,
            c.codec().defaultLevel(),
            new PlaintextDigests(EnumSet.noneOf(PlaintextChecksum.class))));
  }

  private static CryptoException readWhole(Compression c, byte[] container, int size) {
    return Streams.drain(
            DecompressingStream.whole(new ByteArrayInputStream(container), c, size), 512)
        .crypto();
  }

  @Test
  void containerDefectsAreCorruptCompressedData() {
    for (Compression c : new Compression[] {ZSTD, GZIP}) {
      byte[] plaintext = CompressedObjectTest.text(4, 3 * FRAME + 10);
      byte[] good = container(c, plaintext);
      assertThat(
              Streams.readAll(
                  DecompressingStream.whole(new ByteArrayInputStream(good), c, plaintext.length)))
          .isEqualTo(plaintext);
      int secondFrame = (int) ByteBuffer.wrap(good, good.length - 4 * 8 + 8, 8).getLong();

      byte[] unknownMethod = good.clone();
      unknownMethod[0] = 7;
      byte[] storedWrongLength = good.clone();
      storedWrongLength[0] = FrameLayout.STORED;
      byte[] lengthTooLong = good.clone();
      ByteBuffer.wrap(lengthTooLong, 1, 4).putInt(FRAME);
      byte[] dataAltered = good.clone();
      dataAltered[FrameLayout.FRAME_HEADER_SIZE + 3] ^= 0x55;
      byte[] indexAltered = good.clone();
      indexAltered[good.length - 1] ^= 1;
      byte[] trailing = Arrays.copyOf(good, good.length + 1);
      byte[] indexCut = Arrays.copyOf(good, good.length - 3);
      for (byte[] bad :
          new byte[][] {
            unknownMethod,
            storedWrongLength,
            lengthTooLong,
            dataAltered,
            indexAltered,
            trailing,
            indexCut
          }) {
        assertThat(readWhole(c, bad, plaintext.length))
            .as("%s", c)
            .isInstanceOf(CryptoException.CorruptCompressedData.class);
      }
      // The declared size disagrees with the frames.
      assertThat(readWhole(c, good, plaintext.length - 1))
          .isInstanceOf(CryptoException.CorruptCompressedData.class);

      // A ranged read whose span (from the index) does not match the frames it holds.
      byte[] span = Arrays.copyOfRange(good, 0, secondFrame);
      assertThat(
              Streams.readAll(
                  DecompressingStream.frames(
                      new ByteArrayInputStream(span),
                      c,
                      plaintext.length,
                      0,
                      0,
                      span.length,
                      5,
                      10)))
          .isEqualTo(Streams.slice(plaintext, 5, 14));
      assertThat(
              Streams.drain(
                      DecompressingStream.frames(
                          new ByteArrayInputStream(span),
                          c,
                          plaintext.length,
                          0,
                          0,
                          span.length + 1,
                          5,
                          10),
                      512)
                  .crypto())
          .isInstanceOf(CryptoException.CorruptCompressedData.class);
      assertThat(
              Streams.drain(
                      DecompressingStream.frames(
                          new ByteArrayInputStream(span),
                          c,
                          plaintext.length,
                          0,
                          0,
                          span.length - 1,
                          5,
                          10),
                      512)
                  .crypto())
          .isInstanceOf(CryptoException.CorruptCompressedData.class);
    }
  }
}
