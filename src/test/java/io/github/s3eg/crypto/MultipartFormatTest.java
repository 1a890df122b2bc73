package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.StaticKeyManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Multipart formats (versions 3 and 4): parts, the index, ranges across parts, and what tampering
 * each check catches.
 */
class MultipartFormatTest {

  private static final SegmentLayout LAYOUT = SegmentLayout.of(64);
  private final StaticKeyManager keys = new StaticKeyManager(Streams.randomBytes(41, 32));
  private final ObjectEncryptor encryptor =
      new ObjectEncryptor(keys, Algorithm.AES256_GCM, LAYOUT, new SecureRandom());
  private final ObjectDecryptor decryptor = new ObjectDecryptor(keys);

  /** Part sizes: two aligned parts and a short last one. */
  private final long[] sizes = {192, 128, 100};

  private record Stored(
      OpenedObject upload, byte[] plaintext, byte[] ciphertext, List<byte[]> parts, byte[] index) {}

  private Stored store(String bucket, String key) throws Exception {
    ObjectMetadata meta = encryptor.beginMultipart(bucket, key);
    OpenedObject upload = decryptor.open(bucket, key, meta.toMap());
    assertThat(upload.isMultipart()).isTrue();
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    ByteArrayOutputStream cipher = new ByteArrayOutputStream();
    List<byte[]> parts = new ArrayList<>();
    List<MultipartIndex.Part> entries = new ArrayList<>();
    MessageDigest md5s = MessageDigest.getInstance("MD5");
    for (int i = 0; i < sizes.length; i++) {
      byte[] p = Streams.randomBytes(100 + i, (int) sizes[i]);
      EncryptedPart part = upload.encryptPart(i + 1, p.length, new ByteArrayInputStream(p));
      byte[] c = part.stream().readAllBytes();
      assertThat(c).hasSize((int) part.ciphertextSize());
      assertThat(part.plaintextEtag())
          .isEqualTo(
              java.util.HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(p)));
      md5s.update(MessageDigest.getInstance("MD5").digest(p));
      plain.writeBytes(p);
      cipher.writeBytes(c);
      parts.add(c);
      entries.add(new MultipartIndex.Part(i + 1, p.length));
    }
    MultipartIndex index = new MultipartIndex(meta.header(), md5s.digest(), entries, LAYOUT);
    return new Stored(
        upload,
        plain.toByteArray(),
        cipher.toByteArray(),
        parts,
        upload.sealIndex(index, bucket, key));
  }

  private static byte[] read(
      OpenedObject o, MultipartIndex index, byte[] stored, long first, long last)
      throws IOException {
    MultipartDecryption d = o.planRead(index, first, last);
    InputStream fetched =
        new ByteArrayInputStream(
            Arrays.copyOfRange(stored, (int) d.ciphertextFirst(), (int) d.ciphertextLast() + 1));
    byte[] start = null;
    if (!d.startsAtPartStart()) {
      String[] r = d.firstPartStartRange().substring(6).split("-");
      start = Arrays.copyOfRange(stored, Integer.parseInt(r[0]), Integer.parseInt(r[1]) + 1);
    }
    return d.decrypt(fetched, start).readAllBytes();
  }

  @Test
  void everyRangeDecryptsToThePlaintextSlice() throws Exception {
    Stored s = store("b", "k");
    OpenedObject o = decryptor.open("b", "k", s.upload().metadata().toMap());
    MultipartIndex index = o.openIndex(s.index(), "b", "k");
    assertThat(index.plaintextSize()).isEqualTo(s.plaintext().length);
    assertThat(index.ciphertextSize()).isEqualTo(s.ciphertext().length);
    int n = s.plaintext().length;
    for (int first = 0; first < n; first += 7) {
      for (int last = first; last < n + 3; last += 13) {
        byte[] got = read(o, index, s.ciphertext(), first, last);
        assertThat(got)
            .as("range %d-%d", first, last)
            .isEqualTo(Arrays.copyOfRange(s.plaintext(), first, Math.min(last, n - 1) + 1));
      }
    }
  }

  @Test
  void listingSizeIsExactForAlignedParts() throws Exception {
    Stored s = store("b", "k");
    assertThat(MultipartLayout.listedPlaintextSize(LAYOUT, s.ciphertext().length, sizes.length))
        .isEqualTo(s.plaintext().length);
    for (byte[] part : s.parts()) {
      assertThat(MultipartLayout.partPlaintextSize(LAYOUT, part.length))
          .isEqualTo(sizes[s.parts().indexOf(part)]);
    }
  }

  @Test
  void uploadingAPartAgainUsesAFreshHeaderAndSoFreshNonces() throws Exception {
    ObjectMetadata meta = encryptor.beginMultipart("b", "k");
    OpenedObject upload = decryptor.open("b", "k", meta.toMap());
    byte[] p = Streams.randomBytes(7, 200);
    EncryptedPart a = upload.encryptPart(1, p.length, new ByteArrayInputStream(p));
    EncryptedPart b = upload.encryptPart(1, p.length, new ByteArrayInputStream(p));
    byte[] ca = a.stream().readAllBytes();
    byte[] cb = b.stream().readAllBytes();
    assertThat(a.header()).isNotEqualTo(b.header());
    // Same part number, same plaintext: not one segment of ciphertext repeats.
    int body = MultipartDecryption.PART_START_LENGTH;
    assertThat(Arrays.copyOfRange(ca, body, ca.length))
        .isNotEqualTo(Arrays.copyOfRange(cb, body, cb.length));
    assertThat(Arrays.copyOfRange(ca, body, body + 16))
        .isNotEqualTo(Arrays.copyOfRange(cb, body, body + 16));
  }

  @Test
  void swappedPartsFailAuthentication() throws Exception {
    Stored s = store("b", "k");
    OpenedObject o = decryptor.open("b", "k", s.upload().metadata().toMap());
    MultipartIndex index = o.openIndex(s.index(), "b", "k");
    // Parts 1 and 2 re-stored in the other order, index unchanged.
    ByteArrayOutputStream swapped = new ByteArrayOutputStream();
    swapped.writeBytes(s.parts().get(1));
    swapped.writeBytes(s.parts().get(0));
    swapped.writeBytes(s.parts().get(2));
    assertThatThrownBy(() -> read(o, index, swapped.toByteArray(), 0, s.plaintext().length - 1))
        .satisfies(e -> assertThat(CryptoException.of(e)).isPresent());
  }

  @Test
  void droppedOrCutLastPartIsDetected() throws Exception {
    Stored s = store("b", "k");
    OpenedObject o = decryptor.open("b", "k", s.upload().metadata().toMap());
    MultipartIndex index = o.openIndex(s.index(), "b", "k");
    byte[] cut = Arrays.copyOf(s.ciphertext(), s.ciphertext().length - 1);
    assertThatThrownBy(() -> read(o, index, cut, 0, s.plaintext().length - 1))
        .satisfies(e -> assertThat(CryptoException.of(e)).isPresent());
    // A part re-labelled with another number (prefix altered) fails.
    byte[] relabelled = s.ciphertext().clone();
    int part2 = s.parts().get(0).length;
    relabelled[part2 + 3] ^= 1;
    assertThatThrownBy(() -> read(o, index, relabelled, 0, s.plaintext().length - 1))
        .satisfies(e -> assertThat(CryptoException.of(e)).isPresent());
  }

  @Test
  void indexIsBoundToObjectNameAndUpload() throws Exception {
    Stored s = store("b", "k");
    OpenedObject o = decryptor.open("b", "k", s.upload().metadata().toMap());
    assertThatThrownBy(() -> o.openIndex(s.index(), "b", "other"))
        .isInstanceOf(CryptoException.MetadataAuthenticationFailed.class);
    byte[] altered = s.index().clone();
    altered[altered.length - 40] ^= 1;
    assertThatThrownBy(() -> o.openIndex(altered, "b", "k"))
        .isInstanceOf(CryptoException.MetadataAuthenticationFailed.class);
    // Another upload's index under the same name does not verify for this object.
    Stored other = store("b", "k");
    assertThatThrownBy(() -> o.openIndex(other.index(), "b", "k"))
        .isInstanceOf(CryptoException.class);
    // The upload's metadata never opens as a single-PUT object's, or under another name.
    assertThatThrownBy(() -> decryptor.open("b", "moved", s.upload().metadata().toMap()))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);
  }

  @Test
  void multipartMetadataIsVersion4WithNoTrailerAndParsesStrictly() throws Exception {
    ObjectMetadata meta = encryptor.beginMultipart("b", "k");
    assertThat(meta.toMap()).containsEntry(ObjectMetadata.VERSION, "4");
    var withEtag = new java.util.HashMap<>(meta.toMap());
    withEtag.put(
        ObjectMetadata.ETAG,
        "d983c63bf41853056787fe1bb764dbff.25.b15f6ec6860d7a5d638a0e7945534387");
    assertThatThrownBy(() -> ObjectMetadata.parse(withEtag))
        .isInstanceOf(CryptoException.MalformedMetadata.class);
  }

  /**
   * A version 4 object must have its index; relabelled as version 3 (whose rules an earlier release
   * applied) its key no longer unwraps, so the rule cannot be stripped off by editing metadata.
   */
  @Test
  void version4CannotBeRelabelledAsVersion3() throws Exception {
    var meta = new java.util.HashMap<>(encryptor.beginMultipart("b", "k").toMap());
    meta.put(ObjectMetadata.VERSION, "3");
    assertThatThrownBy(() -> decryptor.open("b", "k", meta))
        .isInstanceOf(CryptoException.KeyUnwrapFailed.class);
  }

  /** A copy or re-wrap of a version 3 object writes version 4: same header, same bytes. */
  @Test
  void rebindingAVersion3ObjectWritesVersion4() throws Exception {
    ObjectMetadata v3 = encryptor.beginMultipart("b", "k", ObjectFormat.LEGACY_MULTIPART_VERSION);
    assertThat(decryptor.open("b", "k", v3.toMap()).metadata().version()).isEqualTo(3);
    var copied = new ObjectRebinder(keys).rebind("b", "k", v3.toMap(), "b2", "k2");
    assertThat(copied).containsEntry(ObjectMetadata.VERSION, "4");
    OpenedObject target = decryptor.open("b2", "k2", copied);
    assertThat(target.header()).isEqualTo(v3.header());
  }
}
