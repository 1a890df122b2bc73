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

  private ReservedKeys() {}

  /** Whether a client key falls in the reserved namespace. */
  public static boolean isReserved(String key) {
    return key != null && key.startsWith(PREFIX);
  }

  /** Where the record of upload {@code uploadId} of {@code key} lives. */
  public static String uploadRecord(String key, String uploadId) {
    return PREFIX + "uploads/" + sha256(key + "\u0000" + uploadId);
  }

  /** Where the index of the multipart object {@code key} lives. */
  public static String index(String key) {
    return PREFIX + "index/" + sha256(key);
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
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
