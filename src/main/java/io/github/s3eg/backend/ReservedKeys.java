package io.github.s3eg.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The gateway's own objects beside the client's, in each bucket under {@value #PREFIX}: the record
 * of each multipart upload in progress and the index of each multipart object. Clients can neither
 * see them (listings leave them out) nor name them (requests for keys under the prefix are
 * refused), so they never collide with user keys. Names are hashes, so a 1,024-byte user key still
 * gives a short reserved key.
 */
public final class ReservedKeys {

  /** Start of every reserved key. */
  public static final String PREFIX = ".s3eg/";

  /** Start of every index name. */
  public static final String INDEX = PREFIX + "index/";

  private static final int KEY_HASH_LENGTH = 64;
  private static final int UPLOAD_TAG_LENGTH = 32;

  /**
   * A listing marker after every key the gateway writes (their names continue with lower-case
   * letters, digits, {@code .} and {@code /}, all below {@code ~}) and before every key that does
   * not start with {@link #PREFIX}: a listing that reaches the reserved keys jumps over them with
   * it.
   */
  public static final String AFTER_ALL = PREFIX + "~";

  private ReservedKeys() {}

  /** Whether a client key falls in the reserved namespace. */
  public static boolean isReserved(String key) {
    return key != null && key.startsWith(PREFIX);
  }

  /** Where the record of upload {@code uploadId} of {@code key} lives. */
  public static String uploadRecord(String key, String uploadId) {
    return PREFIX + "uploads/" + sha256(key + "\u0000" + uploadId);
  }

  /**
   * Where the index of a format version 3 multipart object {@code key} lives (one name per key,
   * written after the backend's Complete). Also the start of every index name of {@code key}, of
   * either version: listing it as a prefix finds them all.
   */
  public static String index(String key) {
    return INDEX + sha256(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Where the index of a format version 4 multipart object lives: one name per upload (the upload
   * header is the object's {@code s3eg-hdr}), so an upload's index can be written before the
   * backend's Complete without touching the index of the object the key still holds.
   */
  public static String index(String key, byte[] uploadHeader) {
    return index(key) + "." + sha256(uploadHeader).substring(0, UPLOAD_TAG_LENGTH);
  }

  /**
   * The part of an index name that names its object ({@link #index(String)}), or null for a name
   * that is not an index.
   */
  public static String indexOwner(String name) {
    int end = INDEX.length() + KEY_HASH_LENGTH;
    if (!name.startsWith(INDEX) || name.length() < end) {
      return null;
    }
    if (name.length() == end || name.charAt(end) == '.') {
      return name.substring(0, end);
    }
    return null;
  }

  /** Where the checksum record of the multipart object {@code key} lives. */
  public static String checksums(String key) {
    return PREFIX + "sums/" + sha256(key);
  }

  /**
   * The folder of the part checksum markers of upload {@code uploadId} of {@code key} (one empty
   * object per part, its checksum in its name, so that one listing reads them all).
   */
  public static String partChecksums(String key, String uploadId) {
    return PREFIX + "parts/" + sha256(key + "\u0000" + uploadId) + "/";
  }

  private static String sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
