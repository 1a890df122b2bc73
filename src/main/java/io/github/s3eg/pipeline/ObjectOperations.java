package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.backend.WriteCondition;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.ops.GatewayMetrics;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.versions.GovernanceBypass;
import io.github.s3eg.versions.NewVersionSettings;
import io.github.s3eg.versions.VersionDeletion;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * PutObject's and DeleteObject's steps around their backend calls (the SDK requests before, the S3
 * answer after), and what every object answer shares: headers, ETags, releasing streams.
 */
public final class ObjectOperations {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectOperations.class);

  private final BackendClients backend;
  private final GatewayMetrics metrics;
  private final MultipartState multipartState;
  private final VersionDeletion versionDeletion;

  /**
   * {@code multipartState}: the part indexes that go with the objects written and deleted; {@code
   * versionDeletion}: the records of a deleted version, deleted with it (null: none)
   */
  public ObjectOperations(
      BackendClients backend,
      GatewayMetrics metrics,
      MultipartState multipartState,
      VersionDeletion versionDeletion) {
    this.backend = backend;
    this.metrics = metrics;
    this.multipartState = multipartState;
    this.versionDeletion = versionDeletion;
  }

  /** Records which key wrapped the object's data key, for the audit log. */
  static void auditKey(Exchange exchange, Map<String, String> metadata) {
    auditKey(RequestStates.of(exchange), metadata);
  }

  static void auditKey(RequestState state, Map<String, String> metadata) {
    String kek = metadata.get(ObjectMetadata.KEK);
    if (kek != null) {
      try {
        KeyReference ref = KeyReference.decode(kek);
        state.auditKey(ref.id(), String.valueOf(ref.version()));
      } catch (RuntimeException malformed) {
        // The decrypt step reports malformed metadata; the audit line just has no key.
      }
    }
  }

  /** The plaintext ETag from authenticated metadata; the backend's only for plaintext objects. */
  static String etag(OpenedObject opened, String backendEtag) {
    if (opened == null) {
      return backendEtag;
    }
    // Without the entry (an upload interrupted before its ETag was recorded) the object is still
    // readable; its ETag is then not an MD5, which clients accept as for multipart objects.
    return "\"" + opened.plaintextEtag().orElse(unquote(backendEtag) + "-1") + "\"";
  }

  private static String unquote(String etag) {
    return etag == null ? "" : etag.replace("\"", "");
  }

  // ---- PutObject

  /**
   * The backend PutObject for the ciphertext {@code encrypt} made (the body itself is taken from
   * the state by {@code backend:putObject}, which sets its exact length).
   */
  static PutObjectRequest putObjectRequest(
      S3Request s3, EncryptedUpload.Whole upload, WriteCondition condition, AclHeaders acl) {
    return putObjectRequest(s3, upload, condition, acl, NewVersionSettings.fromPut(s3));
  }

  /** The same with the new version's lock settings and tags {@code settings} (a copy's). */
  static PutObjectRequest putObjectRequest(
      S3Request s3,
      EncryptedUpload.Whole upload,
      WriteCondition condition,
      AclHeaders acl,
      NewVersionSettings settings) {
    PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(s3.bucket()).key(s3.key());
    BackendHeaders.apply(upload.headers(), upload.storedMetadata(), b);
    b.contentMD5(upload.ciphertextMd5());
    settings.applyTo(b);
    condition.applyTo(b);
    acl.applyToObject(b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    return b.build();
  }

  /**
   * After {@code backend:putObject}: the answer (ETag = plaintext MD5), metrics and audit. Returns
   * the self-copy that adds the authenticated ETag entry when the MD5 was known only after the
   * upload, else null.
   */
  CopyObjectRequest putObjectStored(RequestState state, PutObjectResponse stored) {
    S3Request s3 = state.request();
    if (!(state.ciphertext() instanceof EncryptedUpload.Whole upload)) {
      throw new MissingStepException(Fact.CIPHERTEXT, "step 'putObjectStored'");
    }
    metrics.recordEncryption(
        "encrypt",
        upload.session().algorithm().configName(),
        upload.session().plaintextSize(),
        System.nanoTime() - upload.startedNanos(),
        true);
    auditKey(state, upload.storedMetadata());
    if (multipartState != null) {
      multipartState.forgetIndex(s3.bucket(), s3.key());
    }
    // The plaintext was read to its end (and so fully verified) before the last ciphertext byte.
    S3Response response =
        S3Response.status(200)
            .header("ETag", "\"" + upload.session().plaintextEtag() + "\"")
            .header("x-amz-version-id", stored.versionId());
    upload.answeredChecksum().ifPresent(c -> c.writeTo(response));
    state.respond(response);
    return upload.etagAfterUpload()
        ? recordEtagRequest(s3, upload, stored.eTag(), state.acl())
        : null;
  }

  /**
   * The metadata-only copy of the object onto itself that adds the authenticated ETag entry (and
   * the client's trailing checksum). Only if the backend object is still the one just written
   * (copy-source-if-match): a concurrent writer's object is never given this ETag. If it fails, the
   * object stays readable with a non-MD5 ETag. The copy asks for the object's ACL again: S3 gives a
   * copy the default ACL otherwise.
   */
  static CopyObjectRequest recordEtagRequest(
      S3Request s3, EncryptedUpload.Whole upload, String backendEtag, AclHeaders acl) {
    ObjectHeaders headers = upload.headers();
    Map<String, String> metadata = new LinkedHashMap<>(upload.storedMetadata());
    metadata.putAll(upload.metadataAfterUpload());
    CopyObjectRequest.Builder c =
        CopyObjectRequest.builder()
            .sourceBucket(s3.bucket())
            .sourceKey(s3.key())
            .destinationBucket(s3.bucket())
            .destinationKey(s3.key())
            .copySourceIfMatch(backendEtag)
            .metadataDirective(MetadataDirective.REPLACE);
    BackendHeaders.apply(headers, metadata, c);
    acl.applyToObject(c::acl, c::grantFullControl, c::grantRead, c::grantReadACP, c::grantWriteACP);
    return c.build();
  }

  /** The ETag entry was not recorded (see {@link #recordEtagRequest}): logged, not failed. */
  static void etagNotRecorded(RequestState state, Exception failure) {
    LOG.warn(
        "request {}: could not record the plaintext ETag of {}: {}",
        state.requestId(),
        state.request().resource(),
        failure == null ? "?" : failure.getMessage());
  }

  /**
   * A request body the SDK can read once. A second read (a retry) fails loudly instead of sending a
   * partial or empty body.
   */
  static RequestBody oneShot(InputStream body, long length, String contentType) {
    return BackendCall.oneShot(body, length, contentType);
  }

  // ---- DeleteObject

  /**
   * The backend request, with the version and governance bypass the client named. Deleting one
   * version deletes the gateway's records of that version too: they are found now, while its
   * metadata can still be read (backend requests inside the step, docs/customizing.md).
   */
  DeleteObjectRequest deleteObjectRequest(RequestState state) {
    S3Request s3 = state.request();
    String versionId = RequestedVersion.of(s3);
    if (versionId != null && versionDeletion != null) {
      state.recordDeletedVersion(versionDeletion.recordsOf(s3.bucket(), s3.key(), versionId));
    }
    return DeleteObjectRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .versionId(versionId)
        .bypassGovernanceRetention(GovernanceBypass.requested(s3) ? Boolean.TRUE : null)
        .build();
  }

  /**
   * What goes with the object: a deleted version's own records; in an unversioned bucket the key's
   * part indexes (and checksum record). A delete marker (a versioned bucket, no version named)
   * removes nothing, so no record goes: every version stays readable. One turn of listing the key's
   * index names (one LIST finds none for an object that was never multipart): the first turn takes
   * the backend's DeleteObject answer, the others the last page. Returns the next page's LIST, or
   * null once listed.
   */
  ListObjectsV2Request listIndexes(RequestState state, Object answer) {
    S3Request s3 = state.request();
    RecordListing listing = state.listing();
    if (listing == null) {
      DeleteObjectResponse deleted = answer instanceof DeleteObjectResponse r ? r : null;
      state.recordDeleteAnswer(deleted);
      boolean marker = deleted != null && Boolean.TRUE.equals(deleted.deleteMarker());
      String version = deleted == null ? null : deleted.versionId();
      multipartState.forgetIndex(s3.bucket(), s3.key());
      VersionDeletion.Pending records = state.deletedVersionOrNull();
      if (records != null) {
        versionDeletion.deleteRecords(
            s3.bucket(), s3.key(), records, GovernanceBypass.requested(s3));
        listing = RecordListing.nothing(s3.bucket());
      } else if (marker || RequestedVersion.pin(version) != null) {
        listing = RecordListing.nothing(s3.bucket());
      } else {
        listing = new RecordListing(s3.bucket(), ReservedKeys.index(s3.key()));
      }
      state.startListing(listing);
      answer = null;
    }
    ListObjectsV2Request next = listing.next(answer);
    if (next == null) {
      state.provide(Fact.RECORDS_LISTED);
    }
    return next;
  }

  /** One delete per turn: each index found, then the key's checksum record; null when done. */
  static BackendCall.RecordName deleteIndexes(RequestState state) {
    RecordListing listing = state.listing();
    if (listing == null || !listing.listed()) {
      throw new MissingStepException(Fact.RECORDS_LISTED, "step 'deleteIndexes'");
    }
    return listing.nextName(ReservedKeys.checksums(state.request().key()));
  }

  /** The answer, once the object's indexes and checksum record are deleted. */
  static S3Response deleteObjectResponse(RequestState state) {
    RecordListing listing = state.listing();
    if (listing == null || !listing.allHandedOut()) {
      // Without 'deleteIndexes' the object's indexes would stay behind unnoticed.
      throw new MissingStepException(Fact.RECORDS_LISTED, "step 'deleteObjectResponse'");
    }
    DeleteObjectResponse r = state.deleteAnswerOrNull();
    boolean marker = r != null && Boolean.TRUE.equals(r.deleteMarker());
    return S3Response.status(204)
        .header("x-amz-delete-marker", marker ? "true" : null)
        .header("x-amz-version-id", r == null ? null : r.versionId());
  }

  // ---- helpers

  /**
   * A HeadObject answer: with a satisfiable {@code Range}, 206 with the range's {@code
   * Content-Length} and {@code Content-Range} as S3 answers it (a range past the end: 416
   * InvalidRange), otherwise 200 with the object's size. The range is resolved before the
   * conditions, as GetObject resolves it. The object cache answers through it too.
   */
  static S3Response headAnswer(
      S3Request s3, ObjectHeaders headers, String etag, Instant lastModified, long size) {
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), size);
    Preconditions.check(s3, etag, lastModified);
    return objectAnswer(range.isPresent() ? 206 : 200, s3, headers, etag, lastModified)
        .header("Content-Length", Long.toString(range.map(ByteRange::length).orElse(size)))
        .header("Content-Range", range.map(ByteRange::contentRange).orElse(null));
  }

  /**
   * Status and headers of a GET or HEAD answer about an object, with the request's {@code
   * response-*} overrides. The object cache answers through it too, so both answer alike.
   */
  static S3Response objectAnswer(
      int status, S3Request s3, ObjectHeaders headers, String etag, Instant lastModified) {
    S3Response response = S3Response.status(status);
    headers.writeTo(response, s3);
    return response
        .header("ETag", etag)
        .header("Last-Modified", ObjectHeaders.httpDate(lastModified))
        .header("Accept-Ranges", "bytes");
  }

  /** The client's view of a backend GET's headers. */
  static ObjectHeaders clientHeaders(GetObjectResponse r) {
    return clientHeaders(
        r.contentType(),
        r.contentEncoding(),
        r.contentDisposition(),
        r.contentLanguage(),
        r.cacheControl(),
        r.expiresString(),
        r.storageClassAsString(),
        r.websiteRedirectLocation(),
        r.metadata());
  }

  /** The client's view of a backend HEAD's headers. */
  static ObjectHeaders clientHeaders(HeadObjectResponse r) {
    return clientHeaders(
        r.contentType(),
        r.contentEncoding(),
        r.contentDisposition(),
        r.contentLanguage(),
        r.cacheControl(),
        r.expiresString(),
        r.storageClassAsString(),
        r.websiteRedirectLocation(),
        r.metadata());
  }

  /** The headers a client sees: the gateway's own metadata entries are never shown. */
  private static ObjectHeaders clientHeaders(
      String contentType,
      String contentEncoding,
      String contentDisposition,
      String contentLanguage,
      String cacheControl,
      String expires,
      String storageClass,
      String websiteRedirectLocation,
      Map<String, String> metadata) {
    Map<String, String> user = new LinkedHashMap<>();
    metadata.forEach(
        (k, v) -> {
          if (!ObjectMetadata.isCryptoEntry(k)
              && !io.github.s3eg.crypto.s3ec.S3ecMetadata.isContentMetadataEntry(k)) {
            user.put(k, v);
          }
        });
    // Some backends (S3Proxy) store the "aws-chunked" framing marker of the gateway's own upload.
    return new ObjectHeaders(
        contentType,
        ObjectHeaders.stripAwsChunked(contentEncoding),
        contentDisposition,
        contentLanguage,
        cacheControl,
        expires,
        storageClass,
        websiteRedirectLocation,
        user);
  }

  static S3Request request(Exchange exchange) {
    return RequestStates.of(exchange).request();
  }

  /**
   * The ACL headers a write forwards with its backend write ({@code rejectUnsupported} keeps them
   * when ACLs are forwarded); none otherwise.
   */
  static AclHeaders acl(Exchange exchange) {
    return RequestStates.of(exchange).acl();
  }

  /** Releases a backend stream: back to the pool if fully read, else aborted (not drained). */
  static void release(ResponseInputStream<?> source) {
    try {
      if (source.read() < 0) {
        source.close();
        return;
      }
    } catch (IOException e) {
      // fall through to abort
    }
    source.abort();
  }
}
