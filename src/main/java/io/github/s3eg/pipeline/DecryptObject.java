package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.BoundedInputStream;
import io.github.s3eg.crypto.CiphertextRange;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.CryptoIOException;
import io.github.s3eg.crypto.ForeignEncryption;
import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.MultipartDecryption;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartChecksums;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.checksum.ObjectChecksum;
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

  /** Exchange property: the {@link OpenedObject}, absent for a plaintext object. */
  static final String OPENED = "s3Opened";

  /** Exchange property: the {@link PlaintextBody} the response is built from. */
  static final String PLAINTEXT = "s3Plaintext";

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  /** The plaintext the client gets: stream, its length, and the range when partial. */
  record PlaintextBody(
      InputStream stream, long length, ByteRange range, long objectSize, Runnable abort) {}

  /** Exchange property: the ETag to show when it is not in the object's metadata (multipart). */
  static final String ETAG = "s3Etag";

  /** Exchange property: a multipart object's checksum, when the client asked for it. */
  static final String CHECKSUM = "s3Checksum";

  /** Exchange property: the opened S3 Encryption Client object ({@code ENCRYPTION_READ_S3EC}). */
  static final String S3EC = "s3S3ec";

  private final ObjectDecryptor decryptor;
  private final BackendClients backend;
  private final boolean allowPlaintextReads;
  private MultipartIndexes multipartIndexes;
  private MultipartChecksums multipartChecksums;
  private S3ecReads s3ec;

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

  /** Enables reading S3 Encryption Client objects ({@code ENCRYPTION_READ_S3EC=true}). */
  public void readS3ec(S3ecReads reads) {
    this.s3ec = reads;
  }

  /**
   * The S3 Encryption Client object behind {@code metadata}, opened; empty when reading them is off
   * or the object is not one. Operations that serve S3EC objects ask this before {@link #open}.
   */
  Optional<io.github.s3eg.crypto.s3ec.S3ecObject> openS3ec(
      String bucket, String key, Map<String, String> metadata) throws CryptoException {
    if (s3ec == null || metadata.keySet().stream().anyMatch(ObjectMetadata::isCryptoEntry)) {
      return Optional.empty();
    }
    return s3ec.open(bucket, key, metadata);
  }

  S3ecReads s3ecReads() {
    return s3ec;
  }

  /** Enables showing multipart objects' checksums (their records are found through it). */
  public void readChecksums(MultipartChecksums checksums) {
    this.multipartChecksums = checksums;
  }

  /** A multipart object's checksum, when its upload chose an algorithm; one backend read. */
  Optional<ObjectChecksum> multipartChecksum(OpenedObject opened, S3Request s3) {
    if (multipartChecksums == null) {
      return Optional.empty();
    }
    return multipartChecksums.record(opened, s3.bucket(), s3.key()).map(ObjectChecksum::of);
  }

  /** A multipart object's checksum record (object and part checksums), if any. */
  Optional<MultipartChecksumRecord> multipartChecksumRecord(OpenedObject opened, S3Request s3) {
    return multipartChecksums == null
        ? Optional.empty()
        : multipartChecksums.record(opened, s3.bucket(), s3.key());
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

  /** Opens the object's metadata; empty for an (allowed) plaintext object. */
  Optional<OpenedObject> open(String bucket, String key, Map<String, String> metadata)
      throws CryptoException {
    boolean hasCryptoEntries = metadata.keySet().stream().anyMatch(ObjectMetadata::isCryptoEntry);
    if (!hasCryptoEntries) {
      if (s3ec != null
          && io.github.s3eg.crypto.s3ec.S3ecMetadata.shapeOf(metadata)
              != io.github.s3eg.crypto.s3ec.S3ecMetadata.Shape.NONE) {
        // Reached only by operations that do not serve S3EC objects (they ask openS3ec first).
        throw new S3Exception(
                S3ErrorCode.NOT_IMPLEMENTED,
                "This operation does not read S3 Encryption Client objects; convert them with"
                    + " 'rewrap --convert' first.")
            .with("Key", key);
      }
      Optional<String> foreign = ForeignEncryption.recognize(metadata);
      if (foreign.isPresent()) {
        // Never served as plaintext, whatever ENCRYPTION_ALLOW_PLAINTEXT_READS says.
        throw new S3Exception(
                S3ErrorCode.ACCESS_DENIED,
                "The object was encrypted by another gateway ("
                    + foreign.get()
                    + "), which this gateway cannot decrypt. Read it through that gateway and"
                    + " write it through this one; see docs/migration.md.")
            .with("Key", key);
      }
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
      Optional<io.github.s3eg.crypto.s3ec.S3ecObject> s3ecObject =
          openS3ec(s3.bucket(), s3.key(), body.response().metadata());
      if (s3ecObject.isPresent()) {
        exchange.setProperty(S3EC, s3ecObject.get());
        return;
      }
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
    if (opened != null && opened.compression().isPresent()) {
      return; // the decompress step reads compressed objects (format version 2)
    }
    io.github.s3eg.crypto.s3ec.S3ecObject s3ecObject =
        exchange.getProperty(S3EC, io.github.s3eg.crypto.s3ec.S3ecObject.class);
    ReadPlan plan = exchange.getProperty(ReadPlan.PROPERTY, ReadPlan.class);
    try {
      PlaintextBody plaintext =
          s3ecObject != null
              ? s3ec.read(s3, body, s3ecObject)
              : opened == null
                  ? plaintextObject(s3, body, plan)
                  : opened.isMultipart()
                      ? multipartObject(exchange, s3, body, opened)
                      : encryptedObject(s3, body, opened);
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
        source = fetch(s3, readVersion(s3, body), null);
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
      source = fetch(s3, readVersion(s3, body), needed.httpRange());
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
  private PlaintextBody multipartObject(
      Exchange exchange,
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
        multipartIndexes().load(opened, s3.bucket(), s3.key(), ciphertextTotal);
    exchange.setProperty(ETAG, "\"" + loaded.etag() + "\"");
    if (ObjectChecksum.requested(s3) && s3.header("Range") == null) {
      multipartChecksum(opened, s3).ifPresent(c -> exchange.setProperty(CHECKSUM, c));
    }
    long plaintextSize = loaded.index().plaintextSize();
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), plaintextSize);
    if (plaintextSize == 0) {
      ObjectOperations.release(body);
      return new PlaintextBody(InputStream.nullInputStream(), 0, null, 0, () -> {});
    }
    long first = range.map(ByteRange::first).orElse(0L);
    long last = range.map(ByteRange::last).orElse(plaintextSize - 1);
    MultipartDecryption plan = opened.planRead(loaded.index(), first, last);
    ResponseInputStream<GetObjectResponse> source = body;
    long skip = plan.ciphertextFirst() - windowStart;
    if (skip < 0 || plan.ciphertextLast() > windowEnd) {
      body.abort();
      source = fetch(s3, readVersion(s3, body), plan.httpRange());
      skip = 0;
    }
    byte[] start =
        plan.startsAtPartStart()
            ? null
            : multipartIndexes()
                .readRange(
                    s3.bucket(),
                    s3.key(),
                    readVersion(s3, body),
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
      source = fetch(s3, readVersion(s3, body), s3.header("Range"));
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

  /**
   * The version every further read of one GET is of: the one the client named, else the one the
   * first backend answer was (so a concurrent write to the key cannot mix its bytes in).
   */
  static String readVersion(S3Request s3, ResponseInputStream<GetObjectResponse> first) {
    String named = RequestedVersion.of(s3);
    return named != null ? named : RequestedVersion.pin(first.response().versionId());
  }

  ResponseInputStream<GetObjectResponse> fetch(S3Request s3, String versionId, String range) {
    return backend
        .s3()
        .getObject(
            GetObjectRequest.builder()
                .bucket(s3.bucket())
                .key(s3.key())
                .versionId(versionId)
                .range(range)
                .build());
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
}
