package io.github.s3eg.crypto.s3ec;

import io.github.s3eg.crypto.CryptoException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The content metadata of an object written by the AWS S3 Encryption Client (S3EC), in one of the
 * two formats whose content is authenticated AES-256-GCM:
 *
 * <ul>
 *   <li><b>V2</b> (every 3.x client, and 4.x with {@code ALG_AES_256_GCM_IV12_TAG16_NO_KDF}):
 *       {@code x-amz-key-v2} (wrapped data key), {@code x-amz-iv} (12 bytes), {@code x-amz-cek-alg
 *       = AES/GCM/NoPadding}, {@code x-amz-tag-len = 128}, {@code x-amz-wrap-alg}, {@code
 *       x-amz-matdesc};
 *   <li><b>V3</b> (4.x default, key-committing {@code ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY}):
 *       {@code x-amz-c = 115}, {@code x-amz-3} (wrapped data key), {@code x-amz-w} (wrap algorithm,
 *       {@code 02} = AES/GCM), {@code x-amz-i} (28-byte message id), {@code x-amz-d} (28-byte key
 *       commitment), {@code x-amz-m}/{@code x-amz-t}.
 * </ul>
 *
 * <p>Either may be split with an <em>instruction file</em> ({@code key + ".instruction"}, a JSON
 * object): V2 then keeps everything there and nothing on the object; V3 keeps {@code x-amz-c},
 * {@code x-amz-d} and {@code x-amz-i} on the object and the rest in the file.
 *
 * <p>Only the AES/GCM wrap of a raw AES key is supported: the gateway unwraps it with its own key
 * source ({@link S3ecKeys}). KMS ({@code kms}, {@code kms+context}), RSA-OAEP and the legacy
 * unauthenticated modes (AES/CBC content, {@code AES}/{@code AESWrap} wraps of V1 objects) are
 * refused with {@link CryptoException.UnsupportedAlgorithm}: never a downgrade to unauthenticated
 * content.
 */
public final class S3ecMetadata {

  /** The instruction file of object {@code key} (the S3EC's default suffix). */
  public static final String INSTRUCTION_SUFFIX = ".instruction";

  /** The metadata entry that marks an instruction file. */
  public static final String INSTRUCTION_FILE_MARKER = "x-amz-crypto-instr-file";

  static final String KEY_V1 = "x-amz-key";
  static final String KEY_V2 = "x-amz-key-v2";
  static final String IV = "x-amz-iv";
  static final String CEK_ALG = "x-amz-cek-alg";
  static final String TAG_LEN = "x-amz-tag-len";
  static final String WRAP_ALG = "x-amz-wrap-alg";
  static final String MATDESC = "x-amz-matdesc";
  static final String CIPHER_V3 = "x-amz-c";
  static final String KEY_V3 = "x-amz-3";
  static final String WRAP_ALG_V3 = "x-amz-w";
  static final String MESSAGE_ID_V3 = "x-amz-i";
  static final String COMMITMENT_V3 = "x-amz-d";
  static final String MATDESC_V3 = "x-amz-m";
  static final String CONTEXT_V3 = "x-amz-t";

  /** Entries that only the object (never its instruction file) carries in V3. */
  private static final Set<String> V3_OBJECT_ONLY = Set.of(CIPHER_V3, COMMITMENT_V3, MESSAGE_ID_V3);

  /** The content cipher of V2 objects (no KDF, no associated data). */
  static final String GCM_CIPHER = "AES/GCM/NoPadding";

  /** The content algorithm suite of V3 objects ({@code 0x0073}). */
  static final String COMMITTING_SUITE = "115";

  /** The only wrap the gateway can open: AES-GCM under a raw AES key. */
  static final String AES_GCM_WRAP = "AES/GCM";

  static final int IV_BYTES = 12;
  static final int MESSAGE_ID_BYTES = 28;
  static final int COMMITMENT_BYTES = 28;

  /** The two formats with authenticated content. */
  public enum Format {
    V2,
    V3
  }

  private final Format format;
  private final byte[] wrappedKey;
  private final byte[] nonce;
  private final byte[] commitment;
  private final boolean fromInstructionFile;

  private S3ecMetadata(
      Format format,
      byte[] wrappedKey,
      byte[] nonce,
      byte[] commitment,
      boolean fromInstructionFile) {
    this.format = format;
    this.wrappedKey = wrappedKey;
    this.nonce = nonce;
    this.commitment = commitment;
    this.fromInstructionFile = fromInstructionFile;
  }

