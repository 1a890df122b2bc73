package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.StaticKeyManager;
import io.github.s3eg.keys.TestKeyManagers;
import io.github.s3eg.keys.WrappedKey;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Moving, renaming, mixing and editing whole objects: metadata, names and bodies are bound to each
 * other, and each kind of tampering is reported with its own type before any plaintext is released.
 */
class ObjectTamperTest {

  private static final KeyManager KEYS =
      TestKeyManagers.fastPassword("tamper-test-password", new AtomicInteger());
  private static final ObjectDecryptor DECRYPTOR = new ObjectDecryptor(KEYS);

  private record Stored(
      String bucket, String key, Map<String, String> metadata, byte[] body, byte[] plaintext) {}

  private static Stored put(String bucket, String key, Algorithm algorithm, long seed)
      throws Exception {
    EncryptionSession s = new ObjectEncryptor(KEYS, algorithm, 16 * 1024).begin(bucket, key);
    byte[] plaintext = Streams.randomBytes(seed, 40_000);
    byte[] body = Streams.readAll(s.encrypt(new ByteArrayInputStream(plaintext)));
    return new Stored(bucket, key, s.completeMetadata(), body, plaintext);
  }

  private static Map<String, String> with(Map<String, String> m, String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(m);
    copy.put(name, value);
    return copy;
  }

  private static void assertOpenFails(
      String bucket,
      String key,
      Map<String, String> metadata,
      Class<? extends CryptoException> type) {
    assertThatThrownBy(() -> DECRYPTOR.open(bucket, key, metadata)).isInstanceOf(type);
  }

  @Test
  void aChecksumEntryIsAuthenticatedAndBoundToItsObject() throws Exception {
    EncryptionSession s =
        new ObjectEncryptor(KEYS, Algorithm.AES256_GCM, 16 * 1024).begin("b", "k");
    byte[] plaintext = Streams.randomBytes(9, 1000);
    Streams.readAll(s.encrypt(new ByteArrayInputStream(plaintext)));
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(plaintext);
    Map<String, String> metadata = new LinkedHashMap<>(s.completeMetadata());
    metadata.putAll(s.sealedChecksumMetadata("SHA256", sha));
    assertThat(DECRYPTOR.open("b", "k", metadata).checksum().orElseThrow().checksum())
        .isEqualTo(sha);
    // Old objects without the entry still open, with no checksum.
    assertThat(DECRYPTOR.open("b", "k", s.completeMetadata()).checksum()).isEmpty();
    // Another value, or another object's entry, does not verify.
    byte[] other = sha.clone();
    other[0] ^= 1;
    Map<String, String> altered = new LinkedHashMap<>(s.completeMetadata());
    String forged = ChecksumSeal.seal(1, new byte[32], "SHA256", other).encode();
    altered.put(ObjectMetadata.CHECKSUM, forged);
    assertOpenFails("b", "k", altered, CryptoException.MetadataAuthenticationFailed.class);
    Stored a = put("b", "a", Algorithm.AES256_GCM, 4);
    Map<String, String> moved = new LinkedHashMap<>(a.metadata());
    moved.put(ObjectMetadata.CHECKSUM, metadata.get(ObjectMetadata.CHECKSUM));
    assertOpenFails("b", "a", moved, CryptoException.MetadataAuthenticationFailed.class);
  }

  @Test
  void aRenamedOrMovedObjectDoesNotOpen() throws Exception {
    Stored a = put("bucket", "dir/a.txt", Algorithm.AES256_GCM, 1);
    assertThat(DECRYPTOR.open("bucket", "dir/a.txt", a.metadata())).isNotNull();
    for (String[] name :
        List.of(
            new String[] {"bucket", "dir/b.txt"},
            new String[] {"bucket", "dir/A.txt"},
            new String[] {"bucket", "dir/a.txt/"},
            new String[] {"bucket", "/dir/a.txt"},
            new String[] {"bucket2", "dir/a.txt"},
            new String[] {"bucke", "tdir/a.txt"})) {
      assertOpenFails(name[0], name[1], a.metadata(), CryptoException.KeyUnwrapFailed.class);
    }
  }

