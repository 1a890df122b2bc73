package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CiphertextRange;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.CryptoIOException;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The read side of encryption, as two route steps:
 *
 * <ul>
 *   <li>{@code resolveKey}: validates the object's {@code s3eg-} metadata and unwraps its data key
 *       for this bucket and key (a moved or altered object fails here). An object without any
 *       encryption metadata is refused unless {@code ENCRYPTION_ALLOW_PLAINTEXT_READS=true};
 *       partial or malformed metadata is never taken for plaintext.
 *   <li>{@code decrypt}: turns the backend's ciphertext (the whole body or the planned segments)
 *       into exactly the plaintext bytes the client asked for. The first segment is verified before
 *       anything is sent, so most tampering becomes a clean 500; a failure later in the stream
 *       resets the connection.
 * </ul>
 */
public final class DecryptObject {

  /** Exchange property: the {@link OpenedObject}, absent for a plaintext object. */
  static final String OPENED = "s3Opened";

  /** Exchange property: the {@link PlaintextBody} the response is built from. */
  static final String PLAINTEXT = "s3Plaintext";

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  /** The plaintext the client gets: stream, its length, and the range when partial. */
  record PlaintextBody(
      InputStream stream, long length, ByteRange range, long objectSize, Runnable abort) {}

  private final ObjectDecryptor decryptor;
  private final BackendClients backend;
  private final boolean allowPlaintextReads;

  public DecryptObject(
      ObjectDecryptor decryptor, BackendClients backend, boolean allowPlaintextReads) {
    this.decryptor = decryptor;
    this.backend = backend;
    this.allowPlaintextReads = allowPlaintextReads;
  }

  boolean allowPlaintextReads() {
    return allowPlaintextReads;
  }

  /** Opens the object's metadata; empty for an (allowed) plaintext object. */
  Optional<OpenedObject> open(String bucket, String key, Map<String, String> metadata)
      throws CryptoException {
    boolean hasCryptoEntries = metadata.keySet().stream().anyMatch(ObjectMetadata::isCryptoEntry);
    if (!hasCryptoEntries) {
      if (allowPlaintextReads) {
        return Optional.empty();
      }
      throw new S3Exception(
              S3ErrorCode.ACCESS_DENIED,
              "The object was not written through the gateway (it has no encryption metadata); "
                  + "set ENCRYPTION_ALLOW_PLAINTEXT_READS=true to serve such objects as they are.")
          .with("Key", key);
    }
    return Optional.of(decryptor.open(bucket, key, metadata));
  }

