package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CompressedRange;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.S3Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The {@code decompress} step of GetObject, for compressed objects (format version 2) only; the
 * {@code decrypt} step leaves them to it. It yields exactly the plaintext bytes the client asked
 * for, as {@link DecryptObject.PlaintextBody}:
 *
 * <ul>
 *   <li>the whole object: the backend body is decrypted and its frames decompressed in order (the
 *       frame index at the end is checked against the frames);
 *   <li>a range: the backend read planned for an uncompressed layout is of no use (the object's
 *       compressed bytes are elsewhere), so it is dropped after its headers, and two ranged
 *       requests follow: the index entries of the covering frames, then those frames. Any range
 *       costs these three backend requests and about the compressed size of its frames.
 * </ul>
 *
 * <p>As for uncompressed objects, the first frame is authenticated and decoded before a byte is
 * sent, so most damage becomes a clean error response.
 */
public final class DecompressObject {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  /** Plaintext read ahead before answering: enough to cover the first frame's verification. */
  private static final int VERIFIED_PREFIX = 64 * 1024;

  private final BackendClients backend;

  public DecompressObject(BackendClients backend) {
    this.backend = backend;
  }

  /** The plaintext of a compressed object, for the {@code decrypt} step. */
  AuthenticatedPlaintext decompress(RequestState state, Exchange exchange)
      throws IOException, CryptoException {
    OpenedObject opened = state.key().openedOrNull();
    S3Request s3 = state.request();
    ResponseInputStream<GetObjectResponse> body = DecryptObject.storedObject(exchange, "decrypt");
    try {
      return read(s3, body, opened);
    } catch (IOException | CryptoException | RuntimeException e) {
      body.abort();
      throw e;
    }
  }

  private AuthenticatedPlaintext read(
      S3Request s3, ResponseInputStream<GetObjectResponse> body, OpenedObject opened)
      throws IOException, CryptoException {
    GetObjectResponse r = body.response();
    long windowStart = 0;
    long bodySize = r.contentLength();
    Matcher m = r.contentRange() == null ? null : CONTENT_RANGE.matcher(r.contentRange());
    if (m != null && m.matches()) {
      windowStart = Long.parseLong(m.group(1));
      bodySize = Long.parseLong(m.group(3));
    }
    boolean wholeBody = windowStart == 0 && r.contentLength() == bodySize;
    long size = opened.plaintextSize(bodySize);
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), size);
    if (range.isEmpty()) {
      ResponseInputStream<GetObjectResponse> source = body;
      if (!wholeBody) {
        body.abort();
        source = fetch(s3, null);
      }
      return verified(opened.decrypt(source), size, null, size, source);
    }
    body.abort();
    ByteRange wanted = range.get();
    CompressedRange read = opened.compressedRange(wanted.first(), wanted.last(), bodySize);
    ResponseInputStream<GetObjectResponse> index = fetch(s3, read.indexFetch().httpRange());
    try {
      read.readIndex(index);
    } catch (IOException | RuntimeException e) {
      index.abort();
      throw e;
    }
    ObjectOperations.release(index);
    ResponseInputStream<GetObjectResponse> frames = fetch(s3, read.framesFetch().httpRange());
    try {
      return verified(read.decrypt(frames), wanted.length(), wanted, size, frames);
    } catch (IOException | RuntimeException e) {
      frames.abort();
      throw e;
    }
  }

  private ResponseInputStream<GetObjectResponse> fetch(S3Request s3, String range) {
    return backend
        .s3()
        .getObject(
            GetObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).range(range).build());
  }

  /** Reads (so authenticates and decodes) the first frame before anything goes to the client. */
  private static AuthenticatedPlaintext verified(
      InputStream plaintext,
      long length,
      ByteRange range,
      long objectSize,
      ResponseInputStream<?> source)
      throws IOException {
    int first = (int) Math.min(length, VERIFIED_PREFIX);
    byte[] head = plaintext.readNBytes(first);
    if (head.length < first) {
      throw new IOException("the object ended before its declared size");
    }
    return new AuthenticatedPlaintext(
        new SequenceInputStream(new ByteArrayInputStream(head), plaintext),
        length,
        range,
        objectSize,
        null,
        () -> ObjectOperations.release(source));
  }
}