  /** Which metadata an object's own entries ask for. */
  public enum Shape {
    /** No S3EC entry: plaintext, the gateway's own, or a V2 object with an instruction file. */
    NONE,
    /** Complete on the object itself. */
    COMPLETE,
    /** V3 split: the wrapped key is in the instruction file. */
    NEEDS_INSTRUCTION_FILE
  }

  /** What {@code metadata} (user metadata, names without {@code x-amz-meta-}) says. */
  public static Shape shapeOf(Map<String, String> metadata) {
    Map<String, String> m = lowerCase(metadata);
    boolean v3Core = m.containsKey(CIPHER_V3) || m.containsKey(MESSAGE_ID_V3);
    if (m.containsKey(KEY_V2) || m.containsKey(KEY_V1) || m.containsKey(KEY_V3)) {
      return Shape.COMPLETE;
    }
    if (v3Core || m.containsKey(COMMITMENT_V3)) {
      return Shape.NEEDS_INSTRUCTION_FILE;
    }
    if (m.containsKey(IV) || m.containsKey(CEK_ALG) || m.containsKey(WRAP_ALG)) {
      return Shape.COMPLETE; // partial V1/V2 entries: parsed (and refused) as S3EC, never plaintext
    }
    return Shape.NONE;
  }

  /** Every entry name the S3EC writes on objects (content metadata, never shown to clients). */
  private static final Set<String> CONTENT_METADATA =
      Set.of(
          KEY_V1,
          KEY_V2,
          IV,
          CEK_ALG,
          TAG_LEN,
          WRAP_ALG,
          MATDESC,
          CIPHER_V3,
          KEY_V3,
          WRAP_ALG_V3,
          MESSAGE_ID_V3,
          COMMITMENT_V3,
          MATDESC_V3,
          CONTEXT_V3,
          "x-amz-unencrypted-content-length",
          "x-amz-unencrypted-content-md5");

