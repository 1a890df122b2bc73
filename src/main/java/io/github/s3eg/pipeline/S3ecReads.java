package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.S3ecSources;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.crypto.s3ec.S3ecMetadata;
import io.github.s3eg.crypto.s3ec.S3ecObject;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.S3Request;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The gateway side of reading AWS S3 Encryption Client objects ({@code ENCRYPTION_READ_S3EC=true}):
 * recognises them from their metadata (fetching the instruction file when the metadata lives
 * there), opens them with {@link S3ecKeys}, and reads them for GET and CopyObject. The format work
 * is in {@code io.github.s3eg.crypto.s3ec}; GET, HEAD and CopyObject call in here through one hook
 * each, before they open a native object.
 *
 * <p>An S3EC body is one AES-GCM message whose tag comes last, so every read, ranged or not, reads
 * the whole stored object and verifies it before the first byte is released; the ciphertext of the
 * requested range waits in a spool meanwhile ({@code ENCRYPTION_SPOOL_LIMIT} in memory, above it a
 * temporary file). A tampered object is answered with an error, never with unauthenticated bytes.
 */
public final class S3ecReads {

  private final BackendClients backend;
  private final S3ecKeys keys;
  private final long spoolLimit;

  public S3ecReads(BackendClients backend, S3ecKeys keys, long spoolLimit) {
    this.backend = backend;
    this.keys = keys;
    this.spoolLimit = spoolLimit;
  }

  /** Whether a client key names an S3EC instruction file (never served to clients). */
  public static boolean isInstructionFileKey(String key) {
    return key != null && key.endsWith(S3ecMetadata.INSTRUCTION_SUFFIX);
  }

  /**
   * The S3EC object {@code bucket}/{@code key} is, opened; empty when its metadata is not S3EC's
   * (and, for an object without any S3EC entry, it has no instruction file).
   *
   * @throws CryptoException an S3EC object the gateway cannot or must not read
   */
  public Optional<S3ecObject> open(String bucket, String key, Map<String, String> metadata)
      throws CryptoException {
    return S3ecSources.open(backend.s3(), keys, bucket, key, metadata);
  }

  /**
   * The ETag a client sees: the backend's (the MD5 of the ciphertext, or of its parts), marked as
   * not an MD5 of the content with {@code -1} as S3 marks multipart ETags, so that no client
   * compares it with the MD5 of what it downloaded. The plaintext MD5 is not stored anywhere.
   */
  public static String etag(String backendEtag) {
    String bare = backendEtag == null ? "" : backendEtag.replace("\"", "");
    return "\"" + (bare.contains("-") ? bare : bare + "-1") + "\"";
  }

  /**
   * The {@code decrypt} step for an S3EC object: the plaintext bytes of the client's range, from
   * the whole object {@code locateCiphertext} read, its one GCM message verified whole first.
   */
  AuthenticatedPlaintext readLocated(
      S3Request s3,
      CiphertextLocator.Located.S3ec located,
      CiphertextLocator.StreamReleaser releaser)
      throws IOException, CryptoException {
    S3ecObject object = located.object();
    long size = object.plaintextSize(located.storedSize());
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), size);
    long first = range.map(ByteRange::first).orElse(0L);
    long last = range.map(ByteRange::last).orElse(size - 1);
    ResponseInputStream<GetObjectResponse> whole = located.source();
    InputStream plaintext;
    try {
      plaintext = object.readVerified(whole, located.storedSize(), first, last, spoolLimit);
    } catch (IOException | CryptoException | RuntimeException e) {
      whole.abort();
      throw e;
    }
    return new AuthenticatedPlaintext(
        plaintext,
        last - first + 1,
        range.orElse(null),
        size,
        located.etag(),
        () -> {
          releaser.release(whole);
          try {
            plaintext.close();
          } catch (IOException e) {
            // the spool file is gone or going; nothing to tell the client
          }
        });
  }

  /**
   * A verified plaintext stream of a whole S3EC object for a re-encrypting copy: the source is read
   * and verified before the copy's upload starts, so a tampered source never leaves a partial
   * upload. {@code sourceEtag}: the backend ETag of the version whose metadata was opened.
   */
  InputStream readWhole(
      String bucket, String key, String sourceEtag, long storedSize, S3ecObject object)
      throws IOException, CryptoException {
    long size = object.plaintextSize(storedSize);
    try (ResponseInputStream<GetObjectResponse> in =
        backend
            .s3()
            .getObject(
                GetObjectRequest.builder().bucket(bucket).key(key).ifMatch(sourceEtag).build())) {
      try {
        return object.readVerified(in, storedSize, 0, size - 1, spoolLimit);
      } catch (IOException | CryptoException | RuntimeException e) {
        in.abort();
        throw e;
      }
    }
  }
}
