package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.backend.WriteCondition;
import io.github.s3eg.crypto.Compression;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.versions.NewVersionSettings;
import io.github.s3eg.versions.NewVersions;
import io.github.s3eg.versions.WriteRequirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
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

  /** The source's authenticated client checksum goes with the plaintext, sealed anew. */
  private static void keepChecksum(
      Optional<OpenedObject> opened, EncryptionSession session, Map<String, String> metadata) {
    opened
        .flatMap(OpenedObject::checksum)
        .ifPresent(
            c -> metadata.putAll(session.sealedChecksumMetadata(c.algorithm(), c.checksum())));
  }

  private WriteRequirements requirements;

  /** A copy into a bucket that wants its ciphertext's MD5 (Object Lock) is spooled first. */
  void followVersioning(NewVersions versions) {
    // Trailers or not is the backend client's: the plain PUT path decides the same way.
    this.requirements =
        new WriteRequirements(versions.features(), backend.acceptsChecksumHeaders());
  }

  /** Whether a source must be re-encrypted rather than copied server-side. */
  boolean needed(Optional<OpenedObject> source) {
    return source.isEmpty() || source.get().algorithm() != encryptor.algorithm();
  }

  /**
   * Copies {@code sourceBucket/sourceKey} (backend ETag {@code sourceEtag}, {@code sourceSize} body
   * bytes; the version {@code s3} names in its copy source) to the request's bucket and key with
   * {@code headers} and {@code settings}.
   */
  CopyOperation.Written copy(
      S3Request s3,
      String sourceBucket,
      String sourceKey,
      String sourceEtag,
      long sourceSize,
      Optional<OpenedObject> opened,
      ObjectHeaders headers,
      NewVersionSettings settings,
      WriteCondition condition,
      AclHeaders acl)
      throws CryptoException {
    String sourceVersion = io.github.s3eg.s3.CopySource.of(s3).versionId();
    long size = opened.isPresent() ? opened.get().plaintextSize(sourceSize) : sourceSize;
    return copy(
        s3,
        sourceBucket,
        sourceKey,
        size,
        opened,
        headers,
        () -> {
          // The body read must be the version whose metadata was opened.
          ResponseInputStream<GetObjectResponse> in =
              backend
                  .s3()
                  .getObject(
                      g ->
                          g.bucket(sourceBucket)
                              .key(sourceKey)
                              .versionId(sourceVersion)
                              .ifMatch(sourceEtag));
          return opened.isPresent() ? opened.get().decrypt(in) : in;
        },
        settings,
        condition,
        acl);
  }

  /**
   * Copies an S3 Encryption Client object: its plaintext is read and verified whole before the
   * upload starts (see {@link S3ecReads#readWhole}), then encrypted as a new gateway object.
   */
  CopyOperation.Written copyS3ec(
      S3Request s3,
      String sourceBucket,
      String sourceKey,
      String sourceEtag,
      long sourceSize,
      io.github.s3eg.crypto.s3ec.S3ecObject source,
      S3ecReads reads,
      ObjectHeaders headers,
      NewVersionSettings settings,
      WriteCondition condition,
      AclHeaders acl)
      throws CryptoException {
    return copy(
        s3,
        sourceBucket,
        sourceKey,
        source.plaintextSize(sourceSize),
        Optional.empty(),
        headers,
        () -> reads.readWhole(sourceBucket, sourceKey, sourceEtag, sourceSize, source),
        settings,
        condition,
        acl);
  }

  /** Opens the source's plaintext stream (closing it releases the source). */
  private interface PlaintextSource {
    InputStream open() throws IOException, CryptoException;
  }

  private CopyOperation.Written copy(
      S3Request s3,
      String sourceBucket,
      String sourceKey,
      long size,
      Optional<OpenedObject> opened,
      ObjectHeaders headers,
      PlaintextSource source,
      NewVersionSettings settings,
      WriteCondition condition,
      AclHeaders acl)
      throws CryptoException {
    boolean spool =
        requirements != null
            && requirements.of(s3.bucket(), !settings.lock().isEmpty()).ciphertextMd5();
    Optional<Compression> chosen =
        compression.choose(headers.contentType(), headers.contentEncoding(), size);
    EncryptionSession session =
        chosen.isPresent()
            ? encryptor.begin(s3.bucket(), s3.key(), chosen.get(), compression.level())
            : encryptor.begin(s3.bucket(), s3.key());
    try (InputStream plaintext = source.open()) {
      if (session.isCompressed() || spool) {
        try (UploadSpool spooled = UploadSpool.fill(session.encrypt(plaintext), spoolLimit)) {
          Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
          metadata.putAll(session.completeMetadata());
          keepChecksum(opened, session, metadata);
          PutObjectResponse put =
              put(
                  s3,
                  headers,
                  metadata,
                  spooled.open(),
                  spooled.length(),
                  settings,
                  condition,
                  acl,
                  ContentMd5.encode(spooled.md5()));
          return new CopyOperation.Written(put.versionId(), Instant.now(), metadata);
        }
      }
      Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
      metadata.putAll(session.metadata());
      keepChecksum(opened, session, metadata);
      Optional<String> sourceEtagEntry = opened.flatMap(OpenedObject::plaintextEtag);
      sourceEtagEntry.ifPresent(
          md5 ->
              metadata.putAll(session.sealedTrailerMetadata(HexFormat.of().parseHex(md5), size)));
      PutObjectResponse put =
          put(
              s3,
              headers,
              metadata,
              session.encrypt(plaintext),
              session.ciphertextSize(size),
              settings,
              condition,
              acl,
              null);
      if (sourceEtagEntry.isEmpty()) {
        objects.recordEtag(s3, new UploadPlan(headers, metadata, session, true), put.eTag(), acl);
      } else if (!sourceEtagEntry.get().equals(session.plaintextEtag())) {
        // The source's authenticated MD5 did not describe its plaintext: never keep a copy that
        // claims it (in a versioned bucket: that version, not a delete marker over it).
        backend
            .s3()
            .deleteObject(d -> d.bucket(s3.bucket()).key(s3.key()).versionId(put.versionId()));
        LOG.error(
            "request {}: the plaintext of {}/{} does not match its recorded MD5; copy removed",
            s3.requestId(),
            sourceBucket,
            sourceKey);
        throw new S3Exception(
            S3ErrorCode.INTERNAL_ERROR, "The source object's recorded checksum does not match it.");
      }
      return new CopyOperation.Written(put.versionId(), Instant.now(), metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PutObjectResponse put(
      S3Request s3,
      ObjectHeaders headers,
      Map<String, String> metadata,
      InputStream body,
      long length,
      NewVersionSettings settings,
      WriteCondition condition,
      AclHeaders acl,
      String contentMd5) {
    PutObjectRequest.Builder b =
        PutObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).contentLength(length);
    BackendHeaders.apply(headers, metadata, b);
    settings.applyTo(b);
    condition.applyTo(b);
    b.contentMD5(contentMd5);
    acl.applyToObject(b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    return backend
        .uploads()
        .putObject(b.build(), ObjectOperations.oneShot(body, length, headers.contentType()));
  }
}
