package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.Compression;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A CopyObject whose body has to pass through the gateway: a plaintext source (readable only with
 * {@code ENCRYPTION_ALLOW_PLAINTEXT_READS=true}), or a source encrypted with another algorithm than
 * the one new objects get. A copy is a new write, so it gets the current settings: the configured
 * algorithm, and compression if the {@link CompressionPolicy} chooses it for the destination's
 * content type and size. The source is read (and, if encrypted, authenticated and decrypted) as a
 * stream and encrypted on the way; memory stays bounded whatever the size.
 *
 * <p>The ETag entry: from the source's authenticated entry when it has one (checked against the
 * copied plaintext's MD5 after the upload; a mismatch removes the copy), after the upload by a
 * metadata-only self-copy when it has none, and for a compressed copy from the spooled plaintext.
 */
final class ReencryptingCopy {

  private static final Logger LOG = LoggerFactory.getLogger(ReencryptingCopy.class);

  private final BackendClients backend;
  private final ObjectEncryptor encryptor;
  private final CompressionPolicy compression;
  private final long spoolLimit;
  private final ObjectOperations objects;

  ReencryptingCopy(
      BackendClients backend,
      ObjectEncryptor encryptor,
      CompressionPolicy compression,
      long spoolLimit,
      ObjectOperations objects) {
    this.backend = backend;
    this.encryptor = encryptor;
    this.compression = compression;
    this.spoolLimit = spoolLimit;
    this.objects = objects;
  }

  /** Whether a source must be re-encrypted rather than copied server-side. */
  boolean needed(Optional<OpenedObject> source) {
    return source.isEmpty() || source.get().algorithm() != encryptor.algorithm();
  }

  /**
   * Copies {@code sourceBucket/sourceKey} (backend ETag {@code sourceEtag}, {@code sourceSize} body
   * bytes) to the request's bucket and key with {@code headers}.
   */
  void copy(
      S3Request s3,
      String sourceBucket,
      String sourceKey,
      String sourceEtag,
      long sourceSize,
      Optional<OpenedObject> opened,
      ObjectHeaders headers)
      throws CryptoException {
    long size = opened.isPresent() ? opened.get().plaintextSize(sourceSize) : sourceSize;
    Optional<Compression> chosen =
        compression.choose(headers.contentType(), headers.contentEncoding(), size);
    EncryptionSession session =
        chosen.isPresent()
            ? encryptor.begin(s3.bucket(), s3.key(), chosen.get(), compression.level())
            : encryptor.begin(s3.bucket(), s3.key());
    // The body read must be the version whose metadata was opened.
    try (ResponseInputStream<GetObjectResponse> in =
        backend.s3().getObject(g -> g.bucket(sourceBucket).key(sourceKey).ifMatch(sourceEtag))) {
      InputStream plaintext = opened.isPresent() ? opened.get().decrypt(in) : in;
      if (session.isCompressed()) {
        try (UploadSpool spool = UploadSpool.fill(session.encrypt(plaintext), spoolLimit)) {
          Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
          metadata.putAll(session.completeMetadata());
          put(s3, headers, metadata, spool.open(), spool.length());
        }
        return;
      }
      Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
      metadata.putAll(session.metadata());
      Optional<String> sourceEtagEntry = opened.flatMap(OpenedObject::plaintextEtag);
      sourceEtagEntry.ifPresent(
          md5 ->
              metadata.putAll(session.sealedTrailerMetadata(HexFormat.of().parseHex(md5), size)));
      PutObjectResponse put =
          put(s3, headers, metadata, session.encrypt(plaintext), session.ciphertextSize(size));
      if (sourceEtagEntry.isEmpty()) {
        objects.recordEtag(s3, headers, metadata, session, put.eTag());
      } else if (!sourceEtagEntry.get().equals(session.plaintextEtag())) {
        // The source's authenticated MD5 did not describe its plaintext: never keep a copy that
        // claims it.
        backend.s3().deleteObject(d -> d.bucket(s3.bucket()).key(s3.key()));
        LOG.error(
            "request {}: the plaintext of {}/{} does not match its recorded MD5; copy removed",
            s3.requestId(),
            sourceBucket,
            sourceKey);
        throw new S3Exception(
            S3ErrorCode.INTERNAL_ERROR, "The source object's recorded checksum does not match it.");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PutObjectResponse put(
      S3Request s3,
      ObjectHeaders headers,
      Map<String, String> metadata,
      InputStream body,
      long length) {
    PutObjectRequest.Builder b =
        PutObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).contentLength(length);
    ObjectOperations.applyHeaders(
        headers,
        metadata,
        b::contentType,
        b::contentEncoding,
        b::contentDisposition,
        b::contentLanguage,
        b::cacheControl,
        b::metadata);
    if (headers.expires() != null) {
      b.expires(Preconditions.parseHttpDate(headers.expires()));
    }
    return backend
        .uploads()
        .putObject(b.build(), ObjectOperations.oneShot(body, length, headers.contentType()));
  }
}
