package io.github.s3eg.backend;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code Content-MD5} of a body the gateway sends to its backend (of the ciphertext, or of its
 * own small records). S3 refuses an upload into a bucket with Object Lock without an integrity
 * checksum ({@code Content-MD5} or {@code x-amz-checksum-*}); where the backend client sends no
 * checksum trailers, the gateway sends this.
 */
public final class ContentMd5 {

  private ContentMd5() {}

  /** Base64 of the MD5 of {@code body}. */
  public static String of(byte[] body) {
    return encode(digest().digest(body));
  }

  /** Base64 of an MD5 computed elsewhere. */
  public static String encode(byte[] md5) {
    return Base64.getEncoder().encodeToString(md5);
  }

  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }
}
