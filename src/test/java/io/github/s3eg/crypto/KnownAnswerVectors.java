package io.github.s3eg.crypto;

import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.TestKeyManagers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Definitions of the known-answer vectors and the code that computes them with fixed randomness.
 * {@link KnownAnswerVectorTest} recomputes every vector and compares it with the committed file;
 * {@link #main} regenerates the file, which is only right when the format version changes.
 *
 * <p>Every fixed value is {@code SHA-256("s3eg-kat/" + vector + "/" + field)} cut to size, so the
 * inputs are reproducible from this description alone. Plaintexts are {@code byte[i] = i mod 251};
 * for large ones only the SHA-256 of the body is stored.
 */
final class KnownAnswerVectors {

  /** Where {@link #main} writes the vectors (run from the project directory). */
  static final Path FILE = Path.of("src/test/resources/vectors/object-format-v1.txt");

  /** Where the tests read them. */
  static final String RESOURCE = "/vectors/object-format-v1.txt";

  static final String BUCKET = "kat-bucket";
  static final KeyReference KEK_REFERENCE = new KeyReference("static-kat", 1);
  static final int INLINE_LIMIT = 1024;

  private static final HexFormat HEX = HexFormat.of();

  /** One vector's parameters. */
  record Definition(String name, Algorithm algorithm, int segmentSize, int size, String key) {}

  static List<Definition> definitions() {
    List<Definition> all = new java.util.ArrayList<>();
    for (Algorithm a : Algorithm.values()) {
      String alg = a.configName().toLowerCase(java.util.Locale.ROOT);
      // 0: empty; 1: one byte; 24: segment 0 exactly full; 25: one byte into segment 1;
      // 88: two full segments (boundary); 200: four segments, the last one partial.
      for (int size : new int[] {0, 1, 24, 25, 88, 200}) {
        String name = alg + "/seg64/size" + size;
        String key = size == 1 ? "vectors/naïve-ü/" + name : "vectors/" + name;
        all.add(new Definition(name, a, 64, size, key));
      }
      String big = alg + "/seg65536/size131079";
      all.add(new Definition(big, a, 65_536, 131_079, "vectors/" + big));
    }
    return all;
  }

  static byte[] fixed(String vector, String field, int length) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(("s3eg-kat/" + vector + "/" + field).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(h, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] kek() {
    return fixed("all", "kek", 32);
  }

  /** {@code byte[i] = i mod 251}, for every vector (251 is prime: no power-of-two period). */
  static byte[] plaintext(Definition d) {
    byte[] p = new byte[d.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (i % 251);
    }
    return p;
  }

  /** Runs the engine with the vector's fixed randomness and reports every value. */
  static Map<String, String> compute(Definition d) throws CryptoException, IOException {
    byte[] dek = fixed(d.name(), "dek", 32);
    byte[] salt = fixed(d.name(), "salt", 32);
    byte[] prefix = fixed(d.name(), "nonce-prefix", 7);
    byte[] wrapNonce = fixed(d.name(), "wrap-nonce", 12);
    byte[] plaintext = plaintext(d);
    SegmentLayout layout = SegmentLayout.of(d.segmentSize());
    StreamHeader header = new StreamHeader(salt, prefix);
    byte[] bodyAd = ObjectFormat.singleObjectBodyAssociatedData();

    FixedRandom objectRandom = new FixedRandom(dek, salt, prefix);
    FixedRandom wrapRandom = new FixedRandom(wrapNonce);
    ObjectEncryptor encryptor =
        new ObjectEncryptor(
            TestKeyManagers.staticKek(kek(), KEK_REFERENCE, wrapRandom),
            d.algorithm(),
            layout,
            objectRandom);
    EncryptionSession session = encryptor.begin(BUCKET, d.key());
    byte[] body;
    try (var in = session.encrypt(new ByteArrayInputStream(plaintext))) {
      body = in.readAllBytes();
    }
    if (!objectRandom.exhausted() || !wrapRandom.exhausted()) {
      throw new IllegalStateException("the engine drew fewer random values than the vector fixes");
    }

    Map<String, String> v = new LinkedHashMap<>();
    v.put("algorithm", d.algorithm().configName());
    v.put("segment-size", Integer.toString(d.segmentSize()));
    v.put("bucket", BUCKET);
    v.put("key", d.key());
    v.put("kek", HEX.formatHex(kek()));
    v.put("kek-reference", KEK_REFERENCE.encode());
    v.put("dek", HEX.formatHex(dek));
    v.put("salt", HEX.formatHex(salt));
    v.put("nonce-prefix", HEX.formatHex(prefix));
    v.put("wrap-nonce", HEX.formatHex(wrapNonce));
    v.put("body-associated-data", HEX.formatHex(bodyAd));
    v.put("segment-key", HEX.formatHex(SegmentCipher.deriveSegmentKey(dek, header, bodyAd)));
    v.put("etag-mac-key", HEX.formatHex(EtagTrailer.macKey(dek)));
    v.put(
        "wrap-associated-data",
        HEX.formatHex(
            ObjectBinding.wrapAssociatedData(d.algorithm(), layout, header, BUCKET, d.key())));
    v.put("plaintext-size", Integer.toString(plaintext.length));
    if (d.size() <= INLINE_LIMIT) {
      v.put("plaintext", HEX.formatHex(plaintext));
      v.put("body", HEX.formatHex(body));
    } else {
      v.put("plaintext-rule", "byte[i] = i mod 251");
      v.put("body-size", Integer.toString(body.length));
      v.put("body-sha256", sha256Hex(body));
    }
    session.completeMetadata().forEach((name, value) -> v.put("meta." + name, value));
    return v;
  }

  static String sha256Hex(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static final String FILE_HEADER =
      """
      # s3eg encrypted object format v1: known-answer vectors (see docs/object-format.md).
      # Generated by io.github.s3eg.crypto.KnownAnswerVectors (test sources) with fixed randomness;
      # KnownAnswerVectorTest recomputes and decrypts every vector. Never edit or regenerate this
      # file for a change of the v1 format: objects already stored depend on it.
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