  @Test
  void swappedMetadataOrBodiesOrTrailersAreCaught() throws Exception {
    Stored a = put("bucket", "a", Algorithm.AES256_GCM, 2);
    Stored b = put("bucket", "b", Algorithm.AES256_GCM, 3);

    // B's metadata under A's name (and vice versa): the wrap names B.
    assertOpenFails("bucket", "a", b.metadata(), CryptoException.KeyUnwrapFailed.class);
    // Only B's header or only B's wrapped key under A.
    assertOpenFails(
        "bucket",
        "a",
        with(a.metadata(), "s3eg-hdr", b.metadata().get("s3eg-hdr")),
        CryptoException.KeyUnwrapFailed.class);
    assertOpenFails(
        "bucket",
        "a",
        with(a.metadata(), "s3eg-dek", b.metadata().get("s3eg-dek")),
        CryptoException.KeyUnwrapFailed.class);
    // B's trailer on A.
    assertOpenFails(
        "bucket",
        "a",
        with(a.metadata(), "s3eg-etag", b.metadata().get("s3eg-etag")),
        CryptoException.MetadataAuthenticationFailed.class);

    // B's body with A's metadata: refused at the header, nothing released.
    OpenedObject opened = DECRYPTOR.open("bucket", "a", a.metadata());
    Streams.Outcome swapped =
        Streams.drain(opened.decrypt(new ByteArrayInputStream(b.body())), 4096);
    assertThat(swapped.crypto()).isInstanceOf(CryptoException.HeaderMismatch.class);
    assertThat(swapped.released()).isEmpty();

    // B's segments fetched for a range of A.
    CiphertextRange r = opened.rangeFor(20_000, 30_000, a.plaintext().length);
    byte[] fromB = Streams.slice(b.body(), r.ciphertextFirst(), r.ciphertextLast());
    Streams.Outcome spliced =
        Streams.drain(opened.decryptRange(new ByteArrayInputStream(fromB), r), 4096);
    assertThat(spliced.crypto()).isInstanceOf(CryptoException.TamperedSegment.class);
    assertThat(spliced.released()).isEmpty();
  }

  @Test
  void changingTheDescriptiveEntriesIsCaught() throws Exception {
    Stored a = put("bucket", "a", Algorithm.AES256_GCM, 4);
    Map<String, String> m = a.metadata();
    assertOpenFails(
        "bucket",
        "a",
        with(m, "s3eg-alg", "CHACHA20-POLY1305"),
        CryptoException.KeyUnwrapFailed.class);
    assertOpenFails(
        "bucket", "a", with(m, "s3eg-alg", "NONE"), CryptoException.UnsupportedAlgorithm.class);
    assertOpenFails(
        "bucket", "a", with(m, "s3eg-seg", "65536"), CryptoException.KeyUnwrapFailed.class);
    assertOpenFails(
        "bucket", "a", with(m, "s3eg-v", "5"), CryptoException.UnsupportedVersion.class);
    assertOpenFails("bucket", "a", with(m, "s3eg-v", "2"), CryptoException.MalformedMetadata.class);
    // Relabelled as a multipart (v3, v4) object: the version is in the wrap's associated data.
    for (String multipart : new String[] {"3", "4"}) {
      Map<String, String> asMultipart = with(m, "s3eg-v", multipart);
      asMultipart.remove("s3eg-etag");
      assertOpenFails("bucket", "a", asMultipart, CryptoException.KeyUnwrapFailed.class);
    }
    assertOpenFails(
        "bucket", "a", with(m, "s3eg-kek", "pw-000000000000:1"), CryptoException.UnknownKey.class);
    Map<String, String> stripped = new LinkedHashMap<>(m);
    stripped.keySet().removeIf(ObjectMetadata::isCryptoEntry);
    assertOpenFails("bucket", "a", stripped, CryptoException.NoEncryptionMetadata.class);
  }

