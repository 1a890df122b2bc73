package io.github.s3eg.s3;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one way the gateway reads the request-target (path and query of the request line): the key
 * parser ({@link S3RequestParser}) and the signature checks ({@code s3/auth}) both call it, so the
 * key a request acts on is the key its signature covers.
 *
 * <p>Vert.x (Netty) hands over the request line one {@code char} per octet, so a raw (not
 * percent-encoded) non-ASCII byte arrives as a character up to U+00FF. Such a character is taken as
 * the octet it was, exactly like the octet of a {@code %XX} escape; the octets are then read as
 * UTF-8, strictly: raw UTF-8 names the same key as its percent-encoded form, and octets that are
 * not UTF-8 (raw or escaped) are {@code 400 InvalidURI}. (Characters above U+00FF can only come
 * from callers that already decoded, HTTP/2 or tests; they stand for their UTF-8 octets.) Header
 * values are not request-target text: see {@link #headerValue}.
 */
public final class PercentDecoding {

  private PercentDecoding() {}

  /**
   * The octets of a piece of the request-target, percent-escapes decoded.
   *
   * @param plusIsSpace whether {@code +} means space (query strings) or itself (paths)
   * @throws S3Exception {@link S3ErrorCode#INVALID_URI} on a malformed escape
   */
  public static byte[] octets(String raw, boolean plusIsSpace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        out.write(escapedOctet(raw, i));
        i += 3;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
        i++;
      } else if (c <= 0xFF) {
        out.write(c);
        i++;
      } else {
        int cp = raw.codePointAt(i);
        out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return out.toByteArray();
  }

  /**
   * A piece of the request-target as text: its {@link #octets} read as UTF-8.
   *
   * @throws S3Exception {@link S3ErrorCode#INVALID_URI} on a malformed escape or octets that are
   *     not UTF-8
   */
  public static String text(String raw, boolean plusIsSpace) {
    return utf8(octets(raw, plusIsSpace));
  }

  /**
   * The request-target piece as it was sent, escapes kept, with its raw octets read as UTF-8: what
   * SigV2 signs ("the path as sent"), so that the octets hashed are the octets received.
   *
   * @throws S3Exception {@link S3ErrorCode#INVALID_URI} if the raw octets are not UTF-8
   */
  public static String asSent(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) > 0x7F) {
        return text(raw.replace("%", "%25"), false);
      }
    }
    return raw;
  }

  /**
   * A percent-encoded header value ({@code x-amz-copy-source}) as text. Vert.x hands header values
   * over one character per octet too, but the signature check hashes header values as those
   * characters (as every SDK signs the header string it sends), so here a raw character stays that
   * character; only escapes are octets, read as UTF-8. {@code +} is itself.
   */
  public static String headerValue(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        out.write(escapedOctet(raw, i));
        i += 3;
      } else {
        int cp = raw.codePointAt(i);
        out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return utf8(out.toByteArray());
  }

  private static int escapedOctet(String raw, int at) {
    if (at + 2 >= raw.length()) {
      throw invalidUri();
    }
    int hi = hexDigit(raw.charAt(at + 1));
    int lo = hexDigit(raw.charAt(at + 2));
    if (hi < 0 || lo < 0) {
      throw invalidUri();
    }
    return hi << 4 | lo;
  }

  /** ASCII hex only ({@code Character.digit} would also take other scripts' digits). */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static String utf8(byte[] octets) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(octets))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalidUri();
    }
  }

  private static S3Exception invalidUri() {
    return new S3Exception(S3ErrorCode.INVALID_URI, "Couldn't parse the specified URI.");
  }
}
