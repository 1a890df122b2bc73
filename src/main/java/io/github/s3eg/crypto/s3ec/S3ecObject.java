package io.github.s3eg.crypto.s3ec;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.keys.KeyReference;
import java.io.IOException;
import java.io.InputStream;

/**
 * An S3 Encryption Client object whose data key is open: its body is {@code AES-256-GCM(content
 * key, iv, ad, plaintext) || tag(16)}, one GCM message for the whole object (also when the S3EC
 * uploaded it in parts). The tag comes last, so no byte of the plaintext is authenticated before
 * the whole body has been read. Two ways to read it:
 *
 * <ul>
 *   <li>{@link #readVerified}: reads the whole body, checks the tag, then releases the requested
 *       range. What a client of the gateway gets: never a byte that did not verify. Costs the whole
 *       body per request and a spool of the range's ciphertext (memory up to a limit, then a
 *       temporary file, ciphertext only).
 *   <li>{@link #decryptDeferred}: streams plaintext as it decrypts and fails at the end if the tag
 *       does not verify. Only for consumers that throw away everything they got when the stream
 *       fails: a re-encrypting copy or a conversion (the backend upload is aborted), a file written
 *       under a temporary name.
 * </ul>
 *
 * Immutable; holds the content key for as long as it is reachable.
 */
public final class S3ecObject {

  /** The GCM tag after the ciphertext. */
  public static final int TAG_BYTES = 16;

  private final S3ecMetadata.Format format;
  private final KeyReference kek;
  private final GcmContent content;

  S3ecObject(
      S3ecMetadata.Format format, KeyReference kek, byte[] contentKey, byte[] iv, byte[] ad) {
    this.format = format;
    this.kek = kek;
    this.content = new GcmContent(contentKey, iv, ad);
  }

  public S3ecMetadata.Format format() {
    return format;
  }

  /** The gateway key that opened the data key. */
  public KeyReference kek() {
    return kek;
  }

  /**
   * The plaintext size of a body of {@code storedSize} bytes.
   *
   * @throws CryptoException.ImpossibleCiphertextSize below the 16-byte tag
   */
  public long plaintextSize(long storedSize) throws CryptoException {
    if (storedSize < TAG_BYTES) {
      throw new CryptoException.ImpossibleCiphertextSize(
          "an S3 Encryption Client body of " + storedSize + " bytes has no room for its tag");
    }
    return storedSize - TAG_BYTES;
  }

  /**
   * The plaintext of {@code body} ({@code storedSize} bytes), released as it decrypts; the stream
   * throws a {@link io.github.s3eg.crypto.CryptoIOException} instead of its end when the tag does
   * not verify (or the body is cut or too long). Closing it closes {@code body}.
   */
  public InputStream decryptDeferred(InputStream body, long storedSize) throws CryptoException {
    return content.deferred(body, plaintextSize(storedSize));
  }

  /**
   * Reads {@code body} (the whole stored object, {@code storedSize} bytes) to its end and checks
   * its tag, keeping nothing.
   *
   * @throws io.github.s3eg.crypto.CryptoIOException if it does not verify
   */
  public void verify(InputStream body, long storedSize) throws IOException, CryptoException {
    InputStream plaintext = content.deferred(body, plaintextSize(storedSize));
    byte[] discard = new byte[64 * 1024];
    while (plaintext.read(discard) >= 0) {
      // the tag is checked at the end
    }
  }

  /**
   * Reads {@code body} (the whole stored object, {@code storedSize} bytes) to its end, verifies the
   * tag, and returns plaintext bytes {@code first..last} (inclusive, within the plaintext). Nothing
   * is returned unless the whole body verified. Closing the result deletes the spool; {@code body}
   * is consumed but not closed.
   *
   * @param memoryLimit the range's ciphertext up to this size is spooled in memory, above it in a
   *     temporary file
   */
  public InputStream readVerified(
      InputStream body, long storedSize, long first, long last, long memoryLimit)
      throws IOException, CryptoException {
    return content.verifiedRange(body, plaintextSize(storedSize), first, last, memoryLimit);
  }
}
