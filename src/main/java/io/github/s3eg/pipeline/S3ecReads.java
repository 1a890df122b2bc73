package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.S3ecSources;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.crypto.s3ec.S3ecMetadata;
import io.github.s3eg.crypto.s3ec.S3ecObject;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.Preconditions;
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
   * The GET step: plaintext bytes of the client's range of an S3EC object, verified. {@code
   * planned} is the backend GET the route already made; unless it returned the whole object it is
   * dropped and the whole object fetched again, on condition that it is still the same object.
   */
  DecryptObject.PlaintextBody read(
      S3Request s3, ResponseInputStream<GetObjectResponse> planned, S3ecObject object)
      throws IOException, CryptoException {
    GetObjectResponse r = planned.response();
    StoredObjectWindow window = StoredObjectWindow.of(r);
    long size = object.plaintextSize(window.total());
    // Conditions first: a 304 or 412 needs no read of the body.
    Preconditions.check(s3, etag(r.eTag()), r.lastModified());
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), size);
    ResponseInputStream<GetObjectResponse> whole = planned;
    if (!window.whole()) {
      planned.abort();
      whole =
          backend
              .s3()
              .getObject(
                  GetObjectRequest.builder()
                      .bucket(s3.bucket())
                      .key(s3.key())
                      .ifMatch(r.eTag())
                      .build());
    }
    long first = range.map(ByteRange::first).orElse(0L);
    long last = range.map(ByteRange::last).orElse(size - 1);
    InputStream plaintext;
    try {
      plaintext = object.readVerified(whole, window.total(), first, last, spoolLimit);
    } catch (IOException | CryptoException | RuntimeException e) {
      whole.abort();
      throw e;
    }
    ResponseInputStream<GetObjectResponse> fetched = whole;
    return new DecryptObject.PlaintextBody(
        plaintext,
        last - first + 1,
        range.orElse(null),
        size,
        () -> {
          ObjectOperations.release(fetched);
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

  /** Where a backend GET's body lies in the stored object. */
  private record StoredObjectWindow(long start, long length, long total) {

    private static final java.util.regex.Pattern CONTENT_RANGE =
        java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    static StoredObjectWindow of(GetObjectResponse r) {
      long length = r.contentLength() == null ? 0 : r.contentLength();
      java.util.regex.Matcher m =
          r.contentRange() == null ? null : CONTENT_RANGE.matcher(r.contentRange());
      if (m != null && m.matches()) {
        return new StoredObjectWindow(
            Long.parseLong(m.group(1)), length, Long.parseLong(m.group(3)));
      }
      return new StoredObjectWindow(0, length, length);
    }

    boolean whole() {
      return start == 0 && length == total;
    }
  }
}
