package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.WriteCondition;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectRebinder;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.multipart.PartwiseCopy;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.NewVersionSettings;
import io.github.s3eg.versions.NewVersions;
import io.github.s3eg.versions.TagSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * CopyObject ({@code PUT} with {@code x-amz-copy-source}). For a source encrypted with the
 * configured algorithm the data key is re-wrapped for the destination's bucket and key and the body
 * is copied server-side at the backend: no object bytes pass through the gateway (a compressed
 * source stays compressed, an uncompressed one uncompressed). A source encrypted with another
 * algorithm, or a plaintext source (only readable with {@code
 * ENCRYPTION_ALLOW_PLAINTEXT_READS=true}), is re-encrypted by streaming ({@link ReencryptingCopy}).
 * S3's metadata directive applies to the client's metadata: {@code COPY} keeps the source's headers
 * and metadata, {@code REPLACE} takes them from this request.
 */
public final class CopyOperation {

  private final BackendClients backend;
  private final DecryptObject decryption;
  private MultipartIndexes multipartIndexes;
  private MultipartState multipartState;
  private final ObjectRebinder rebinder;
  private final ReencryptingCopy reencryption;
  private NewVersions newVersions;

  public CopyOperation(
      BackendClients backend,
      DecryptObject decryption,
      ObjectRebinder rebinder,
      ObjectEncryptor encryptor,
      CompressionPolicy compression,
      long spoolLimit,
      ObjectOperations objects) {
    this.backend = backend;
    this.decryption = decryption;
    this.rebinder = rebinder;
    this.reencryption = new ReencryptingCopy(backend, encryptor, compression, spoolLimit, objects);
  }

  /** Enables copying multipart sources (their indexes are read and written through these). */
  public void copyMultipartWith(MultipartIndexes indexes, MultipartState state) {
    this.multipartIndexes = indexes;
    this.multipartState = state;
  }

  /** Copies get the lock settings and tags they ask for, whatever the backend does with them. */
  public void followVersioning(NewVersions versions) {
    this.newVersions = versions;
    this.reencryption.followVersioning(versions);
  }

  /** What a copy wrote: the new version (null when unknown), when, and its metadata. */
  record Written(String versionId, Instant lastModified, Map<String, String> metadata) {}

  private ConditionalWrites conditions;

  /** Checks the destination's If-None-Match / If-Match through {@code conditions}. */
  public void checkDestinationWith(ConditionalWrites conditions) {
    this.conditions = conditions;
  }

