package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.TestKeyManagers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict parsing: every deviation is a typed error, never a fallback to plaintext. */
class ObjectMetadataTest {

  private static Map<String, String> valid;

  @BeforeAll
  static void writeOneObject() throws Exception {
    EncryptionSession s =
        new ObjectEncryptor(
                TestKeyManagers.fastPassword("correct horse battery", new AtomicInteger()))
            .begin("bucket", "key");
    Streams.readAll(s.encrypt(new ByteArrayInputStream(new byte[10])));
    valid = s.completeMetadata();
  }

  private static Map<String, String> with(String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(valid);
    if (value == null) {
      m.remove(name);
    } else {
      m.put(name, value);
    }
    return m;
  }

  private static void assertRejected(Map<String, String> m, Class<? extends CryptoException> type) {
    assertThatThrownBy(() -> ObjectMetadata.parse(m)).isInstanceOf(type);
  }

  @Test
  void roundTripsAndKeepsToTheS3egNamespace() throws Exception {
    ObjectMetadata parsed = ObjectMetadata.parse(valid);
    assertThat(parsed.toMap()).isEqualTo(valid);
    assertThat(valid.keySet())
        .containsExactly(
            "s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek", "s3eg-etag")
        .allSatisfy(n -> assertThat(n).isLowerCase().startsWith(ObjectMetadata.PREFIX));
  }

  @Test
  void staysWellUnder512BytesInTheWorstCaseForThePasswordKeyManager() throws Exception {
    EncryptionSession s =
        new ObjectEncryptor(
                TestKeyManagers.fastPassword("correct horse battery", new AtomicInteger()),
                Algorithm.CHACHA20_POLY1305,
                SegmentLayout.MAX_SEGMENT_SIZE)
            .begin("bucket", "key");
    Streams.readAll(s.encrypt(new ByteArrayInputStream(new byte[1000])));
    int size = 0;
    for (Map.Entry<String, String> e : s.completeMetadata().entrySet()) {
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      size += e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    // A 5 TiB object has the longest trailer: 13 digits of size instead of 4 add 9 bytes.
    assertThat(size + 9).isEqualTo(312).isLessThan(512);
  }

  @Test
  void namesCompareCaseInsensitivelyAndOtherUserMetadataIsIgnored() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    valid.forEach((k, v) -> m.put(k.toUpperCase(java.util.Locale.ROOT), v));
    m.put("content-owner", "alice");
    assertThat(ObjectMetadata.parse(m).toMap()).isEqualTo(valid);
    assertThat(ObjectMetadata.isCryptoEntry("S3EG-DEK")).isTrue();
    assertThat(ObjectMetadata.isCryptoEntry("s3egx")).isFalse();
  }

  @Test
  void noCryptoEntriesAtAllIsNotEncryptedNotPlaintext() {
    assertRejected(Map.of("content-owner", "alice"), CryptoException.NoEncryptionMetadata.class);
    assertRejected(Map.of(), CryptoException.NoEncryptionMetadata.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek"})
  void everyRequiredEntryIsRequired(String name) {
    assertThatThrownBy(() -> ObjectMetadata.parse(with(name, null)))
        .isInstanceOf(CryptoException.MalformedMetadata.class)
        .hasMessageContaining(name);
  }

  @Test
  void theTrailerIsOptional() throws Exception {
    assertThat(ObjectMetadata.parse(with("s3eg-etag", null)).trailer()).isEmpty();
  }

  @Test
  void duplicatedUnknownAndEmptyEntriesAreMalformed() {
    Map<String, String> dup = new LinkedHashMap<>(valid);
    dup.put("S3eg-Dek", valid.get("s3eg-dek"));
    assertRejected(dup, CryptoException.MalformedMetadata.class);
    assertRejected(with("s3eg-extra", "1"), CryptoException.MalformedMetadata.class);
    Map<String, String> nullValue = new java.util.HashMap<>(valid);
    nullValue.put("s3eg-alg", null);
    assertRejected(nullValue, CryptoException.MalformedMetadata.class);
  }

  @Test
  void unknownVersionsAreUnsupportedEvenWithOtherEntries() {
    assertRejected(with("s3eg-v", "5"), CryptoException.UnsupportedVersion.class);
    assertRejected(with("s3eg-v", "0"), CryptoException.UnsupportedVersion.class);
    // Version 2 (compressed) needs its compression entry.
    assertRejected(with("s3eg-v", "2"), CryptoException.MalformedMetadata.class);
    // Versions 3 and 4 (multipart) have no trailer entry: a v1 object relabelled is malformed.
    assertRejected(with("s3eg-v", "3"), CryptoException.MalformedMetadata.class);
    assertRejected(with("s3eg-v", "4"), CryptoException.MalformedMetadata.class);
    Map<String, String> future = with("s3eg-v", "5");
    future.put("s3eg-new-thing", "x");
    assertRejected(future, CryptoException.UnsupportedVersion.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "01", "+1", "1 ", " 1", "v1", "1.0", "١", "9999999999"})
  void malformedVersions(String version) {
    assertRejected(with("s3eg-v", version), CryptoException.MalformedMetadata.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes256-gcm", "AES128-GCM", "AES256-GCM ", "", "CHACHA20"})
  void unknownAlgorithms(String algorithm) {
    assertRejected(with("s3eg-alg", algorithm), CryptoException.UnsupportedAlgorithm.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "065536", "65536 ", "63", "1048577", "abc", "-65536", "6.5e4"})
  void malformedSegmentSizes(String size) {
    assertRejected(with("s3eg-seg", size), CryptoException.MalformedMetadata.class);
  }

  @Test
  void headerMustBeCanonicalBase64OfAV1Header() {
    String hdr = valid.get("s3eg-hdr");
    for (String bad :
        new String[] {
          hdr.substring(0, hdr.length() - 1), // missing padding
          hdr.replace("=", ""),
          " " + hdr,
          hdr.replace('+', '-').replace('/', '_')
              + (hdr.contains("+") || hdr.contains("/") ? "" : "!"),
          java.util.Base64.getEncoder().encodeToString(new byte[40]), // wrong length byte
          java.util.Base64.getEncoder().encodeToString(new byte[39]),
          ""
        }) {
      assertRejected(with("s3eg-hdr", bad), CryptoException.MalformedMetadata.class);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "pw-abc", ":1", "pw-abc:", "pw-abc:-1", "pw-abc:01", "pw-abc:+1", "pw-abc:١"})
  void malformedKekReferences(String kek) {
    assertRejected(with("s3eg-kek", kek), CryptoException.MalformedMetadata.class);
  }

  @Test
  void malformedWrappedKeys() {
    assertRejected(with("s3eg-dek", ""), CryptoException.MalformedMetadata.class);
    assertRejected(with("s3eg-dek", "!!!!"), CryptoException.MalformedMetadata.class);
    String huge = java.util.Base64.getEncoder().encodeToString(new byte[2000]);
    assertRejected(with("s3eg-dek", huge), CryptoException.MalformedMetadata.class);
  }

  @Test
  void malformedTrailers() {
    String etag = valid.get("s3eg-etag");
    for (String bad :
        new String[] {
          etag.toUpperCase(java.util.Locale.ROOT),
          etag.replace(".10.", ".010."),
          etag.replace(".10.", ".."),
          etag.substring(0, etag.length() - 1),
          etag + "0",
          "",
          etag.replace(".10.", ".99999999999999999999.")
        }) {
      assertRejected(with("s3eg-etag", bad), CryptoException.MalformedMetadata.class);
    }
  }
}
