package io.github.s3eg.s3.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SigV4 primitives: signing-key derivation, HMAC-SHA256, SHA-256 and the header string to sign.
 * Shared by header, presigned and chunk verification so that all three hash the same way.
 */
public final class SigV4Signing {

  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String TERMINATOR = "aws4_request";
  public static final String SERVICE = "s3";

  /** SHA-256 of zero bytes, hex; appears in every chunk string to sign. */
  public static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final HexFormat HEX = HexFormat.of();

  private SigV4Signing() {}

  /**
   * {@code kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
   * "aws4_request")}.
   */
  static byte[] signingKey(byte[] secret, String date, String region, String service) {
    byte[] seed = new byte[secret.length + 4];
    System.arraycopy("AWS4".getBytes(StandardCharsets.US_ASCII), 0, seed, 0, 4);
    System.arraycopy(secret, 0, seed, 4, secret.length);
    byte[] k = hmac(seed, date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, TERMINATOR);
  }

  static byte[] hmac(byte[] key, String data) {
    return newMac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /** A ready HMAC-SHA256 instance keyed with {@code key}; not thread-safe. */
  static Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  static String sha256Hex(String text) {
    return hex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Decodes 64 hex characters (either case) to 32 bytes, or returns null if it is not that. */
  public static byte[] parseSignature(String hex) {
    if (hex == null || hex.length() != 64) {
      return null;
    }
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code AWS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex(SHA256(canonicalRequest))>}. */
  static String stringToSign(String timestamp, String scope, String canonicalRequest) {
    return ALGORITHM + "\n" + timestamp + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
  }
}
