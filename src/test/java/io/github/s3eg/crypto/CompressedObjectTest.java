package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.StaticKeyManager;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compressed objects (format version 2) through the object-level API: round trips at frame and
 * segment boundaries, ranged reads through the index, sizes, and what happens to altered metadata.
 * The body tamper cases of the frame container are in {@link CompressedTamperTest}.
 */
class CompressedObjectTest {

  private static final int FRAME = 1024;
  private static final int SEGMENT = 256;

  private final StaticKeyManager keys = new StaticKeyManager(Streams.randomBytes(41, 32));
  private final ObjectDecryptor decryptor = new ObjectDecryptor(keys);

  record Stored(Map<String, String> metadata, byte[] body, EncryptionSession session) {}

  static Stored put(
      ObjectEncryptor encryptor, Compression compression, String key, byte[] plaintext)
      throws Exception {
    EncryptionSession session =
        encryptor.begin("bucket", key, compression, compression.codec().defaultLevel());
    assertThat(session.isCompressed()).isTrue();
    assertThat(session.formatVersion()).isEqualTo(2);
    byte[] body = Streams.readAll(session.encrypt(Streams.trickle(plaintext, key.hashCode())));
    return new Stored(session.completeMetadata(), body, session);
  }

  private ObjectEncryptor encryptor(Algorithm algorithm) {
    return new ObjectEncryptor(keys, algorithm, SegmentLayout.of(SEGMENT), new SecureRandom());
  }

  /** Text-like data: compresses, but not to nothing. */
  static byte[] text(long seed, int size) {
    String[] words = {"gateway ", "object ", "frame ", "segment ", "index ", "zstd ", "gzip\n"};
    Random r = new Random(seed);
    byte[] out = new byte[size];
    int i = 0;
    while (i < size) {
      byte[] w = words[r.nextInt(words.length)].getBytes();
      int n = Math.min(w.length, size - i);
      System.arraycopy(w, 0, out, i, n);
      i += n;
    }
    return out;
  }

  /** The body bytes a backend returns for {@code range}. */
  static ByteArrayInputStream fetch(byte[] body, CiphertextRange range) {
    return new ByteArrayInputStream(
        Arrays.copyOfRange(body, (int) range.ciphertextFirst(), (int) range.ciphertextLast() + 1));
  }