  @SuppressWarnings("unchecked")
  public void resolveKey(Exchange exchange) throws CryptoException {
    S3Request s3 = ObjectOperations.request(exchange);
    ResponseInputStream<GetObjectResponse> body =
        exchange.getIn().getBody(ResponseInputStream.class);
    try {
      open(s3.bucket(), s3.key(), body.response().metadata())
          .ifPresent(o -> exchange.setProperty(OPENED, o));
    } catch (CryptoException | RuntimeException e) {
      body.abort();
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  public void decrypt(Exchange exchange) throws IOException, CryptoException {
    S3Request s3 = ObjectOperations.request(exchange);
    ResponseInputStream<GetObjectResponse> body =
        exchange.getIn().getBody(ResponseInputStream.class);
    OpenedObject opened = exchange.getProperty(OPENED, OpenedObject.class);
    ReadPlan plan = exchange.getProperty(ReadPlan.PROPERTY, ReadPlan.class);
    try {
      PlaintextBody plaintext =
          opened == null ? plaintextObject(s3, body, plan) : encryptedObject(s3, body, opened);
      exchange.setProperty(PLAINTEXT, plaintext);
    } catch (CryptoIOException e) {
      body.abort();
      throw e;
    } catch (IOException e) {
      if (e.getCause() instanceof java.security.GeneralSecurityException) {
        body.abort();
        throw e;
      }
      // Not the object's fault: the backend connection broke (reset, timeout, short body) before
      // the first byte went to the client, so the client can still get a clean, retryable error.
      body.abort();
      throw new S3Exception(
          S3ErrorCode.SERVICE_UNAVAILABLE,
          "The storage backend failed while the object was read; please retry.",
          e);
    } catch (CryptoException | RuntimeException e) {
      body.abort();
      throw e;
    }
  }

  private PlaintextBody encryptedObject(
      S3Request s3, ResponseInputStream<GetObjectResponse> body, OpenedObject opened)
      throws IOException, CryptoException {
    GetObjectResponse r = body.response();
    long windowStart = 0;
    long ciphertextTotal = r.contentLength();
    Matcher m = r.contentRange() == null ? null : CONTENT_RANGE.matcher(r.contentRange());
    if (m != null && m.matches()) {
      windowStart = Long.parseLong(m.group(1));
      ciphertextTotal = Long.parseLong(m.group(3));
    }
    long windowEnd = windowStart + r.contentLength() - 1;
    long plaintextSize = opened.plaintextSize(ciphertextTotal);
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), plaintextSize);
    ResponseInputStream<GetObjectResponse> source = body;
    if (range.isEmpty()) {
      if (windowStart != 0 || windowEnd != ciphertextTotal - 1) {
        body.abort();
        source = fetch(s3, null);
      }
      return verifiedFirstSegment(
          opened.decrypt(source), plaintextSize, null, plaintextSize, source, opened);
    }
    ByteRange wanted = range.get();
    CiphertextRange needed = opened.rangeFor(wanted.first(), wanted.last(), plaintextSize);
    long skip = needed.ciphertextFirst() - windowStart;
    if (skip < 0 || needed.ciphertextLast() > windowEnd) {
      // The object was written with another layout than the one the request was planned for.
      body.abort();
      source = fetch(s3, needed.httpRange());
      skip = 0;
    }
    source.skipNBytes(skip);
    InputStream segments = new BoundedStream(source, needed.ciphertextLength());
    return verifiedFirstSegment(
        opened.decryptRange(segments, needed),
        wanted.length(),
        wanted,
        plaintextSize,
        source,
        opened);
  }

  /**
   * Plaintext objects (allowed by configuration) pass through; a planned range is fetched again.
   */
  private PlaintextBody plaintextObject(
      S3Request s3, ResponseInputStream<GetObjectResponse> body, ReadPlan plan) {
    ResponseInputStream<GetObjectResponse> source = body;
    if (plan != null && plan.kind() != ReadPlan.Kind.PLAINTEXT && plan.backendRange() != null) {
      body.abort();
      source = fetch(s3, s3.header("Range"));
    }
    GetObjectResponse r = source.response();
    ByteRange range = null;
    long total = r.contentLength();
    Matcher m = r.contentRange() == null ? null : CONTENT_RANGE.matcher(r.contentRange());
    if (m != null && m.matches()) {
      total = Long.parseLong(m.group(3));
      range = new ByteRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), total);
    }
    ResponseInputStream<GetObjectResponse> finalSource = source;
    return new PlaintextBody(
        source, r.contentLength(), range, total, () -> ObjectOperations.release(finalSource));
  }

  private ResponseInputStream<GetObjectResponse> fetch(S3Request s3, String range) {
    return backend
        .s3()
        .getObject(
            GetObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).range(range).build());
  }

  /**
   * Reads (and so authenticates) the first segment's plaintext before any byte goes to the client,
   * so that a tampered object is answered with an error instead of a broken transfer.
   */
  private static PlaintextBody verifiedFirstSegment(
      InputStream plaintext,
      long length,
      ByteRange range,
      long objectSize,
      ResponseInputStream<?> source,
      OpenedObject opened)
      throws IOException {
    int first = (int) Math.min(length, opened.layout().plaintextSegmentSize());
    byte[] head = plaintext.readNBytes(first);
    if (head.length < first) {
      throw new IOException("the object ended before its declared size");
    }
    InputStream stream = new SequenceInputStream(new ByteArrayInputStream(head), plaintext);
    return new PlaintextBody(
        stream, length, range, objectSize, () -> ObjectOperations.release(source));
  }

  /**
   * Exactly {@code limit} bytes of a stream, never more (the backend may send more than needed).
   */
  static final class BoundedStream extends FilterInputStream {
    private long left;

    BoundedStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() {
      // The source is released by the response step (closed when read fully, else aborted).
    }
  }
}
