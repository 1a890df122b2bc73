package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.StaticKeyManager;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The object-level API as the gateway uses it: begin → metadata → encrypt → open → decrypt. */
class ObjectEncryptionTest {

  private final StaticKeyManager keys = new StaticKeyManager(Streams.randomBytes(31, 32));
  private final ObjectDecryptor decryptor = new ObjectDecryptor(keys);

  private record Stored(Map<String, String> metadata, byte[] body, EncryptionSession session) {}

  private static Stored put(ObjectEncryptor encryptor, String key, byte[] plaintext)
      throws Exception {
    EncryptionSession session =
        encryptor.begin("bucket", key, EnumSet.allOf(PlaintextChecksum.class));
    long announced = session.ciphertextSize(plaintext.length);
    byte[] body = Streams.readAll(session.encrypt(Streams.trickle(plaintext, key.hashCode())));
    assertThat((long) body.length).isEqualTo(announced);
    return new Stored(session.completeMetadata(), body, session);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void roundTripWithEverySegmentSize(Algorithm algorithm) throws Exception {
    for (int segment : new int[] {16 * 1024, 64 * 1024, 1024 * 1024}) {
      ObjectEncryptor encryptor = new ObjectEncryptor(keys, algorithm, segment);
      for (int size : new int[] {0, 1, segment - 40, segment - 39, 3 * segment + 5}) {
        byte[] plaintext = Streams.randomBytes(size, size);
        Stored s = put(encryptor, "k" + size, plaintext);
        OpenedObject o = decryptor.open("bucket", "k" + size, s.metadata());
        assertThat(o.algorithm()).isEqualTo(algorithm);
        assertThat(o.layout().plaintextSegmentSize()).isEqualTo(segment);
        assertThat(o.plaintextSize(s.body().length)).isEqualTo(size);
        assertThat(Streams.readAll(o.decrypt(new ByteArrayInputStream(s.body()))))
            .isEqualTo(plaintext);
      }
    }
  }

  @Test
  void plaintextChecksumsAreComputedWhileStreaming() throws Exception {
    byte[] plaintext = Streams.randomBytes(32, 300_000);
    Stored s = put(new ObjectEncryptor(keys), "sums", plaintext);
    EncryptionSession session = s.session();
    CRC32 crc32 = new CRC32();
    crc32.update(plaintext);
    CRC32C crc32c = new CRC32C();
    crc32c.update(plaintext);
    assertThat(session.isComplete()).isTrue();
    assertThat(session.plaintextSize()).isEqualTo(plaintext.length);
    assertThat(session.plaintextMd5())
        .isEqualTo(MessageDigest.getInstance("MD5").digest(plaintext));
    assertThat(session.plaintextEtag())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(plaintext)));
    assertThat(session.checksum(PlaintextChecksum.SHA1))
        .isEqualTo(MessageDigest.getInstance("SHA-1").digest(plaintext));
    assertThat(session.checksum(PlaintextChecksum.SHA256))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(plaintext));
    assertThat(session.checksum(PlaintextChecksum.CRC32))
        .isEqualTo(java.nio.ByteBuffer.allocate(4).putInt((int) crc32.getValue()).array());
    assertThat(session.checksum(PlaintextChecksum.CRC32C))
        .isEqualTo(java.nio.ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array());

    OpenedObject o = decryptor.open("bucket", "sums", s.metadata());
    assertThat(o.plaintextEtag()).hasValue(session.plaintextEtag());
    assertThat(o.authenticatedPlaintextSize()).hasValue(plaintext.length);
  }

  @Test
  void resultsExistOnlyAfterTheEndAndOnlyWhenRequested() throws Exception {
    EncryptionSession session = new ObjectEncryptor(keys).begin("bucket", "early");
    InputStream body = session.encrypt(new ByteArrayInputStream(new byte[200_000]));
    body.readNBytes(1000);
    assertThat(session.isComplete()).isFalse();
    assertThatThrownBy(session::plaintextMd5).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(session::plaintextSize).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(session::sealedTrailerMetadata).isInstanceOf(IllegalStateException.class);
    body.readAllBytes();
    assertThat(session.sealedTrailerMetadata()).containsOnlyKeys(ObjectMetadata.ETAG);
    assertThatThrownBy(() -> session.checksum(PlaintextChecksum.SHA256))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not requested");

    EncryptionSession none = new ObjectEncryptor(keys).begin("bucket", "x", Set.of());
    Streams.readAll(none.encrypt(new ByteArrayInputStream(new byte[5])));
    assertThat(none.plaintextSize()).isEqualTo(5);
    assertThatThrownBy(none::plaintextMd5).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aVerifiedDeclaredMd5ReplacesTheSessionsOwn() throws Exception {
    byte[] plaintext = Streams.randomBytes(33, 200_000);
    byte[] md5 = MessageDigest.getInstance("MD5").digest(plaintext);
    EncryptionSession session = new ObjectEncryptor(keys).begin("bucket", "declared", Set.of());
    session.useVerifiedMd5(md5);
    InputStream body = session.encrypt(new ByteArrayInputStream(plaintext));
    body.readNBytes(1000);
    assertThatThrownBy(session::plaintextMd5)
        .as("known only once the (verifying) plaintext stream has ended")
        .isInstanceOf(IllegalStateException.class);
    body.readAllBytes();
    assertThat(session.plaintextMd5()).isEqualTo(md5);
    Map<String, String> stored = new HashMap<>(session.metadata());
    stored.putAll(session.sealedTrailerMetadata());
    assertThat(decryptor.open("bucket", "declared", stored).plaintextEtag())
        .hasValue(HexFormat.of().formatHex(md5));

    EncryptionSession computing = new ObjectEncryptor(keys).begin("bucket", "own");
    assertThatThrownBy(() -> computing.useVerifiedMd5(md5))
        .as("a session computing its MD5 never takes one from outside")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSessionEncryptsOnceAndEveryObjectGetsFreshKeys() throws Exception {
    ObjectEncryptor encryptor = new ObjectEncryptor(keys);
    EncryptionSession session = encryptor.begin("bucket", "once");
    session.encrypt(new ByteArrayInputStream(new byte[1]));
    assertThatThrownBy(() -> session.encrypt(new ByteArrayInputStream(new byte[1])))
        .isInstanceOf(IllegalStateException.class);

    Map<String, String> a = encryptor.begin("bucket", "same").metadata();
    Map<String, String> b = encryptor.begin("bucket", "same").metadata();
    assertThat(a.get("s3eg-hdr")).isNotEqualTo(b.get("s3eg-hdr"));
    assertThat(a.get("s3eg-dek")).isNotEqualTo(b.get("s3eg-dek"));
  }

  @Test
  void withoutTheTrailerTheObjectStillOpensAndDecrypts() throws Exception {
    EncryptionSession session = new ObjectEncryptor(keys).begin("bucket", "no-trailer");
    byte[] plaintext = Streams.randomBytes(33, 100_000);
    byte[] body = Streams.readAll(session.encrypt(new ByteArrayInputStream(plaintext)));
    OpenedObject o = decryptor.open("bucket", "no-trailer", session.metadata());
    assertThat(o.plaintextEtag()).isEmpty();
    assertThat(o.authenticatedPlaintextSize()).isEmpty();
    assertThat(Streams.readAll(o.decrypt(new ByteArrayInputStream(body)))).isEqualTo(plaintext);
  }

  @Test
  void sizesFromTheBackendAreCheckedAgainstTheLayoutAndTheTrailer() throws Exception {
    Stored s = put(new ObjectEncryptor(keys), "sizes", new byte[100_000]);
    OpenedObject withTrailer = decryptor.open("bucket", "sizes", s.metadata());
    long length = s.body().length;
    assertThat(withTrailer.plaintextSize(length)).isEqualTo(100_000);
    assertThatThrownBy(() -> withTrailer.plaintextSize(length - 1))
        .isInstanceOf(CryptoException.TruncatedCiphertext.class);
    assertThatThrownBy(() -> withTrailer.plaintextSize(length + 1))
        .isInstanceOf(CryptoException.TrailingData.class);

    Map<String, String> noTrailer = new LinkedHashMap<>(s.metadata());
    noTrailer.remove(ObjectMetadata.ETAG);
    OpenedObject without = decryptor.open("bucket", "sizes", noTrailer);
    assertThatThrownBy(() -> without.plaintextSize(40 + 10))
        .isInstanceOf(CryptoException.ImpossibleCiphertextSize.class);
    assertThat(without.plaintextSize(40 + 16 + 7)).isEqualTo(7);
  }

  @Test
  void algorithmsOutsideTheReadAllowListAreRefused() throws Exception {
    Stored chacha =
        put(new ObjectEncryptor(keys, Algorithm.CHACHA20_POLY1305, 65_536), "c", new byte[10]);
    ObjectDecryptor aesOnly = new ObjectDecryptor(keys, Set.of(Algorithm.AES256_GCM));
    assertThatThrownBy(() -> aesOnly.open("bucket", "c", chacha.metadata()))
        .isInstanceOf(CryptoException.UnsupportedAlgorithm.class)
        .hasMessageContaining("CHACHA20-POLY1305");
  }

  @Test
  void configurationIsValidated() {
    assertThatThrownBy(() -> new ObjectEncryptor(keys, Algorithm.AES256_GCM, 8 * 1024))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Algorithm.fromConfigName("CHACHA20-POLY1305"))
        .isEqualTo(Algorithm.CHACHA20_POLY1305);
    assertThatThrownBy(() -> Algorithm.fromConfigName("AES128-GCM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AES256-GCM");
  }

  @Test
  void aCopyRebindsTheKeyAndKeepsTheBodyByteForByte() throws Exception {
    byte[] plaintext = Streams.randomBytes(34, 70_000);
    Stored s = put(new ObjectEncryptor(keys), "original", plaintext);
    Map<String, String> copied =
        new ObjectRebinder(keys).rebind("bucket", "original", s.metadata(), "other", "copy");
    assertThat(copied.get("s3eg-hdr")).isEqualTo(s.metadata().get("s3eg-hdr"));
    assertThat(copied.get("s3eg-etag")).isEqualTo(s.metadata().get("s3eg-etag"));

    OpenedObject copy = decryptor.open("other", "copy", copied);
    assertThat(Streams.readAll(copy.decrypt(new ByteArrayInputStream(s.body()))))
        .isEqualTo(plaintext);
    assertThatThrownBy(() -> decryptor.open("bucket", "original", copied))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);
    assertThatThrownBy(
            () -> new ObjectRebinder(keys).rebind("bucket", "wrong", s.metadata(), "o", "c"))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);
  }

  @Test
  void typedFailuresSurviveTheInputStreamApi() throws Exception {
    Stored s = put(new ObjectEncryptor(keys), "typed", new byte[100]);
    byte[] damaged = s.body().clone();
    damaged[60] ^= 1;
    InputStream in =
        decryptor.open("bucket", "typed", s.metadata()).decrypt(new ByteArrayInputStream(damaged));
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(in::readAllBytes);
    assertThat(thrown).isInstanceOf(CryptoIOException.class);
    assertThat(((CryptoIOException) thrown).crypto())
        .isInstanceOf(CryptoException.TamperedSegment.class);
    assertThat(CryptoException.of(new RuntimeException(thrown)))
        .containsInstanceOf(CryptoException.TamperedSegment.class);
    // The failure is sticky.
    assertThatThrownBy(in::read).isSameAs(thrown);
  }
}
