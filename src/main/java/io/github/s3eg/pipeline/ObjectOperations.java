package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.SegmentLayout;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.ops.AuditLog;
import io.github.s3eg.ops.GatewayMetrics;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import io.github.s3eg.versions.DeleteMarkers;
import io.github.s3eg.versions.GovernanceBypass;
import io.github.s3eg.versions.NewVersionSettings;
import io.github.s3eg.versions.VersionDeletion;
import io.github.s3eg.versions.VersionHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The object verbs' steps around the backend call: build the SDK request from the {@link
 * S3Request}, and turn the answer into the {@link S3Response} S3 would have sent for the plaintext.
 * Where camel-aws2-s3 is faithful (GetObject, DeleteObject with {@code pojoRequest}) the routes
 * call the component between the two steps; PutObject and HeadObject call the backend client here
 * because the component drops headers (Content-Language, Expires).
 */
public final class ObjectOperations {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectOperations.class);

  /** Exchange property: the length of the body that goes to the backend. */
  public static final String BODY_LENGTH = "s3BodyLength";

  private final BackendClients backend;
  private final DecryptObject decryption;
  private final SegmentLayout layout;
  private final GatewayMetrics metrics;
  private MultipartState multipartState;
  private VersionDeletion versionDeletion;

  /** Exchange property: the records of the version a DELETE names, found before it goes. */
  static final String DELETED_RECORDS = "s3DeletedRecords";

  /** Deleting an object also deletes its multipart index, kept in {@code state}. */
  public void deleteIndexesIn(MultipartState state) {
    this.multipartState = state;
  }

  /** Deleting one version also deletes that version's records, found through {@code deletion}. */
  public void deleteVersionsWith(VersionDeletion deletion) {
    this.versionDeletion = deletion;
  }

  private DeleteMarkers deleteMarkers;

  /** A GET or HEAD that meets a delete marker is answered as S3 does ({@code markers}). */
  public void answerDeleteMarkersWith(DeleteMarkers markers) {
    this.deleteMarkers = markers;
  }

  /** S3's answer for a read that met a delete marker, or {@code failure} as it is. */
  RuntimeException deleteMarkerOr(S3Request s3, String method, RuntimeException failure) {
    if (deleteMarkers != null
        && failure instanceof software.amazon.awssdk.services.s3.model.S3Exception e
        && e.statusCode() == 404) {
      Optional<S3Exception> marker =
          deleteMarkers.explain(s3.bucket(), s3.key(), RequestedVersion.of(s3), method);
      if (marker.isPresent()) {
        return marker.get();
      }
    }
    return failure;
  }

  public ObjectOperations(
      BackendClients backend,
      DecryptObject decryption,
      SegmentLayout layout,
      GatewayMetrics metrics) {
    this.backend = backend;
    this.decryption = decryption;
    this.layout = layout;
    this.metrics = metrics;
  }

  /** Records which key wrapped the object's data key, for the audit log. */
  static void auditKey(Exchange exchange, Map<String, String> metadata) {
    String kek = metadata.get(ObjectMetadata.KEK);
    if (kek != null) {
      try {
        KeyReference ref = KeyReference.decode(kek);
        exchange.setProperty(AuditLog.KEY_ID, ref.id());
        exchange.setProperty(AuditLog.KEY_VERSION, ref.version());
      } catch (RuntimeException malformed) {
        // The decrypt step reports malformed metadata; the audit line just has no key.
      }
    }
  }

  // ---- GetObject

  /** Plans the backend read: whole segments that cover the client's range, in one request. */
  public void getObjectRequest(Exchange exchange) {
    S3Request s3 = request(exchange);
    ReadPlan plan = ReadPlan.of(s3.header("Range"), layout);
    if (plan.backendRange() != null && decryption.allowPlaintextReads() && isPlaintext(s3)) {
      // Only when plaintext reads are allowed: a ranged read of a plaintext object must not be
      // planned in ciphertext segments, so its kind is looked up first (one HEAD).
      plan = new ReadPlan(ReadPlan.Kind.PLAINTEXT, s3.header("Range"));
    }
    if (plan.backendRange() != null && multipartState != null) {
      plan = multipartPlan(s3).orElse(plan);
    }
    exchange.setProperty(ReadPlan.PROPERTY, plan);
    exchange
        .getIn()
        .setBody(
            GetObjectRequest.builder()
                .bucket(s3.bucket())
                .key(s3.key())
                .versionId(RequestedVersion.of(s3))
                .range(plan.backendRange())
                .build());
  }

  /**
   * A ranged read of an object this instance knows to be multipart (its index is cached: it was
   * completed, read or listed here) is planned on the part table, so the one backend GET fetches
   * exactly the covering segments. The decrypt step verifies the index and refetches if the object
   * changed since.
   */
  private Optional<ReadPlan> multipartPlan(S3Request s3) {
    return multipartState
        .cachedIndex(s3.bucket(), s3.key())
        .flatMap(bytes -> MultipartIndex.parseForPlanning(bytes, layout))
        .flatMap(
            index ->
                ByteRange.resolve(s3.header("Range"), index.plaintextSize())
                    .map(r -> index.span(r.first(), r.last()).httpRange()))
        .map(range -> new ReadPlan(ReadPlan.Kind.FROM_OFFSET, range));
  }

  /**
   * The backend refused the planned range. A compressed object's body is shorter than the layout
   * the plan assumed, so a satisfiable client range can be planned past its end (416): the object's
   * headers and size are then fetched with its first byte, and the {@code decompress} step reads
   * the range through the frame index. Anything else (or a client's own range) is rethrown.
   */
  public void afterPlannedRangeFailed(Exchange exchange) throws Exception {
    Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    ReadPlan plan = exchange.getProperty(ReadPlan.PROPERTY, ReadPlan.class);
    boolean plannedRangeTooFar =
        failure instanceof software.amazon.awssdk.services.s3.model.S3Exception e
            && e.statusCode() == 416
            && plan != null
            && plan.kind() != ReadPlan.Kind.PLAINTEXT
            && plan.backendRange() != null;
    if (!plannedRangeTooFar) {
      if (failure instanceof RuntimeException backendAnswer) {
        throw deleteMarkerOr(request(exchange), "GET", backendAnswer);
      }
      throw failure;
    }
    S3Request s3 = request(exchange);
    exchange
        .getIn()
        .setBody(
            backend
                .s3()
                .getObject(
                    GetObjectRequest.builder()
                        .bucket(s3.bucket())
                        .key(s3.key())
                        .versionId(RequestedVersion.of(s3))
                        .range("bytes=0-0")
                        .build()));
  }

  private boolean isPlaintext(S3Request s3) {
    Map<String, String> metadata =
        backend
            .s3()
            .headObject(
                HeadObjectRequest.builder()
                    .bucket(s3.bucket())
                    .key(s3.key())
                    .versionId(RequestedVersion.of(s3))
                    .build())
            .metadata();
    return metadata.keySet().stream().noneMatch(ObjectMetadata::isCryptoEntry);
  }

  /** Conditions against the plaintext ETag, headers, 200/206, and the plaintext stream. */
  @SuppressWarnings("unchecked")
  public void getObjectResponse(Exchange exchange) {
    S3Request s3 = request(exchange);
    ResponseInputStream<GetObjectResponse> backendBody =
        exchange.getIn().getBody(ResponseInputStream.class);
    GetObjectResponse r = backendBody.response();
    OpenedObject opened = exchange.getProperty(DecryptObject.OPENED, OpenedObject.class);
    DecryptObject.PlaintextBody body =
        exchange.getProperty(DecryptObject.PLAINTEXT, DecryptObject.PlaintextBody.class);
    String multipartEtag = exchange.getProperty(DecryptObject.ETAG, String.class);
    boolean s3ec = exchange.getProperty(DecryptObject.S3EC) != null;
    String etag =
        s3ec
            ? S3ecReads.etag(r.eTag())
            : multipartEtag != null ? multipartEtag : etag(opened, r.eTag());
    try {
      Preconditions.check(s3, etag, r.lastModified());
    } catch (S3Exception e) {
      body.abort().run();
      throw e;
    }
    S3Response response =
        objectAnswer(body.range() != null ? 206 : 200, s3, clientHeaders(r), etag, r.lastModified())
            .header("Content-Range", body.range() == null ? null : body.range().contentRange());
    VersionHeaders.write(response, r);
    if (body.range() == null && s3.header("Range") == null) {
      shownChecksum(s3, exchange.getProperty(DecryptObject.CHECKSUM, ObjectChecksum.class), opened)
          .ifPresent(c -> c.writeTo(response));
    }
    long started = System.nanoTime();
    String algorithm = opened == null ? "none" : opened.algorithm().configName();
    response.stream(
        body.stream(),
        body.length(),
        () -> {
          body.abort().run();
          if (opened != null) {
            metrics.recordEncryption(
                "decrypt", algorithm, body.length(), System.nanoTime() - started, true);
          }
        });
    auditKey(exchange, r.metadata());
    exchange.setProperty(S3Response.PROPERTY, response);
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

  // ---- HeadObject

  public void headObject(Exchange exchange) throws CryptoException {
    S3Request s3 = request(exchange);
    HeadObjectResponse r;
    try {
      r =
          backend
              .s3()
              .headObject(
                  HeadObjectRequest.builder()
                      .bucket(s3.bucket())
                      .key(s3.key())
                      .versionId(RequestedVersion.of(s3))
                      .build());
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      throw deleteMarkerOr(s3, "HEAD", e);
    }
    Optional<io.github.s3eg.crypto.s3ec.S3ecObject> s3ec =
        decryption.openS3ec(s3.bucket(), s3.key(), r.metadata());
    Optional<OpenedObject> opened =
        s3ec.isPresent() ? Optional.empty() : decryption.open(s3.bucket(), s3.key(), r.metadata());
    String etag;
    long size;
    ObjectChecksum multipartChecksum = null;
    if (s3ec.isPresent()) {
      etag = S3ecReads.etag(r.eTag());
      size = s3ec.get().plaintextSize(r.contentLength());
    } else if (opened.isPresent() && opened.get().isMultipart()) {
      MultipartIndexes.Loaded loaded =
          decryption
              .multipartIndexes()
              .load(opened.get(), s3.bucket(), s3.key(), r.contentLength());
      etag = "\"" + loaded.etag() + "\"";
      size = loaded.index().plaintextSize();
      if (ObjectChecksum.requested(s3)) {
        multipartChecksum = decryption.multipartChecksum(opened.get(), s3).orElse(null);
      }
    } else {
      etag = etag(opened.orElse(null), r.eTag());
      size = opened.isPresent() ? opened.get().plaintextSize(r.contentLength()) : r.contentLength();
    }
    S3Response response = headAnswer(s3, clientHeaders(r), etag, r.lastModified(), size);
    VersionHeaders.write(response, r);
    if (s3.header("Range") == null) {
      shownChecksum(s3, multipartChecksum, opened.orElse(null)).ifPresent(c -> c.writeTo(response));
    }
    exchange.setProperty(S3Response.PROPERTY, response);
  }

  /**
   * The checksum a GET or HEAD shows: only when the client asks ({@code x-amz-checksum-mode:
   * ENABLED}), as S3 does; a multipart object's from its checksum record, a single PUT's from its
   * authenticated metadata.
   */
  static Optional<ObjectChecksum> shownChecksum(
      S3Request s3, ObjectChecksum multipart, OpenedObject opened) {
    if (!ObjectChecksum.requested(s3)) {
      return Optional.empty();
    }
    if (multipart != null) {
      return Optional.of(multipart);
    }
    return opened == null ? Optional.empty() : opened.checksum().map(ObjectChecksum::of);
  }

  // ---- PutObject

  /** Streams the encrypted body to the backend with its exact length. */
  public void putObject(Exchange exchange) {
    S3Request s3 = request(exchange);
    UploadPlan plan = exchange.getProperty(UploadPlan.PROPERTY, UploadPlan.class);
    InputStream body = exchange.getIn().getBody(InputStream.class);
    long length = exchange.getProperty(BODY_LENGTH, Long.class);
    PutObjectRequest.Builder b =
        PutObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).contentLength(length);
    BackendHeaders.apply(plan.headers(), plan.storedMetadata(), b);
    b.contentMD5(plan.ciphertextMd5());
    NewVersionSettings.fromPut(s3).applyTo(b);
    ConditionalWrites.of(exchange).applyTo(b);
    AclHeaders acl = acl(exchange);
    acl.applyToObject(b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    long started = System.nanoTime();
    PutObjectResponse r =
        backend.uploads().putObject(b.build(), oneShot(body, length, plan.headers().contentType()));
    metrics.recordEncryption(
        "encrypt",
        plan.session().algorithm().configName(),
        plan.session().plaintextSize(),
        System.nanoTime() - started,
        true);
    auditKey(exchange, plan.storedMetadata());
    if (multipartState != null) {
      multipartState.forgetIndex(s3.bucket(), s3.key());
    }
    // The plaintext was read to its end (and so fully verified) before the last ciphertext byte.
    String etag = "\"" + plan.session().plaintextEtag() + "\"";
    if (plan.etagAfterUpload()) {
      recordEtag(s3, plan, r.eTag(), acl);
    }
    S3Response response =
        S3Response.status(200).header("ETag", etag).header("x-amz-version-id", r.versionId());
    plan.answeredChecksum().ifPresent(c -> c.writeTo(response));
    exchange.setProperty(S3Response.PROPERTY, response);
  }

  /**
   * Adds the authenticated ETag entry (and the client's trailing checksum) with a metadata-only
   * copy of the object onto itself. Only if the backend object is still the one just written
   * (copy-source-if-match): a concurrent writer's object is never given this ETag. If this fails,
   * the object stays readable with a non-MD5 ETag. The copy asks for the object's ACL again: S3
   * gives a copy the default ACL otherwise.
   */
  void recordEtag(S3Request s3, UploadPlan plan, String backendEtag, AclHeaders acl) {
    Map<String, String> metadata = new LinkedHashMap<>(plan.storedMetadata());
    metadata.putAll(plan.metadataAfterUpload());
    CopyObjectRequest.Builder c =
        CopyObjectRequest.builder()
            .sourceBucket(s3.bucket())
            .sourceKey(s3.key())
            .destinationBucket(s3.bucket())
            .destinationKey(s3.key())
            .copySourceIfMatch(backendEtag)
            .metadataDirective(MetadataDirective.REPLACE);
    BackendHeaders.apply(plan.headers(), metadata, c);
    acl.applyToObject(c::acl, c::grantFullControl, c::grantRead, c::grantReadACP, c::grantWriteACP);
    try {
      backend.s3().copyObject(c.build());
    } catch (RuntimeException e) {
      LOG.warn(
          "request {}: could not record the plaintext ETag of {}: {}",
          s3.requestId(),
          s3.resource(),
          e.getMessage());
    }
  }

  /**
   * A request body the SDK can read once. A second read (a retry) fails loudly instead of sending a
   * partial or empty body.
   */
  static RequestBody oneShot(InputStream body, long length, String contentType) {
    AtomicBoolean used = new AtomicBoolean();
    return RequestBody.fromContentProvider(
        () -> {
          if (used.getAndSet(true)) {
            throw new IllegalStateException("a streamed request body cannot be sent twice");
          }
          return body;
        },
        length,
        contentType == null ? "binary/octet-stream" : contentType);
  }

  // ---- DeleteObject

  /**
   * The backend request, with the version and governance bypass the client named. Deleting one
   * version deletes the gateway's records of that version too: they are found now, while its
   * metadata can still be read.
   */
  public void deleteObjectRequest(Exchange exchange) {
    S3Request s3 = request(exchange);
    String versionId = RequestedVersion.of(s3);
    if (versionId != null && versionDeletion != null) {
      exchange.setProperty(
          DELETED_RECORDS, versionDeletion.recordsOf(s3.bucket(), s3.key(), versionId));
    }
    exchange
        .getIn()
        .setBody(
            DeleteObjectRequest.builder()
                .bucket(s3.bucket())
                .key(s3.key())
                .versionId(versionId)
                .bypassGovernanceRetention(GovernanceBypass.requested(s3) ? Boolean.TRUE : null)
                .build());
  }

  /** The backend DELETE (camel-aws2-s3 would drop its answer: the version and delete marker). */
  public void deleteObject(Exchange exchange) {
    DeleteObjectRequest request = exchange.getIn().getBody(DeleteObjectRequest.class);
    exchange.getIn().setBody(backend.s3().deleteObject(request));
  }

  /**
   * What goes with the object: a deleted version's own records; in an unversioned bucket the key's
   * records. A delete marker (a versioned bucket, no version named) removes nothing, so no record
   * goes: every version stays readable.
   */
  public void deleteObjectResponse(Exchange exchange) {
    S3Request s3 = request(exchange);
    DeleteObjectResponse r = exchange.getIn().getBody(DeleteObjectResponse.class);
    boolean marker = r != null && Boolean.TRUE.equals(r.deleteMarker());
    String version = r == null ? null : r.versionId();
    VersionDeletion.Pending records =
        exchange.getProperty(DELETED_RECORDS, VersionDeletion.Pending.class);
    if (records != null) {
      versionDeletion.deleteRecords(s3.bucket(), s3.key(), records, GovernanceBypass.requested(s3));
    } else if (multipartState != null && !marker && RequestedVersion.pin(version) == null) {
      // Unversioned: a multipart object's indexes go with it (one LIST finds none for others).
      multipartState.deleteIndexes(s3.bucket(), s3.key());
    }
    exchange.setProperty(
        S3Response.PROPERTY,
        S3Response.status(204)
            .header("x-amz-delete-marker", marker ? "true" : null)
            .header("x-amz-version-id", version));
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
    S3Request s3 = exchange.getProperty(S3Request.PROPERTY, S3Request.class);
    if (s3 == null) {
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "request was not parsed");
    }
    return s3;
  }

  /**
   * The ACL headers a write forwards with its backend write ({@code rejectUnsupported} keeps them
   * when ACLs are forwarded); none otherwise.
   */
  static AclHeaders acl(Exchange exchange) {
    AclHeaders acl = exchange.getProperty(AclHeaders.PROPERTY, AclHeaders.class);
    return acl == null ? AclHeaders.NONE : acl;
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