  public void copyObject(Exchange exchange) throws CryptoException {
    S3Request s3 = ObjectOperations.request(exchange);
    CopySource source = CopySource.of(s3);
    boolean replace = replaceDirective(s3);
    NewVersionSettings settings = NewVersionSettings.fromCopy(s3);
    if (newVersions != null) {
      newVersions.features().requireObjectLockFor(s3.bucket(), settings.lock());
    }
    boolean newSettings =
        s3.header(ObjectHeaders.STORAGE_CLASS) != null
            || s3.header(ObjectHeaders.WEBSITE_REDIRECT_LOCATION) != null;
    if (!replace
        && !newSettings
        && source.versionId() == null
        && source.bucket().equals(s3.bucket())
        && source.key().equals(s3.key())) {
      // (Copying an older version over its key is how a version is restored: allowed.)
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    // The destination's conditions, against the ETag clients see; the backend copy carries them.
    WriteCondition condition = conditions == null ? WriteCondition.NONE : conditions.evaluate(s3);
    HeadObjectResponse src =
        ObjectHead.of(backend.s3(), source.bucket(), source.key(), source.versionId());
    Optional<io.github.s3eg.crypto.s3ec.S3ecObject> s3ec =
        decryption.openS3ec(source.bucket(), source.key(), src.metadata());
    Optional<OpenedObject> opened =
        s3ec.isPresent()
            ? Optional.empty()
            : decryption.open(source.bucket(), source.key(), src.metadata());
    String etag =
        s3ec.isPresent()
            ? S3ecReads.etag(src.eTag())
            : ObjectOperations.etag(opened.orElse(null), src.eTag());

    ObjectHeaders headers;
    if (replace) {
      headers = ObjectHeaders.fromRequest(s3);
      EncryptObject.rejectReservedMetadata(headers.userMetadata());
    } else {
      headers = ObjectOperations.clientHeaders(src).withSettingsOf(s3);
    }
    // S3 gives a copy the default ACL unless the request asks for one.
    AclHeaders acl = ObjectOperations.acl(exchange);
    Written written;
    if (s3ec.isPresent()) {
      checkCopyConditions(s3, etag, src.lastModified());
      settings = withSourceTags(settings, source);
      written =
          reencryption.copyS3ec(
              s3,
              source.bucket(),
              source.key(),
              src.eTag(),
              src.contentLength(),
              s3ec.get(),
              decryption.s3ecReads(),
              headers,
              settings,
              condition,
              acl);
    } else if (opened.isPresent() && opened.get().isMultipart()) {
      MultipartIndexes.Loaded loaded =
          multipartIndexes.load(opened.get(), source.bucket(), source.key(), src.contentLength());
      etag = "\"" + loaded.etag() + "\"";
      checkCopyConditions(s3, etag, src.lastModified());
      // A new upload at the backend: it carries no tags of the source's (a COPY directive).
      settings = withSourceTags(settings, source);
      written = copyMultipart(s3, source, src, headers, loaded.index(), settings, condition, acl);
    } else if (reencryption.needed(opened)) {
      checkCopyConditions(s3, etag, src.lastModified());
      settings = withSourceTags(settings, source);
      written =
          reencryption.copy(
              s3,
              source.bucket(),
              source.key(),
              src.eTag(),
              src.contentLength(),
              opened,
              headers,
              settings,
              condition,
              acl);
    } else {
      checkCopyConditions(s3, etag, src.lastModified());
      // S3 copies the source's tags; Ceph RGW 16.2 drops them under the REPLACE metadata directive
      // the gateway's copy needs (its wrapped key is new): they are set after it.
      settings = withSourceTags(settings, source);
      written = copyServerSide(s3, source, src, headers, settings, condition, acl);
    }
    String versionId = settle(s3, written, settings);
    XmlWriter xml =
        new XmlWriter()
            .root("CopyObjectResult")
            .element("LastModified", ObjectHeaders.xmlDate(written.lastModified()))
            .element("ETag", etag);
    exchange.setProperty(
        S3Response.PROPERTY,
        S3Response.xml(200, xml.toBytes())
            .header("x-amz-version-id", versionId)
            .header("x-amz-copy-source-version-id", RequestedVersion.pin(src.versionId())));
  }

  /**
   * The copy's version id (asking the backend when its answer named none, as Ceph RGW 16.2's
   * CopyObject), with its lock settings and tags applied and its records protected like it.
   */
  private String settle(S3Request s3, Written written, NewVersionSettings settings) {
    if (newVersions == null) {
      return written.versionId();
    }
    String versionId = written.versionId();
    if (versionId == null) {
      versionId = newVersions.locate(s3.bucket(), s3.key(), written.metadata());
    }
    newVersions.settle(s3.bucket(), s3.key(), versionId, written.metadata(), settings);
    return versionId;
  }

  /**
   * {@code settings}, with the source's tags when they name none of their own (a COPY tagging
   * directive) and the source has some: the gateway then sees that the copy gets them.
   */
  private NewVersionSettings withSourceTags(NewVersionSettings settings, CopySource source) {
    if (settings.tags().isPresent()) {
      return settings;
    }
    TagSet tags = sourceTags(source);
    return tags.isEmpty() ? settings : settings.withTagsIfNone(tags);
  }

  /** The tags of the copy source (none on a backend without tagging). */
  private TagSet sourceTags(CopySource source) {
    try {
      return TagSet.of(
          backend
              .s3()
              .getObjectTagging(
                  g -> g.bucket(source.bucket()).key(source.key()).versionId(source.versionId()))
              .tagSet());
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 501 || e.statusCode() == 400 || e.statusCode() == 405) {
        return TagSet.EMPTY;
      }
      throw e;
    }
  }

