package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.BoundedInputStream;
import io.github.s3eg.crypto.CiphertextRange;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartDecryption;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Reads the plaintext of a stored object, or a byte range of it, whatever its format (single PUT,
 * multipart, or plaintext when allowed), fetching only the ciphertext the range needs. The copy
 * operations read their sources through it; GET has its own route steps.
 */
final class PlaintextReader {

  /** An opened plaintext stream and what S3 says about its object. */
  record Source(
      InputStream stream,
      long length,
      ByteRange range,
      long objectSize,
      String etag,
      Instant lastModified,
      Runnable release) {}

  private final BackendClients backend;
  private final DecryptObject decryption;
  private final MultipartIndexes indexes;

  PlaintextReader(BackendClients backend, DecryptObject decryption, MultipartIndexes indexes) {
    this.backend = backend;
    this.decryption = decryption;
    this.indexes = indexes;
  }

  /** What a read would return, without reading: ETag, size, last modified. */
  record Described(
      HeadObjectResponse head,
      Optional<OpenedObject> opened,
      long size,
      String etag,
      MultipartIndexes.Loaded multipart) {}

  /** The current version of {@code key}. */
  Described describe(String bucket, String key) throws CryptoException {
    return describe(bucket, key, null);
  }

  /** Version {@code versionId} of {@code key} (the current one for null). */
  Described describe(String bucket, String key, String versionId) throws CryptoException {
    HeadObjectResponse head = ObjectHead.of(backend.s3(), bucket, key, versionId);
    Optional<OpenedObject> opened = decryption.resolve(bucket, key, head.metadata()).opened();
    if (opened.isEmpty()) {
      return new Described(head, opened, head.contentLength(), head.eTag(), null);
    }
    OpenedObject o = opened.get();
    if (o.isMultipart()) {
      MultipartIndexes.Loaded loaded = indexes.load(o, bucket, key, head.contentLength());
      return new Described(
          head, opened, loaded.index().plaintextSize(), "\"" + loaded.etag() + "\"", loaded);
    }
    return new Described(
        head,
        opened,
        o.plaintextSize(head.contentLength()),
        ObjectOperations.etag(o, head.eTag()),
        null);
  }

  /**
   * Opens {@code rangeHeader} ({@code bytes=a-b}, or null for everything) of a described object.
   *
   * @throws S3Exception InvalidRange when the range lies outside the object
   */
  Source open(String bucket, String key, Described d, String rangeHeader) {
    // Every read is of the version described, whatever was written to the key since.
    String versionId = RequestedVersion.pin(d.head().versionId());
    Optional<ByteRange> range = ByteRange.resolve(rangeHeader, d.size());
    if (d.size() == 0) {
      return new Source(
          InputStream.nullInputStream(), 0, null, 0, d.etag(), d.head().lastModified(), () -> {});
    }
    long first = range.map(ByteRange::first).orElse(0L);
    long last = range.map(ByteRange::last).orElse(d.size() - 1);
    if (d.opened().isEmpty()) {
      ResponseInputStream<GetObjectResponse> in =
          get(bucket, key, versionId, "bytes=" + first + "-" + last);
      return source(in, in, first, last, d);
    }
    OpenedObject o = d.opened().get();
    if (o.isMultipart()) {
      MultipartDecryption plan = o.planRead(d.multipart().index(), first, last);
      byte[] start =
          plan.startsAtPartStart()
              ? null
              : indexes.readRange(
                  bucket,
                  key,
                  versionId,
                  plan.firstPartStartRange(),
                  MultipartDecryption.PART_START_LENGTH);
      ResponseInputStream<GetObjectResponse> in = get(bucket, key, versionId, plan.httpRange());
      return source(
          plan.decrypt(new BoundedInputStream(in, plan.ciphertextLength()), start),
          in,
          first,
          last,
          d);
    }
    if (o.compression().isPresent()) {
      // A compressed source is read from its start (decompressing) and the range cut out: part
      // copies from compressed objects are rare, and this needs no frame-index lookup.
      ResponseInputStream<GetObjectResponse> in = get(bucket, key, versionId, null);
      InputStream whole = o.decrypt(in);
      try {
        whole.skipNBytes(first);
      } catch (java.io.IOException e) {
        in.abort();
        throw new java.io.UncheckedIOException(e);
      }
      return source(new BoundedInputStream(whole, last - first + 1), in, first, last, d);
    }
    CiphertextRange needed = o.rangeFor(first, last, d.size());
    ResponseInputStream<GetObjectResponse> in = get(bucket, key, versionId, needed.httpRange());
    return source(
        o.decryptRange(new BoundedInputStream(in, needed.ciphertextLength()), needed),
        in,
        first,
        last,
        d);
  }

  private static Source source(
      InputStream plaintext,
      ResponseInputStream<GetObjectResponse> backendStream,
      long first,
      long last,
      Described d) {
    return new Source(
        plaintext,
        last - first + 1,
        new ByteRange(first, last, d.size()),
        d.size(),
        d.etag(),
        d.head().lastModified(),
        () -> ObjectOperations.release(backendStream));
  }

  private ResponseInputStream<GetObjectResponse> get(
      String bucket, String key, String versionId, String range) {
    return backend
        .s3()
        .getObject(
            GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .versionId(versionId)
                .range(range)
                .build());
  }

  static S3Exception invalidRange(String what) {
    return new S3Exception(S3ErrorCode.INVALID_RANGE, what);
  }
}
