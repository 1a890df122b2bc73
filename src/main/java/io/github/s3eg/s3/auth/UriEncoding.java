package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.PercentDecoding;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding the way SigV4 canonicalises S3 URIs: decode what the client sent to octets, then
 * encode every octet that is not unreserved ({@code A-Z a-z 0-9 - . _ ~}) as {@code %XX} with
 * upper-case hex. Going through octets (not Java strings) makes the result independent of how the
 * client chose to escape, and keeps keys that are not valid UTF-8 intact.
 */
public final class UriEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UriEncoding() {}

  /**
   * The SigV4 canonical URI of an S3 request path: decoded once and re-encoded once, slashes kept,
   * no normalisation of {@code //}, {@code .} or {@code ..} segments (S3 signs the key as is).
   *
   * @throws S3Exception {@link S3ErrorCode#INVALID_URI} on a malformed escape
   */
  public static String canonicalPath(String rawPath) {
    return encode(decode(rawPath, false), true);
  }

  /**
   * Decodes percent-escapes to octets.
   *
   * @param plusIsSpace whether {@code +} means space (query strings) or itself (paths)
   */
  public static byte[] decode(String raw, boolean plusIsSpace) {
    return PercentDecoding.octets(raw, plusIsSpace);
  }

  /**
   * Decodes to a string, reading the octets as UTF-8, strictly: octets that are not UTF-8 are
   * {@code InvalidURI}, so that two different query strings never canonicalise alike.
   */
  public static String decodeToString(String raw, boolean plusIsSpace) {
    return PercentDecoding.text(raw, plusIsSpace);
  }

  /** Encodes octets; unreserved characters stay, and {@code /} stays if {@code keepSlash}. */
  public static String encode(byte[] octets, boolean keepSlash) {
    StringBuilder sb = new StringBuilder(octets.length + 16);
    for (byte b : octets) {
      int c = b & 0xFF;
      if (isUnreserved(c) || (keepSlash && c == '/')) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return sb.toString();
  }

  /** Encodes a Java string as UTF-8 octets, {@code /} included ({@code %2F}). */
  public static String encode(String value) {
    return encode(value.getBytes(StandardCharsets.UTF_8), false);
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