  /** Whether a user-metadata name is one of the S3EC's own entries. */
  public static boolean isContentMetadataEntry(String name) {
    return CONTENT_METADATA.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Whether a key has the name of an instruction file ({@code … .instruction}). */
  public static boolean isInstructionFileName(String key) {
    return key != null && key.endsWith(INSTRUCTION_SUFFIX);
  }

  /** Whether {@code metadata} marks an S3EC instruction file. */
  public static boolean isInstructionFile(Map<String, String> metadata) {
    return lowerCase(metadata).containsKey(INSTRUCTION_FILE_MARKER);
  }

  /**
   * Parses an object's S3EC metadata.
   *
   * @param objectMetadata the object's user metadata
   * @param instructionFile the parsed instruction file, when the object has one
   * @throws CryptoException.MalformedMetadata missing, duplicated or badly encoded entries
   * @throws CryptoException.UnsupportedAlgorithm a content cipher or key wrap the gateway does not
   *     read (KMS, RSA, legacy unauthenticated modes)
   */
  public static S3ecMetadata parse(
      Map<String, String> objectMetadata, Optional<Map<String, String>> instructionFile)
      throws CryptoException {
    Map<String, String> all = new HashMap<>(strictLowerCase(objectMetadata));
    if (instructionFile.isPresent()) {
      Map<String, String> file = strictLowerCase(instructionFile.get());
      for (String name : V3_OBJECT_ONLY) {
        if (file.containsKey(name)) {
          throw new CryptoException.MalformedMetadata(
              "the instruction file carries " + name + ", which only the object may carry");
        }
      }
      for (Map.Entry<String, String> e : file.entrySet()) {
        String before = all.putIfAbsent(e.getKey(), e.getValue());
        if (before != null && !before.equals(e.getValue())) {
          throw new CryptoException.MalformedMetadata(
              e.getKey() + " differs between the object and its instruction file");
        }
      }
    }
    boolean v2 = all.containsKey(KEY_V2);
    boolean v3 = all.containsKey(KEY_V3);
    boolean v1 = all.containsKey(KEY_V1);
    if ((v1 ? 1 : 0) + (v2 ? 1 : 0) + (v3 ? 1 : 0) != 1) {
      throw new CryptoException.MalformedMetadata(
          "an S3 Encryption Client object needs exactly one of x-amz-key, x-amz-key-v2, x-amz-3");
    }
    if (v1) {
      throw new CryptoException.UnsupportedAlgorithm(
          "S3 Encryption Client V1 objects (x-amz-key) use legacy unauthenticated modes;"
              + " decrypt them with the S3 Encryption Client");
    }
    return v2
        ? parseV2(all, instructionFile.isPresent())
        : parseV3(all, instructionFile.isPresent());
  }

  private static S3ecMetadata parseV2(Map<String, String> m, boolean file) throws CryptoException {
    String cipher = required(m, CEK_ALG);
    if (!GCM_CIPHER.equals(cipher)) {
      throw new CryptoException.UnsupportedAlgorithm(
          "content cipher "
              + cipher
              + " is not authenticated AES-GCM; the gateway serves only authenticated content");
    }
    if (!"128".equals(required(m, TAG_LEN))) {
      throw new CryptoException.MalformedMetadata(TAG_LEN + " must be 128");
    }
    requireAesGcmWrap(required(m, WRAP_ALG));
    byte[] iv = base64(m, IV, IV_BYTES);
    return new S3ecMetadata(Format.V2, base64(m, KEY_V2, -1), iv, null, file);
  }

  private static S3ecMetadata parseV3(Map<String, String> m, boolean file) throws CryptoException {
    String suite = required(m, CIPHER_V3);
    if (!COMMITTING_SUITE.equals(suite)) {
      throw new CryptoException.UnsupportedAlgorithm(
          "content algorithm suite " + suite + " is not one the gateway reads (115)");
    }
    String wrap = required(m, WRAP_ALG_V3);
    requireAesGcmWrap(
        switch (wrap) {
          case "02" -> AES_GCM_WRAP;
          case "12" -> "kms+context";
          case "22" -> "RSA-OAEP-SHA1";
          default -> throw new CryptoException.MalformedMetadata("unknown " + WRAP_ALG_V3);
        });
    return new S3ecMetadata(
        Format.V3,
        base64(m, KEY_V3, -1),
        base64(m, MESSAGE_ID_V3, MESSAGE_ID_BYTES),
        base64(m, COMMITMENT_V3, COMMITMENT_BYTES),
        file);
  }

  private static void requireAesGcmWrap(String wrap) throws CryptoException {
    if (!AES_GCM_WRAP.equals(wrap)) {
      throw new CryptoException.UnsupportedAlgorithm(
          "the data key is wrapped with "
              + wrap
              + "; the gateway opens only AES/GCM wraps of a raw AES key"
              + " (ENCRYPTION_S3EC_KEYS)");
    }
  }

  private static String required(Map<String, String> m, String name) throws CryptoException {
    String v = m.get(name);
    if (v == null || v.isEmpty()) {
      throw new CryptoException.MalformedMetadata(
          "S3 Encryption Client entry " + name + " is missing");
    }
    return v;
  }

  private static byte[] base64(Map<String, String> m, String name, int length)
      throws CryptoException {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(required(m, name));
    } catch (IllegalArgumentException e) {
      throw new CryptoException.MalformedMetadata(name + " is not base64");
    }
    if ((length >= 0 && b.length != length) || b.length == 0 || b.length > 1024) {
      throw new CryptoException.MalformedMetadata(name + " has " + b.length + " bytes");
    }
    return b;
  }

  /** Entry names are HTTP headers: compared case-insensitively (for detection, first wins). */
  private static Map<String, String> lowerCase(Map<String, String> metadata) {
    Map<String, String> out = new HashMap<>();
    metadata.forEach((k, v) -> out.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  /** As {@link #lowerCase}, but two entries differing only in case are refused, not chosen. */
  private static Map<String, String> strictLowerCase(Map<String, String> metadata)
      throws CryptoException {
    Map<String, String> out = lowerCase(metadata);
    if (out.size() != metadata.size()) {
      throw new CryptoException.MalformedMetadata(
          "two metadata entries differ only in the case of their names");
    }
    return out;
  }

  public Format format() {
    return format;
  }

  /** The wrapped data key (AES/GCM wrap: {@code iv(12) || ciphertext || tag(16)}). */
  byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  /** V2: the content IV; V3: the message id (the HKDF salt). */
  byte[] nonce() {
    return nonce.clone();
  }

  /** V3: the stored key commitment; null for V2. */
  byte[] commitment() {
    return commitment == null ? null : commitment.clone();
  }

  /** Whether part of the metadata came from the object's instruction file. */
  public boolean fromInstructionFile() {
    return fromInstructionFile;
  }
}
