package io.github.s3eg.cache;

import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import java.time.Instant;
import java.util.Map;

/**
 * One object as the cache holds it: the decrypted, authenticated plaintext and what a GET or HEAD
 * answers about it (content headers and user metadata without the gateway's own entries, the
 * plaintext ETag, Last-Modified), plus the reference of the key that wrapped its data key, for the
 * audit log. Never a key, never ciphertext. The plaintext array is shared with the responses that
 * read it and must not be modified.
 *
 * @param checksum the object's checksum as GET and HEAD show it when asked, or {@code null}
 */
public record CachedObject(
    byte[] plaintext,
    ObjectHeaders headers,
    String etag,
    Instant lastModified,
    String keyReference,
    ObjectChecksum checksum) {

  /** An entry for an object without a checksum. */
  public CachedObject(
      byte[] plaintext,
      ObjectHeaders headers,
      String etag,
      Instant lastModified,
      String keyReference) {
    this(plaintext, headers, etag, lastModified, keyReference, null);
  }

  /** Per-entry bookkeeping (map node, record, key strings) counted on top of the data. */
  static final int OVERHEAD_BYTES = 256;

  public long size() {
    return plaintext.length;
  }

  /**
   * Bytes this entry holds, approximately: the plaintext, two bytes per character of every header
   * string, and {@link #OVERHEAD_BYTES}. What {@code CACHE_MAX_SIZE} counts.
   */
  int weight() {
    long chars =
        length(etag)
            + length(keyReference)
            + length(headers.contentType())
            + length(headers.contentEncoding())
            + length(headers.contentDisposition())
            + length(headers.contentLanguage())
            + length(headers.cacheControl())
            + length(headers.expires());
    for (Map.Entry<String, String> e : headers.userMetadata().entrySet()) {
      chars += length(e.getKey()) + length(e.getValue());
    }
    return (int) Math.min(Integer.MAX_VALUE, plaintext.length + 2 * chars + OVERHEAD_BYTES);
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