  /** Allowed outcomes when one bit of an entry's value flips. */
  private static final Map<String, Set<Class<? extends CryptoException>>> FLIP_OUTCOMES =
      Map.of(
          "s3eg-v",
              Set.of(
                  CryptoException.UnsupportedVersion.class,
                  CryptoException.MalformedMetadata.class),
          "s3eg-alg", Set.of(CryptoException.UnsupportedAlgorithm.class),
          "s3eg-seg",
              Set.of(
                  CryptoException.MalformedMetadata.class, CryptoException.KeyUnwrapFailed.class),
          "s3eg-hdr",
              Set.of(
                  CryptoException.MalformedMetadata.class, CryptoException.KeyUnwrapFailed.class),
          "s3eg-kek",
              Set.of(CryptoException.MalformedMetadata.class, CryptoException.UnknownKey.class),
          "s3eg-dek",
              Set.of(
                  CryptoException.MalformedMetadata.class, CryptoException.KeyUnwrapFailed.class),
          "s3eg-etag",
              Set.of(
                  CryptoException.MalformedMetadata.class,
                  CryptoException.MetadataAuthenticationFailed.class));

  @Test
  void flippingAnyBitOfAnyEntryIsCaughtWithATypedError() throws Exception {
    for (Algorithm algorithm : Algorithm.values()) {
      Stored a = put("bucket", "flip", algorithm, 5);
      assertThat(FLIP_OUTCOMES.keySet()).isEqualTo(a.metadata().keySet());
      int flips = 0;
      for (Map.Entry<String, String> e : a.metadata().entrySet()) {
        char[] value = e.getValue().toCharArray();
        for (int i = 0; i < value.length; i++) {
          for (int bit = 0; bit < 8; bit++) {
            char[] flipped = value.clone();
            flipped[i] ^= (char) (1 << bit);
            Map<String, String> m = with(a.metadata(), e.getKey(), new String(flipped));
            Throwable t = catchThrowable(() -> DECRYPTOR.open("bucket", "flip", m));
            assertThat(t)
                .as("%s char %d bit %d", e.getKey(), i, bit)
                .isInstanceOfAny(FLIP_OUTCOMES.get(e.getKey()).toArray(Class[]::new));
            flips++;
          }
        }
      }
      assertThat(flips).isGreaterThan(1500); // about 240 characters of values
    }
  }

  @Test
  void keyManagerFailuresKeepTheirMeaning() throws Exception {
    Stored a = put("bucket", "a", Algorithm.AES256_GCM, 6);
    // The same reference but another KEK: the wrap does not open.
    KeyReference same = KeyReference.decode(a.metadata().get("s3eg-kek"));
    StaticKeyManager impostor = new StaticKeyManager(new byte[32], same);
    assertThatThrownBy(() -> new ObjectDecryptor(impostor).open("bucket", "a", a.metadata()))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);

    KeyManager down =
        new KeyManager() {
          @Override
          public String provider() {
            return "kmip";
          }

          @Override
          public KeyReference activeKey() {
            return same;
          }

          @Override
          public WrappedKey wrap(byte[] dek, byte[] ad) throws KeyManagerException {
            throw new KeyManagerException.Unavailable("kmip server unreachable", null);
          }

          @Override
          public byte[] unwrap(WrappedKey wrapped, byte[] ad) throws KeyManagerException {
            throw new KeyManagerException.Unavailable("kmip server unreachable", null);
          }

          @Override
          public Health health() {
            return Health.down("unreachable");
          }
        };
    assertThatThrownBy(() -> new ObjectDecryptor(down).open("bucket", "a", a.metadata()))
        .isInstanceOf(CryptoException.KeyServiceUnavailable.class);
    assertThatThrownBy(() -> new ObjectEncryptor(down).begin("bucket", "a"))
        .isInstanceOf(CryptoException.KeyServiceUnavailable.class);
  }
}
