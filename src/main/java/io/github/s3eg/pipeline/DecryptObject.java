package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.BoundedInputStream;
import io.github.s3eg.crypto.CiphertextRange;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.CryptoIOException;
import io.github.s3eg.crypto.MultipartDecryption;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.io.ByteArrayInputStream;
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

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final ObjectDecryptor decryptor;
  private final BackendClients backend;
  private final boolean allowPlaintextReads;
  private MultipartIndexes multipartIndexes;

  public DecryptObject(
      ObjectDecryptor decryptor, BackendClients backend, boolean allowPlaintextReads) {
    this.decryptor = decryptor;
    this.backend = backend;
    this.allowPlaintextReads = allowPlaintextReads;
  }

  /** Enables reading multipart objects (their indexes are found through {@code indexes}). */
  public void readMultipart(MultipartIndexes indexes) {
    this.multipartIndexes = indexes;
  }

  MultipartIndexes multipartIndexes() {
    if (multipartIndexes == null) {
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "multipart objects cannot be read here");
    }
    return multipartIndexes;
  }

  boolean allowPlaintextReads() {
    return allowPlaintextReads;
  }

  /**
   * Verifies a stored object's metadata and unwraps its data key for {@code bucket}/{@code key}.
   */
  ObjectKey resolve(String bucket, String key, Map<String, String> metadata)
      throws CryptoException {
    return ObjectKey.resolve(decryptor, allowPlaintextReads, bucket, key, metadata);
  }

  /** The stored object the backend step answered with (the message body). */
  @SuppressWarnings("unchecked")
  static ResponseInputStream<GetObjectResponse> storedObject(Exchange exchange, String step) {
    Object body = exchange.getIn().getBody();
    if (body instanceof ResponseInputStream<?> in && in.response() instanceof GetObjectResponse) {
      return (ResponseInputStream<GetObjectResponse>) in;
    }
    throw new MissingStepException(Fact.STORED_OBJECT, "step '" + step + "'");
  }

  Step resolveKeyStep() {
    return Step.named("resolveKey")
        .requires(Fact.AUTHENTICATED)
        .provides(Fact.DATA_KEY)
        .does(
            (state, exchange) -> {
              S3Request s3 = state.request();
              ResponseInputStream<GetObjectResponse> body = storedObject(exchange, "resolveKey");
              try {
                state.provideKey(resolve(s3.bucket(), s3.key(), body.response().metadata()));
              } catch (CryptoException | RuntimeException e) {
                body.abort();
                throw e;
              }
            });
  }

  Step decryptStep(DecompressObject decompression) {
    return Step.named("decrypt")
        .requires(Fact.DATA_KEY)
        .provides(Fact.PLAINTEXT)
        .does(
            (state, exchange) -> {
              OpenedObject opened = state.key().openedOrNull();
              if (opened != null && opened.compression().isPresent()) {
                state.providePlaintext(decompression.decompress(state, exchange));
              } else {
                state.providePlaintext(decrypt(state, exchange));
              }
            });
  }

  AuthenticatedPlaintext decrypt(RequestState state, Exchange exchange)
      throws IOException, CryptoException {
    S3Request s3 = state.request();
    ResponseInputStream<GetObjectResponse> body = storedObject(exchange, "decrypt");
    OpenedObject opened = state.key().openedOrNull();
    ReadPlan plan = state.readPlan();
    try {
      return opened == null
          ? plaintextObject(s3, body, plan)
          : opened.isMultipart()
              ? multipartObject(s3, body, opened)
              : encryptedObject(s3, body, opened);
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

  private AuthenticatedPlaintext encryptedObject(
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
    InputStream segments = new BoundedInputStream(source, needed.ciphertextLength());
    return verifiedFirstSegment(
        opened.decryptRange(segments, needed),
        wanted.length(),
        wanted,
        plaintextSize,
        source,
        opened);
  }

  /**
   * A multipart object: its index maps the client's range to one backend range. A whole-object read
   * uses the planned GET as it is; a ranged read fetches exactly the covering segments (and the
   * first part's 52-byte start when the range begins inside a part).
   */
  private AuthenticatedPlaintext multipartObject(
      S3Request s3,
      ResponseInputStream<GetObjectResponse> body,
      OpenedObject opened)
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
    MultipartIndexes.Loaded loaded =
        multipartIndexes().load(opened, s3.bucket(), s3.key(), ciphertextTotal, r.eTag());
    String etag = "\"" + loaded.etag() + "\"";
    long plaintextSize = loaded.index().plaintextSize();
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), plaintextSize);
    if (plaintextSize == 0) {
      ObjectOperations.release(body);
      return new AuthenticatedPlaintext(InputStream.nullInputStream(), 0, null, 0, etag, () -> {});
    }
    long first = range.map(ByteRange::first).orElse(0L);
    long last = range.map(ByteRange::last).orElse(plaintextSize - 1);
    MultipartDecryption plan = opened.planRead(loaded.index(), first, last);
    ResponseInputStream<GetObjectResponse> source = body;
    long skip = plan.ciphertextFirst() - windowStart;
    if (skip < 0 || plan.ciphertextLast() > windowEnd) {
      body.abort();
      source = fetch(s3, plan.httpRange());
      skip = 0;
    }
    byte[] start =
        plan.startsAtPartStart()
            ? null
            : multipartIndexes()
                .readRange(
                    s3.bucket(),
                    s3.key(),
                    plan.firstPartStartRange(),
                    MultipartDecryption.PART_START_LENGTH);
    source.skipNBytes(skip);
    InputStream segments = new BoundedInputStream(source, plan.ciphertextLength());
    return verifiedFirstSegment(
            plan.decrypt(segments, start),
            plan.plaintextLength(),
            range.orElse(null),
            plaintextSize,
            source,
            opened)
        .withEtag(etag);
  }

  /**
   * Plaintext objects (allowed by configuration) pass through; a planned range is fetched again.
   */
  private AuthenticatedPlaintext plaintextObject(
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
    return new AuthenticatedPlaintext(
        source,
        r.contentLength(),
        range,
        total,
        null,
        () -> ObjectOperations.release(finalSource));
  }

  ResponseInputStream<GetObjectResponse> fetch(S3Request s3, String range) {
    return backend
        .s3()
        .getObject(
            GetObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).range(range).build());
  }

  /**
   * Reads (and so authenticates) the first segment's plaintext before any byte goes to the client,
   * so that a tampered object is answered with an error instead of a broken transfer.
   */
  private static AuthenticatedPlaintext verifiedFirstSegment(
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
    return new AuthenticatedPlaintext(
        stream, length, range, objectSize, null, () -> ObjectOperations.release(source));
  }
}
