package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.StaticKeyManager;
import io.github.s3eg.keys.TestKeyManagers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known-answer vectors of format version 2 (compressed objects), in {@code
 * src/test/resources/vectors/object-format-v2.txt}: committed objects must keep decrypting to their
 * plaintext, whole and by ranges, and the key binding must stay the same. The compressed bytes
 * themselves are not recomputed: a codec library may encode the same data differently from one
 * release to the next without changing the format, and every decoder reads every valid encoding.
 * {@link #main} regenerates the file, which is only right when format version 2 is still
 * unreleased.
 *
 * <p>Inputs are fixed like the v1 vectors ({@code SHA-256("s3eg-kat/" + vector + "/" + field)});
 * plaintexts mix compressible and incompressible frames: {@code byte[i] = 0x61 + (i / 16) mod 4}
 * below 128, {@code (7·i) mod 251} from 128 on, so the vectors hold both frame methods.
 */
class CompressedKnownAnswerTest {

  static final Path FILE = Path.of("src/test/resources/vectors/object-format-v2.txt");
  static final String RESOURCE = "/vectors/object-format-v2.txt";
  static final int FRAME = 64;

  private static final HexFormat HEX = HexFormat.of();
  private static final Map<String, Map<String, String>> COMMITTED =
      VectorFile.readResource(RESOURCE);

  record Definition(String name, Algorithm algorithm, Codec codec, int size) {
    String key() {
      return "vectors/v2/" + name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Definition> definitions() {
    List<Definition> all = new ArrayList<>();
    for (Codec c : Codec.values()) {
      for (int size : new int[] {0, 1, 64, 200}) {
        String name = c.configName() + "/aes256-gcm/frame64/size" + size;
        all.add(new Definition(name, Algorithm.AES256_GCM, c, size));
      }
      all.add(
          new Definition(
              c.configName() + "/chacha20-poly1305/frame64/size200",
              Algorithm.CHACHA20_POLY1305,
              c,
              200));
    }
    return all;
  }

  static byte[] plaintext(int size) {
    byte[] p = new byte[size];
    for (int i = 0; i < size; i++) {
      p[i] = (byte) (i < 128 ? 0x61 + (i / 16) % 4 : (7 * i) % 251);
    }
    return p;
  }

  static Map<String, String> compute(Definition d) throws Exception {
    byte[] dek = KnownAnswerVectors.fixed(d.name(), "dek", 32);
    byte[] salt = KnownAnswerVectors.fixed(d.name(), "salt", 32);
    byte[] prefix = KnownAnswerVectors.fixed(d.name(), "nonce-prefix", 7);
    byte[] wrapNonce = KnownAnswerVectors.fixed(d.name(), "wrap-nonce", 12);
    SegmentLayout layout = SegmentLayout.of(64);
    StreamHeader header = new StreamHeader(salt, prefix);
    Compression compression = new Compression(d.codec(), FrameLayout.of(FRAME));
    ObjectEncryptor encryptor =
        new ObjectEncryptor(
            TestKeyManagers.staticKek(
                KnownAnswerVectors.kek(),
                KnownAnswerVectors.KEK_REFERENCE,
                new FixedRandom(wrapNonce)),
            d.algorithm(),
            layout,
            new FixedRandom(dek, salt, prefix));
    EncryptionSession session =
        encryptor.begin(KnownAnswerVectors.BUCKET, d.key(), compression, d.codec().defaultLevel());
    byte[] body = Streams.readAll(session.encrypt(new ByteArrayInputStream(plaintext(d.size()))));
    Map<String, String> v = new LinkedHashMap<>();
    v.put("algorithm", d.algorithm().configName());
    v.put("compression", compression.encode());
    v.put("segment-size", "64");
    v.put("bucket", KnownAnswerVectors.BUCKET);
    v.put("key", d.key());
    v.put("kek", HEX.formatHex(KnownAnswerVectors.kek()));
    v.put("kek-reference", KnownAnswerVectors.KEK_REFERENCE.encode());
    v.put("dek", HEX.formatHex(dek));
    v.put("body-associated-data", HEX.formatHex(ObjectFormat.bodyAssociatedData(2)));
    v.put(
        "segment-key",
        HEX.formatHex(
            SegmentCipher.deriveSegmentKey(dek, header, ObjectFormat.bodyAssociatedData(2))));
    v.put(
        "wrap-associated-data",
        HEX.formatHex(
            ObjectBinding.wrapAssociatedData(
                d.algorithm(), layout, header, compression, KnownAnswerVectors.BUCKET, d.key())));
    v.put("plaintext", HEX.formatHex(plaintext(d.size())));
    v.put("body", HEX.formatHex(body));
    session.completeMetadata().forEach((name, value) -> v.put("meta." + name, value));
    return v;
  }

  @Test
  void theFileHoldsExactlyTheDefinedVectors() {
    assertThat(COMMITTED.keySet())
        .containsExactlyElementsOf(definitions().stream().map(Definition::name).toList());
  }

  /** Everything but the compressed bytes (and what depends on them) is recomputed exactly. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("definitions")
  void theBindingIsRecomputedExactly(Definition d) throws Exception {
    Map<String, String> now = compute(d);
    Map<String, String> committed = COMMITTED.get(d.name());
    for (String field :
        List.of(
            "compression",
            "segment-key",
            "wrap-associated-data",
            "plaintext",
            "meta.s3eg-v",
            "meta.s3eg-cmp",
            "meta.s3eg-hdr",
            "meta.s3eg-dek",
            "meta.s3eg-etag")) {
      assertThat(now.get(field)).as(field).isEqualTo(committed.get(field));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("definitions")
  void committedObjectsStillDecryptWholeAndByRanges(Definition d) throws Exception {
    Map<String, String> v = COMMITTED.get(d.name());
    Map<String, String> metadata = new LinkedHashMap<>();
    v.forEach(
        (field, value) -> {
          if (field.startsWith("meta.")) {
            metadata.put(field.substring("meta.".length()), value);
          }
        });
    OpenedObject o =
        new ObjectDecryptor(
                new StaticKeyManager(
                    HEX.parseHex(v.get("kek")), KeyReference.decode(v.get("kek-reference"))))
            .open(v.get("bucket"), v.get("key"), metadata);
    byte[] plaintext = HEX.parseHex(v.get("plaintext"));
    byte[] body = HEX.parseHex(v.get("body"));
    assertThat(plaintext).isEqualTo(plaintext(d.size()));
    assertThat(o.plaintextSize(body.length)).isEqualTo(d.size());
    assertThat(o.plaintextEtag())
        .hasValue(HEX.formatHex(MessageDigest.getInstance("MD5").digest(plaintext)));
    assertThat(Streams.readAll(o.decrypt(new ByteArrayInputStream(body)))).isEqualTo(plaintext);
    for (int first = 0; first < d.size(); first += 37) {
      int last = Math.min(d.size() - 1, first + 70);
      assertThat(CompressedObjectTest.readRange(o, body, first, last))
          .isEqualTo(Streams.slice(plaintext, first, last));
    }
  }

  static final String FILE_HEADER =
      """
      # s3eg encrypted object format v2 (compressed objects): known-answer vectors
      # (see docs/object-format.md section 11). Generated by
      # io.github.s3eg.crypto.CompressedKnownAnswerTest with fixed randomness; the test decrypts
      # every vector whole and by ranges and recomputes everything but the compressed bytes.
      # Binary values are lowercase hex; meta.* are the S3 user-metadata entries of the object.
      """;

  /** Regenerates the vector file (run from the project directory with the test classpath). */
  public static void main(String[] args) throws Exception {
    Map<String, Map<String, String>> vectors = new LinkedHashMap<>();
    for (Definition d : definitions()) {
      vectors.put(d.name(), compute(d));
    }
    Files.writeString(FILE, VectorFile.format(FILE_HEADER, vectors), StandardCharsets.UTF_8);
  }
}
