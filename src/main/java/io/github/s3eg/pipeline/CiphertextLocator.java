package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.crypto.CiphertextRange;
import io.github.s3eg.crypto.CompressedRange;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.MultipartDecryption;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Finds the ciphertext that a read needs, one backend request at a time, without making any: it
 * asks for each read ({@link #next}) and is given the answer ({@link #accept}), so that every
 * backend request is a step of the route ({@code locateCiphertext} and {@code backend:getObject} in
 * a loop). Plain Java, tested without Camel.
 *
 * <p>Starting from the object's first answer (the GetObject's planned read, or a HeadObject), it
 * asks for what the object's format needs beyond it:
 *
 * <ul>
 *   <li>a single-PUT object written with another segment size than planned: the covering segments
 *       again (or the whole object);
 *   <li>a multipart object: its part index (unless this instance has it cached and it verifies; an
 *       object without a verifying index is refused, since only the index proves how many parts it
 *       has), its checksum record when the client asked for its checksum; then the first part's
 *       52-byte start when a range begins inside a part, and the covering segments when the planned
 *       read missed them;
 *   <li>a compressed object read by range: the index entries of the covering frames, then those
 *       frames;
 *   <li>a plaintext object (allowed by configuration) read by range: the client's range as it is.
 * </ul>
 */
final class CiphertextLocator {

  private static final Logger LOG = LoggerFactory.getLogger(CiphertextLocator.class);

  /** The largest part index or record the gateway reads (it writes far smaller ones). */
  static final int MAX_RECORD_BYTES = 1 << 20;

  /** What {@code decrypt} reads once everything is located. */
  sealed interface Located {

    /** A plaintext object's bytes as stored. */
    record Plain(
        ResponseInputStream<GetObjectResponse> source, ByteRange range, long length, long total)
        implements Located {}

    /** A single-PUT object: {@code needed} null for the whole object. */
    record Single(
        ResponseInputStream<GetObjectResponse> source,
        long skip,
        CiphertextRange needed,
        ByteRange wanted,
        long plaintextSize)
        implements Located {}

    /** A multipart object; {@code source} null for an empty one. */
    record Multipart(
        ResponseInputStream<GetObjectResponse> source,
        long skip,
        MultipartDecryption plan,
        byte[] partStart,
        ByteRange range,
        long plaintextSize,
        String etag)
        implements Located {}

    /** A compressed object read whole. */
    record CompressedWhole(ResponseInputStream<GetObjectResponse> source, long plaintextSize)
        implements Located {}

    /** A compressed object read by range: its covering frames. */
    record CompressedRanged(
        ResponseInputStream<GetObjectResponse> frames,
        CompressedRange read,
        ByteRange wanted,
        long plaintextSize)
        implements Located {}

    /** An S3 Encryption Client object read whole (its one GCM message is verified whole). */
    record S3ec(
        ResponseInputStream<GetObjectResponse> source,
        io.github.s3eg.crypto.s3ec.S3ecObject object,
        long storedSize,
        String etag)
        implements Located {}

    /** A HEAD: size and ETag only (and a multipart object's part index, else null). */
    record Described(long plaintextSize, String etag, MultipartIndex index) implements Located {
      Described(long plaintextSize, String etag) {
        this(plaintextSize, etag, null);
      }
    }
  }

  /** What to do with the answer to the pending read. */
  @FunctionalInterface
  private interface Continuation {
    void accept(ResponseInputStream<GetObjectResponse> answer) throws IOException, CryptoException;
  }

  private final ObjectKey key;
  private final StoredObject stored;
  private final String rangeHeader;
  private final boolean plannedRange;
  private final MultipartState indexCache;
  private final StreamReleaser releaser;
  private final boolean checksumWanted;
  private final String versionId;
  private final OlderIndexes olderIndexes;

  private GetObjectRequest pending;
  private Continuation then;
  private Located located;
  private MultipartChecksumRecord checksumRecord;

  /**
   * Finds a multipart object's index among the older versions of its record name, in a bucket that
   * keeps versions (a delete marker may hide the record a version still needs); empty elsewhere.
   * Its requests are not steps (docs/customizing.md, "Not yet here").
   */
  @FunctionalInterface
  interface OlderIndexes {
    Optional<byte[]> read(String bucket, String name, OpenedObject opened);
  }

  /** Releases a backend stream that is no longer needed (aborts it when not read to its end). */
  @FunctionalInterface
  interface StreamReleaser {
    void release(ResponseInputStream<?> stream);
  }

  /**
   * @param stored the object's first answer: a GET (possibly of a planned window) or a HEAD
   * @param rangeHeader the client's Range header, or null
   * @param plannedRange whether the first GET asked for a planned range rather than the whole
   *     object
   * @param indexCache this instance's copies of part indexes (no backend requests)
   * @param checksumWanted whether a multipart object's checksum record is read too (the client
   *     asked for its checksum); a single-PUT object's is in its metadata
   */
  CiphertextLocator(
      ObjectKey key,
      StoredObject stored,
      String rangeHeader,
      boolean plannedRange,
      MultipartState indexCache,
      StreamReleaser releaser,
      boolean checksumWanted)
      throws IOException, CryptoException {
    this(key, stored, rangeHeader, plannedRange, indexCache, releaser, checksumWanted, null);
  }

  /**
   * @param olderIndexes where a missing index of a version is looked for, or null
   */
  CiphertextLocator(
      ObjectKey key,
      StoredObject stored,
      String rangeHeader,
      boolean plannedRange,
      MultipartState indexCache,
      StreamReleaser releaser,
      boolean checksumWanted,
      OlderIndexes olderIndexes)
      throws IOException, CryptoException {
    this.olderIndexes = olderIndexes;
    // Every further read is of the version the first answer was, whatever is written meanwhile.
    this.versionId = io.github.s3eg.s3.RequestedVersion.pin(stored.versionId());
    this.key = key;
    this.stored = stored;
    this.rangeHeader = rangeHeader;
    this.plannedRange = plannedRange;
    this.indexCache = indexCache;
    this.releaser = releaser;
    this.checksumWanted = checksumWanted;
    begin();
  }

  /** The next read the object needs, or null once everything is located. */
  GetObjectRequest next() {
    return pending;
  }

  /** The answer to {@link #next()}: null when the object read does not exist. */
  void accept(ResponseInputStream<GetObjectResponse> answer) throws IOException, CryptoException {
    if (pending == null) {
      throw new IllegalStateException("no read is pending");
    }
    Continuation continuation = then;
    pending = null;
    then = null;
    continuation.accept(answer);
  }

  /** What was located; null while a read is pending. */
  Located located() {
    return located;
  }

  /**
   * A multipart object's checksum record, when it was wanted and the object has one that verifies
   * (its upload chose a checksum algorithm); else empty.
   */
  Optional<MultipartChecksumRecord> checksumRecord() {
    return Optional.ofNullable(checksumRecord);
  }

  private void begin() throws IOException, CryptoException {
    if (key.s3ecOrNull() != null) {
      s3ec(key.s3ecOrNull());
      return;
    }
    OpenedObject o = key.openedOrNull();
    if (o == null) {
      plaintext();
    } else if (o.isMultipart()) {
      loadIndex(o);
    } else if (stored.body() == null) {
      located =
          new Located.Described(
              o.plaintextSize(stored.storedSize()), ObjectOperations.etag(o, stored.eTag()));
    } else if (o.compression().isPresent()) {
      compressed(o);
    } else {
      single(o);
    }
  }

  // ---- S3 Encryption Client objects (ENCRYPTION_READ_S3EC=true)

  /**
   * Its one GCM message is verified whole before any byte goes out: unless the first GET returned
   * the whole object, it is read again, on condition that it is still the same object.
   */
  private void s3ec(io.github.s3eg.crypto.s3ec.S3ecObject object) throws CryptoException {
    String etag = S3ecReads.etag(stored.eTag());
    if (stored.body() == null) {
      located = new Located.Described(object.plaintextSize(stored.storedSize()), etag);
    } else if (stored.whole()) {
      located = new Located.S3ec(stored.body(), object, stored.storedSize(), etag);
    } else {
      releaser.release(stored.body());
      pending =
          GetObjectRequest.builder()
              .bucket(stored.bucket())
              .key(stored.key())
              .versionId(versionId)
              .ifMatch(stored.eTag())
              .build();
      then = in -> located = new Located.S3ec(present(in), object, stored.storedSize(), etag);
    }
  }

  // ---- plaintext objects (ENCRYPTION_ALLOW_PLAINTEXT_READS=true)

  private void plaintext() {
    if (stored.body() == null) {
      located = new Located.Described(stored.storedSize(), stored.eTag());
    } else if (plannedRange) {
      // The planned read was in ciphertext segments; the client's range is what it wants.
      releaser.release(stored.body());
      read(rangeHeader, in -> located = plain(present(in)));
    } else {
      located = plain(stored.body());
    }
  }

  private static Located plain(ResponseInputStream<GetObjectResponse> in) {
    StoredObject s = StoredObject.of(null, null, in);
    ByteRange range =
        in.response().contentRange() == null
            ? null
            : new ByteRange(s.windowStart(), s.windowEnd(), s.storedSize());
    return new Located.Plain(in, range, s.windowLength(), s.storedSize());
  }

  // ---- single-PUT objects

  private void single(OpenedObject o) throws CryptoException {
    long size = o.plaintextSize(stored.storedSize());
    Optional<ByteRange> range = ByteRange.resolve(rangeHeader, size);
    if (range.isEmpty()) {
      if (stored.whole()) {
        located = new Located.Single(stored.body(), 0, null, null, size);
      } else {
        releaser.release(stored.body());
        read(null, in -> located = new Located.Single(present(in), 0, null, null, size));
      }
      return;
    }
    ByteRange wanted = range.get();
    CiphertextRange needed = o.rangeFor(wanted.first(), wanted.last(), size);
    long skip = needed.ciphertextFirst() - stored.windowStart();
    if (skip < 0 || needed.ciphertextLast() > stored.windowEnd()) {
      // The object was written with another layout than the one the read was planned for.
      releaser.release(stored.body());
      read(
          needed.httpRange(),
          in -> located = new Located.Single(present(in), 0, needed, wanted, size));
      return;
    }
    located = new Located.Single(stored.body(), skip, needed, wanted, size);
  }

  // ---- compressed objects (format version 2)

  private void compressed(OpenedObject o) throws IOException, CryptoException {
    long size = o.plaintextSize(stored.storedSize());
    Optional<ByteRange> range = ByteRange.resolve(rangeHeader, size);
    if (range.isEmpty()) {
      if (stored.whole()) {
        located = new Located.CompressedWhole(stored.body(), size);
      } else {
        releaser.release(stored.body());
        read(null, in -> located = new Located.CompressedWhole(present(in), size));
      }
      return;
    }
    // The planned read assumed an uncompressed layout: of no use here.
    releaser.release(stored.body());
    ByteRange wanted = range.get();
    CompressedRange read = o.compressedRange(wanted.first(), wanted.last(), stored.storedSize());
    read(
        read.indexFetch().httpRange(),
        index -> {
          read.readIndex(present(index));
          releaser.release(index);
          read(
              read.framesFetch().httpRange(),
              frames ->
                  located = new Located.CompressedRanged(present(frames), read, wanted, size));
        });
  }

  // ---- multipart objects (format versions 3 and 4)

  private void loadIndex(OpenedObject o) throws IOException, CryptoException {
    Optional<byte[]> cached = indexCache.cachedIndex(stored.bucket(), stored.key());
    if (cached.isPresent()) {
      try {
        indexVerified(o, verified(o, cached.get()));
        return;
      } catch (CryptoException staleOrAltered) {
        // Read it again: the cached index may be an earlier object's.
      }
    }
    String indexKey = MultipartIndexes.nameOf(o, stored.key());
    pending = GetObjectRequest.builder().bucket(stored.bucket()).key(indexKey).build();
    then =
        in -> {
          Optional<byte[]> older =
              in == null && olderIndexes != null
                  ? olderIndexes.read(stored.bucket(), indexKey, o)
                  : Optional.empty();
          if (in == null && older.isEmpty()) {
            // Written before the backend's Complete (format version 4), so a completed object
            // never lacks it: a missing index was deleted, and the part list cannot be proved.
            indexCache.forgetIndex(stored.bucket(), stored.key());
            throw new CryptoException.MetadataAuthenticationFailed(
                "the multipart object's index is missing: its part list cannot be proved complete");
          }
          byte[] bytes = in == null ? older.get() : readRecord(in);
          MultipartIndex index;
          try {
            index = verified(o, bytes);
          } catch (CryptoException newerVersion) {
            // A format version 3 key's one name holds every version's index: in a bucket that
            // keeps versions, this version's may be an older version of the name.
            Optional<byte[]> own =
                in != null && olderIndexes != null
                    ? olderIndexes.read(stored.bucket(), indexKey, o)
                    : Optional.empty();
            if (own.isEmpty()) {
              throw newerVersion;
            }
            bytes = own.get();
            index = verified(o, bytes);
          }
          indexCache.rememberIndex(stored.bucket(), stored.key(), bytes);
          indexVerified(o, index);
        };
  }

  /** The index verified: the checksum record next, when wanted, then the object's ciphertext. */
  private void indexVerified(OpenedObject o, MultipartIndex index)
      throws IOException, CryptoException {
    if (!checksumWanted) {
      indexLoaded(o, index);
      return;
    }
    pending =
        GetObjectRequest.builder()
            .bucket(stored.bucket())
            .key(ReservedKeys.checksums(stored.key()))
            .build();
    then =
        in -> {
          if (in != null) {
            checksumRecord = openChecksumRecord(o, readRecord(in));
          }
          if (checksumRecord == null && olderIndexes != null) {
            // In a bucket that keeps versions the name's current record may be another version's.
            olderIndexes
                .read(stored.bucket(), ReservedKeys.checksums(stored.key()), o)
                .ifPresent(bytes -> checksumRecord = openChecksumRecord(o, bytes));
          }
          indexLoaded(o, index);
        };
  }

  /** A record of an earlier object under this name does not verify, and is ignored. */
  private MultipartChecksumRecord openChecksumRecord(OpenedObject o, byte[] encoded) {
    try {
      return MultipartChecksumRecord.open(
          encoded, o.multipartChecksumKey(), o.header(), stored.bucket(), stored.key());
    } catch (CryptoException e) {
      LOG.warn(
          "ignoring the checksum record of {}/{}: {}",
          stored.bucket(),
          stored.key(),
          e.getMessage());
      return null;
    }
  }

  private MultipartIndex verified(OpenedObject o, byte[] encoded) throws CryptoException {
    MultipartIndex index = o.openIndex(encoded, stored.bucket(), stored.key());
    if (index.ciphertextSize() != stored.storedSize()) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the object's size does not match its multipart index");
    }
    return index;
  }

  private void indexLoaded(OpenedObject o, MultipartIndex index)
      throws IOException, CryptoException {
    String quoted = "\"" + index.etag() + "\"";
    long size = index.plaintextSize();
    if (stored.body() == null) {
      located = new Located.Described(size, quoted, index);
      return;
    }
    if (size == 0) {
      releaser.release(stored.body());
      located = new Located.Multipart(null, 0, null, null, null, 0, quoted);
      return;
    }
    Optional<ByteRange> range = ByteRange.resolve(rangeHeader, size);
    long first = range.map(ByteRange::first).orElse(0L);
    long last = range.map(ByteRange::last).orElse(size - 1);
    MultipartDecryption plan = o.planRead(index, first, last);
    long skip = plan.ciphertextFirst() - stored.windowStart();
    boolean refetch = skip < 0 || plan.ciphertextLast() > stored.windowEnd();
    if (refetch) {
      releaser.release(stored.body());
    }
    ByteRange answered = range.orElse(null);
    Continuation data =
        start -> {
          byte[] partStart = null;
          if (start != null) {
            partStart = present(start).readNBytes(MultipartDecryption.PART_START_LENGTH);
            releaser.release(start);
          }
          byte[] startBytes = partStart;
          if (refetch) {
            read(
                plan.httpRange(),
                in ->
                    located =
                        new Located.Multipart(
                            present(in), 0, plan, startBytes, answered, size, quoted));
          } else {
            located =
                new Located.Multipart(
                    stored.body(), skip, plan, startBytes, answered, size, quoted);
          }
        };
    if (plan.startsAtPartStart()) {
      data.accept(null);
    } else {
      read(plan.firstPartStartRange(), data);
    }
  }

  // ---- reads

  /**
   * Asks for {@code range} ({@code bytes=a-b}, or null for all) of the object, then {@code then}.
   */
  private void read(String range, Continuation then) {
    this.pending =
        GetObjectRequest.builder()
            .bucket(stored.bucket())
            .key(stored.key())
            .versionId(versionId)
            .range(range)
            .build();
    this.then = then;
  }

  private ResponseInputStream<GetObjectResponse> present(
      ResponseInputStream<GetObjectResponse> in) {
    if (in == null) {
      // The object went away between two reads of it.
      throw new S3Exception(S3ErrorCode.NO_SUCH_KEY, "The specified key does not exist.")
          .with("Key", stored.key());
    }
    return in;
  }

  /** A small record read whole (bounded: the gateway writes far smaller ones). */
  private byte[] readRecord(ResponseInputStream<GetObjectResponse> in) throws IOException {
    Long length = in.response().contentLength();
    if (length != null && length > MAX_RECORD_BYTES) {
      releaser.release(in);
      throw new S3Exception(
          S3ErrorCode.INTERNAL_ERROR, "A gateway record is larger than any it writes.");
    }
    byte[] bytes = in.readNBytes(MAX_RECORD_BYTES);
    releaser.release(in);
    return bytes;
  }
}