  static byte[] readRange(OpenedObject o, byte[] body, long first, long last) throws Exception {
    CompressedRange r = o.compressedRange(first, last, body.length);
    r.readIndex(fetch(body, r.indexFetch()));
    return Streams.readAll(r.decrypt(fetch(body, r.framesFetch())));
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void roundTripsAtFrameBoundariesWithBothCodecs(Algorithm algorithm) throws Exception {
    for (Codec codec : Codec.values()) {
      Compression compression = new Compression(codec, FrameLayout.of(FRAME));
      for (int size : new int[] {0, 1, FRAME - 1, FRAME, FRAME + 1, 5 * FRAME, 7 * FRAME + 333}) {
        byte[] plaintext = text(size, size);
        String key = codec + "/" + size;
        Stored s = put(encryptor(algorithm), compression, key, plaintext);
        OpenedObject o = decryptor.open("bucket", key, s.metadata());
        assertThat(o.compression()).contains(compression);
        assertThat(o.plaintextSize(s.body().length)).isEqualTo(size);
        assertThat(o.plaintextEtag()).contains(md5(plaintext));
        assertThat(s.session().plaintextEtag()).isEqualTo(md5(plaintext));
        assertThat(Streams.readAll(o.decrypt(new ByteArrayInputStream(s.body()))))
            .as("%s, %d bytes", key, size)
            .isEqualTo(plaintext);
      }
    }
  }

  @Test
  void compressibleDataShrinksAndIncompressibleFramesAreStored() throws Exception {
    Compression zstd = new Compression(Codec.ZSTD, FrameLayout.of(FRAME));
    byte[] compressible = text(1, 20 * FRAME);
    Stored small = put(encryptor(Algorithm.AES256_GCM), zstd, "text", compressible);
    assertThat(small.body().length).isLessThan(compressible.length / 2);

    byte[] random = Streams.randomBytes(2, 20 * FRAME);
    Stored stored = put(encryptor(Algorithm.AES256_GCM), zstd, "random", random);
    long container = SegmentLayout.of(SEGMENT).plaintextSize(stored.body().length);
    // Every frame stored as it is: 5 header bytes and one index entry per frame.
    assertThat(container).isEqualTo(random.length + 20L * (5 + 8));
    OpenedObject o = decryptor.open("bucket", "random", stored.metadata());
    assertThat(Streams.readAll(o.decrypt(new ByteArrayInputStream(stored.body()))))
        .isEqualTo(random);
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void rangesReadOnlyTheCoveringFramesAndEqualThePlaintextSlices(Codec codec) throws Exception {
    Compression compression = new Compression(codec, FrameLayout.of(FRAME));
    byte[] plaintext = text(3, 9 * FRAME + 100);
    Stored s = put(encryptor(Algorithm.CHACHA20_POLY1305), compression, "ranges", plaintext);
    OpenedObject o = decryptor.open("bucket", "ranges", s.metadata());
    Random r = new Random(4);
    for (int i = 0; i < 200; i++) {
      int a = r.nextInt(plaintext.length);
      int z = a + r.nextInt(Math.min(3 * FRAME, plaintext.length - a));
      assertThat(readRange(o, s.body(), a, z))
          .as("bytes=%d-%d", a, z)
          .isEqualTo(Streams.slice(plaintext, a, z));
    }
    int last = plaintext.length - 1;
    assertThat(readRange(o, s.body(), 0, last)).isEqualTo(plaintext);
    assertThat(readRange(o, s.body(), last, last)).isEqualTo(Streams.slice(plaintext, last, last));
    assertThat(readRange(o, s.body(), FRAME, FRAME)).containsExactly(plaintext[FRAME]);
    assertThat(readRange(o, s.body(), FRAME - 1, FRAME))
        .isEqualTo(Streams.slice(plaintext, FRAME - 1, FRAME));
    // A last byte beyond the end is clamped, as in HTTP.
    assertThat(readRange(o, s.body(), last - 5, Long.MAX_VALUE - 1))
        .isEqualTo(Streams.slice(plaintext, last - 5, last));
  }

  @Test
  void aSmallRangeFetchesTheIndexEntriesAndOneFrame() throws Exception {
    Compression compression = new Compression(Codec.ZSTD, FrameLayout.of(FRAME));
    byte[] plaintext = text(5, 64 * FRAME);
    Stored s = put(encryptor(Algorithm.AES256_GCM), compression, "small-range", plaintext);
    OpenedObject o = decryptor.open("bucket", "small-range", s.metadata());
    CompressedRange r = o.compressedRange(30 * FRAME + 10, 30 * FRAME + 20, s.body().length);
    // Two index entries (frame 30 and 31) lie in at most two segments.
    assertThat(r.indexFetch().ciphertextLength()).isLessThanOrEqualTo(2L * (SEGMENT + 16));
    r.readIndex(fetch(s.body(), r.indexFetch()));
    // One compressed frame, in whole segments.
    long compressedFrame = r.framesFetch().plaintextLength();
    assertThat(compressedFrame).isLessThan(FRAME);
    assertThat(r.framesFetch().ciphertextLength())
        .isLessThanOrEqualTo(compressedFrame + 2L * (SEGMENT + 16));
  }

  @Test
  void sizesComeFromTheAuthenticatedTrailerAndTheBodyMustFitThem() throws Exception {
    Compression compression = new Compression(Codec.GZIP, FrameLayout.of(FRAME));
    byte[] plaintext = text(6, 10 * FRAME);
    Stored s = put(encryptor(Algorithm.AES256_GCM), compression, "sizes", plaintext);
    OpenedObject o = decryptor.open("bucket", "sizes", s.metadata());
    assertThat(o.plaintextSize(s.body().length)).isEqualTo(plaintext.length);
    // Far too small to hold ten frames' headers and index entries.
    assertThatThrownBy(() -> o.plaintextSize(100))
        .isInstanceOf(CryptoException.ImpossibleCiphertextSize.class);
    // A size no body of this segment layout has.
    assertThatThrownBy(() -> o.plaintextSize(SEGMENT + 16 + 3))
        .isInstanceOf(CryptoException.ImpossibleCiphertextSize.class);
    assertThatThrownBy(() -> o.rangeFor(0, 1, plaintext.length))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.session().ciphertextSize(1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theMetadataNamesVersionTwoAndTheCompression() throws Exception {
    Compression compression = Compression.of(Codec.ZSTD);
    Stored s = put(new ObjectEncryptor(keys), compression, "meta", text(7, 1000));
    assertThat(s.metadata())
        .containsEntry("s3eg-v", "2")
        .containsEntry("s3eg-cmp", "zstd.262144")
        .containsKey("s3eg-etag");
  }

  @Test
  void compressionCannotBeRemovedOrChangedOrTheTrailerDropped() throws Exception {
    Compression compression = new Compression(Codec.ZSTD, FrameLayout.of(FRAME));
    Stored s = put(encryptor(Algorithm.AES256_GCM), compression, "bound", text(8, 3000));

    Map<String, String> asV1 = new HashMap<>(s.metadata());
    asV1.put("s3eg-v", "1");
    asV1.remove("s3eg-cmp");
    asV1.remove("s3eg-etag");
    assertThatThrownBy(() -> decryptor.open("bucket", "bound", asV1))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);

    Map<String, String> otherCodec = new HashMap<>(s.metadata());
    otherCodec.put("s3eg-cmp", "gzip." + FRAME);
    assertThatThrownBy(() -> decryptor.open("bucket", "bound", otherCodec))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);

    Map<String, String> otherFrames = new HashMap<>(s.metadata());
    otherFrames.put("s3eg-cmp", "zstd." + 2 * FRAME);
    assertThatThrownBy(() -> decryptor.open("bucket", "bound", otherFrames))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);

    Map<String, String> noTrailer = new HashMap<>(s.metadata());
    noTrailer.remove("s3eg-etag");
    assertThatThrownBy(() -> decryptor.open("bucket", "bound", noTrailer))
        .isInstanceOf(CryptoException.MalformedMetadata.class);

    Map<String, String> noCompression = new HashMap<>(s.metadata());
    noCompression.remove("s3eg-cmp");
    assertThatThrownBy(() -> decryptor.open("bucket", "bound", noCompression))
        .isInstanceOf(CryptoException.MalformedMetadata.class);

    Map<String, String> unknownCodec = new HashMap<>(s.metadata());
    unknownCodec.put("s3eg-cmp", "brotli." + FRAME);
    assertThatThrownBy(() -> decryptor.open("bucket", "bound", unknownCodec))
        .isInstanceOf(CryptoException.UnsupportedCompression.class);

    for (String bad :
        new String[] {"zstd", "zstd.", "zstd.01024", "ZSTD.1024", "zstd.63", " zstd.1024"}) {
      Map<String, String> malformed = new HashMap<>(s.metadata());
      malformed.put("s3eg-cmp", bad);
      assertThatThrownBy(() -> decryptor.open("bucket", "bound", malformed))
          .as(bad)
          .isInstanceOf(CryptoException.MalformedMetadata.class);
    }

    // A version 1 object cannot carry the entry.
    Stored v1 = CompressedObjectTest.plain(new ObjectEncryptor(keys), "v1", new byte[10]);
    Map<String, String> smuggled = new HashMap<>(v1.metadata());
    smuggled.put("s3eg-cmp", "zstd.262144");
    assertThatThrownBy(() -> decryptor.open("bucket", "v1", smuggled))
        .isInstanceOf(CryptoException.MalformedMetadata.class);

    // The trailer MAC covers the version: a v1 trailer of the same values does not verify.
    assertThat(decryptor.open("bucket", "bound", s.metadata()).plaintextEtag()).isPresent();
  }

  @Test
  void aServerSideCopyKeepsTheCompressionAndTheBody() throws Exception {
    Compression compression = new Compression(Codec.GZIP, FrameLayout.of(FRAME));
    byte[] plaintext = text(9, 4 * FRAME + 7);
    Stored s = put(encryptor(Algorithm.AES256_GCM), compression, "src", plaintext);
    Map<String, String> copied =
        new ObjectRebinder(keys).rebind("bucket", "src", s.metadata(), "other", "dst");
    assertThat(copied).containsEntry("s3eg-v", "2").containsEntry("s3eg-cmp", "gzip." + FRAME);
    OpenedObject o = decryptor.open("other", "dst", copied);
    assertThat(Streams.readAll(o.decrypt(new ByteArrayInputStream(s.body())))).isEqualTo(plaintext);
    assertThatThrownBy(() -> decryptor.open("bucket", "dst", copied))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);
  }

  static Stored plain(ObjectEncryptor encryptor, String key, byte[] plaintext) throws Exception {
    EncryptionSession session = encryptor.begin("bucket", key);
    byte[] body = Streams.readAll(session.encrypt(new ByteArrayInputStream(plaintext)));
    return new Stored(session.completeMetadata(), body, session);
  }

  static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }
}
