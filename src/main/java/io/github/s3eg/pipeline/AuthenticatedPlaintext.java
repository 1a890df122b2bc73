package io.github.s3eg.pipeline;

import io.github.s3eg.s3.ByteRange;
import java.io.InputStream;

/**
 * The bytes a GetObject answers with, as only {@code decrypt} makes them: decrypted under the key
 * {@code resolveKey} unwrapped, with the first segment already authenticated (a later failure
 * breaks the stream, so the client sees a broken transfer, never wrong bytes), or an allowed
 * plaintext object as it is stored. The response step takes nothing else, so no route edit can
 * serve ciphertext as the object's data.
 */
public final class AuthenticatedPlaintext {

  private final InputStream stream;
  private final long length;
  private final ByteRange range;
  private final long objectSize;
  private final String etag;
  private final Runnable release;

  /**
   * @param range the range answered, or null for the whole object
   * @param etag the ETag to show when the object's metadata does not hold it (multipart), or null
   * @param release gives the backend stream back (or aborts it if not read to its end)
   */
  AuthenticatedPlaintext(
      InputStream stream,
      long length,
      ByteRange range,
      long objectSize,
      String etag,
      Runnable release) {
    this.stream = stream;
    this.length = length;
    this.range = range;
    this.objectSize = objectSize;
    this.etag = etag;
    this.release = release;
  }

  AuthenticatedPlaintext withEtag(String etag) {
    return new AuthenticatedPlaintext(stream, length, range, objectSize, etag, release);
  }

  public InputStream stream() {
    return stream;
  }

  public long length() {
    return length;
  }

  /** The range answered (206), or null for the whole object (200). */
  public ByteRange range() {
    return range;
  }

  public long objectSize() {
    return objectSize;
  }

  /** The ETag when the object's metadata does not carry it (multipart objects), or null. */
  public String etag() {
    return etag;
  }

  /** Releases the backend stream: back to the pool if read to its end, else aborted. */
  public void release() {
    release.run();
  }
}