  /** Re-wraps the data key for the destination; the backend copies the body unchanged. */
  private Written copyServerSide(
      S3Request s3,
      CopySource source,
      HeadObjectResponse src,
      ObjectHeaders headers,
      NewVersionSettings settings,
      WriteCondition condition,
      AclHeaders acl)
      throws CryptoException {
    Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
    metadata.putAll(
        rebinder.rebind(source.bucket(), source.key(), src.metadata(), s3.bucket(), s3.key()));
    CopyObjectRequest.Builder b =
        CopyObjectRequest.builder()
            .sourceBucket(source.bucket())
            .sourceKey(source.key())
            .sourceVersionId(source.versionId())
            .destinationBucket(s3.bucket())
            .destinationKey(s3.key())
            // The wrapped key was made for exactly this source version.
            .copySourceIfMatch(src.eTag())
            .metadataDirective(MetadataDirective.REPLACE);
    settings.applyTo(b);
    BackendHeaders.apply(headers, metadata, b);
    condition.applyTo(b);
    acl.applyToObject(b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    CopyObjectResponse r = backend.s3().copyObject(b.build());
    return new Written(r.versionId(), r.copyObjectResult().lastModified(), metadata);
  }

  /**
   * A multipart source is copied part by part on the backend (UploadPartCopy of each stored part,
   * same part numbers, since each part is bound to its number): no byte passes through the gateway,
   * objects above 5 GiB copy like any other, and the copy is again a multipart object (format
   * version 4) with its own index (MAC'd for the new name, written before the backend completes the
   * copy) and the source's ETag.
   */
  private Written copyMultipart(
      S3Request s3,
      CopySource source,
      HeadObjectResponse src,
      ObjectHeaders headers,
      MultipartIndex index,
      NewVersionSettings settings,
      WriteCondition condition,
      AclHeaders acl)
      throws CryptoException {
    // An upload of its own (a fresh upload header): its records are its alone.
    Map<String, String> crypto =
        rebinder.rebindAsNewUpload(
            source.bucket(), source.key(), src.metadata(), s3.bucket(), s3.key());
    OpenedObject target = decryption.open(s3.bucket(), s3.key(), crypto).orElseThrow();
    byte[] targetIndex = target.sealIndex(index.forUpload(target.header()), s3.bucket(), s3.key());
    Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
    metadata.putAll(crypto);
    String versionId =
        PartwiseCopy.copy(
            backend.uploads(),
            source.bucket(),
            source.key(),
            source.versionId(),
            src.eTag(),
            index,
            s3.bucket(),
            s3.key(),
            b -> {
              settings.applyTo(b);
              BackendHeaders.apply(headers, metadata, b);
              acl.applyToObject(
                  b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
            },
            condition,
            () ->
                multipartState.writeIndex(
                    s3.bucket(), MultipartIndexes.nameOf(target, s3.key()), targetIndex));
    multipartState.completed(s3.bucket(), s3.key(), targetIndex);
    return new Written(versionId, Instant.now(), metadata);
  }

  private static boolean replaceDirective(S3Request s3) {
    String directive = s3.header("x-amz-metadata-directive");
    if (directive == null || directive.trim().equalsIgnoreCase("COPY")) {
      return false;
    }
    if (directive.trim().toUpperCase(Locale.ROOT).equals("REPLACE")) {
      return true;
    }
    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown metadata directive.")
        .with("ArgumentName", "x-amz-metadata-directive");
  }

  /** {@code x-amz-copy-source-if-*}, against the source's plaintext ETag; S3 answers 412. */
  static void checkCopyConditions(S3Request s3, String etag, Instant lastModified) {
    String ifMatch = s3.header("x-amz-copy-source-if-match");
    String ifNoneMatch = s3.header("x-amz-copy-source-if-none-match");
    Instant unmodifiedSince =
        Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-unmodified-since"));
    Instant modifiedSince =
        Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-modified-since"));
    long modified = lastModified == null ? 0 : lastModified.getEpochSecond();
    boolean failed =
        (ifMatch != null && !Preconditions.matches(ifMatch, etag))
            || (ifMatch == null
                && unmodifiedSince != null
                && modified > unmodifiedSince.getEpochSecond())
            || (ifNoneMatch != null && Preconditions.matches(ifNoneMatch, etag))
            || (ifNoneMatch == null
                && modifiedSince != null
                && modified <= modifiedSince.getEpochSecond());
    if (failed) {
      throw new S3Exception(
          S3ErrorCode.PRECONDITION_FAILED,
          "At least one of the pre-conditions you specified did not hold");
    }
  }
}
