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
import io.github.s3eg.ops.GatewayMetrics;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
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

  private final BackendClients backend;
  private final DecryptObject decryption;
  private final SegmentLayout layout;
  private final GatewayMetrics metrics;
  private MultipartState multipartState;

  /** Deleting an object also deletes its multipart index, kept in {@code state}. */
  public void deleteIndexesIn(MultipartState state) {
    this.multipartState = state;
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
        RequestState.of(exchange).auditKey(ref.id(), String.valueOf(ref.version()));
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
    RequestState.of(exchange).recordReadPlan(plan);
    exchange
        .getIn()
        .setBody(
            GetObjectRequest.builder()
                .bucket(s3.bucket())
                .key(s3.key())
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
    ReadPlan plan = RequestState.of(exchange).readPlan();
    boolean plannedRangeTooFar =
        failure instanceof software.amazon.awssdk.services.s3.model.S3Exception e
            && e.statusCode() == 416
            && plan != null
            && plan.kind() != ReadPlan.Kind.PLAINTEXT
            && plan.backendRange() != null;
    if (!plannedRangeTooFar) {
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
                        .range("bytes=0-0")
                        .build()));
  }

  private boolean isPlaintext(S3Request s3) {
    Map<String, String> metadata =
        backend
            .s3()
            .headObject(HeadObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).build())
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
    RequestState state = RequestState.of(exchange);
    OpenedObject opened = state.key().openedOrNull();
    AuthenticatedPlaintext body = state.plaintext();
    String etag = body.etag() != null ? body.etag() : etag(opened, r.eTag());
    try {
      Preconditions.check(s3, etag, r.lastModified());
    } catch (S3Exception e) {
      body.release();
      throw e;
    }
    S3Response response =
        objectAnswer(body.range() != null ? 206 : 200, s3, clientHeaders(r), etag, r.lastModified())
            .header("Content-Range", body.range() == null ? null : body.range().contentRange());
    long started = System.nanoTime();
    String algorithm = opened == null ? "none" : opened.algorithm().configName();
    response.stream(
        body.stream(),
        body.length(),
        () -> {
          body.release();
          if (opened != null) {
            metrics.recordEncryption(
                "decrypt", algorithm, body.length(), System.nanoTime() - started, true);
          }
        });
    auditKey(exchange, r.metadata());
    state.respond(response);
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
    HeadObjectResponse r =
        backend
            .s3()
            .headObject(HeadObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).build());
    Optional<OpenedObject> opened = decryption.resolve(s3.bucket(), s3.key(), r.metadata()).opened();
    String etag;
    long size;
    if (opened.isPresent() && opened.get().isMultipart()) {
      MultipartIndexes.Loaded loaded =
          decryption
              .multipartIndexes()
              .load(opened.get(), s3.bucket(), s3.key(), r.contentLength(), r.eTag());
      etag = "\"" + loaded.etag() + "\"";
      size = loaded.index().plaintextSize();
    } else {
      etag = etag(opened.orElse(null), r.eTag());
      size = opened.isPresent() ? opened.get().plaintextSize(r.contentLength()) : r.contentLength();
    }
    Preconditions.check(s3, etag, r.lastModified());
    ObjectHeaders headers =
        clientHeaders(
            r.contentType(),
            r.contentEncoding(),
            r.contentDisposition(),
            r.contentLanguage(),
            r.cacheControl(),
            r.expiresString(),
            r.metadata());
    RequestState.of(exchange)
        .respond(
            objectAnswer(200, s3, headers, etag, r.lastModified())
                .header("Content-Length", Long.toString(size)));
  }

  // ---- PutObject

  /** Streams the encrypted body to the backend with its exact length. */
  public void putObject(Exchange exchange) {
    RequestState state = RequestState.of(exchange);
    S3Request s3 = state.request();
    if (!(state.ciphertext() instanceof EncryptedUpload.Whole plan)) {
      throw new MissingStepException(Fact.CIPHERTEXT, "step 'putObject'");
    }
    PutObjectRequest.Builder b =
        PutObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).contentLength(plan.length());
    applyHeaders(
        plan.headers(),
        plan.storedMetadata(),
        b::contentType,
        b::contentEncoding,
        b::contentDisposition,
        b::contentLanguage,
        b::cacheControl,
        b::metadata);
    if (plan.headers().expires() != null) {
      b.expires(Preconditions.parseHttpDate(plan.headers().expires()));
    }
    long started = System.nanoTime();
    PutObjectResponse r =
        backend
            .uploads()
            .putObject(
                b.build(),
                oneShot(plan.stream(), plan.length(), plan.headers().contentType()));
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
      recordEtag(s3, plan.headers(), plan.storedMetadata(), plan.session(), r.eTag());
    }
    state.respond(S3Response.status(200).header("ETag", etag));
  }

  /**
   * Adds the authenticated ETag entry with a metadata-only copy of the object onto itself. Only if
   * the backend object is still the one just written (copy-source-if-match): a concurrent writer's
   * object is never given this ETag. If this fails, the object stays readable with a non-MD5 ETag.
   */
  void recordEtag(
      S3Request s3,
      ObjectHeaders headers,
      Map<String, String> storedMetadata,
      io.github.s3eg.crypto.EncryptionSession session,
      String backendEtag) {
    Map<String, String> metadata = new LinkedHashMap<>(storedMetadata);
    metadata.putAll(session.sealedTrailerMetadata());
    CopyObjectRequest.Builder c =
        CopyObjectRequest.builder()
            .sourceBucket(s3.bucket())
            .sourceKey(s3.key())
            .destinationBucket(s3.bucket())
            .destinationKey(s3.key())
            .copySourceIfMatch(backendEtag)
            .metadataDirective(MetadataDirective.REPLACE);
    applyHeaders(
        headers,
        metadata,
        c::contentType,
        c::contentEncoding,
        c::contentDisposition,
        c::contentLanguage,
        c::cacheControl,
        c::metadata);
    if (headers.expires() != null) {
      c.expires(Preconditions.parseHttpDate(headers.expires()));
    }
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

  static void applyHeaders(
      ObjectHeaders h,
      Map<String, String> metadata,
      java.util.function.Consumer<String> contentType,
      java.util.function.Consumer<String> contentEncoding,
      java.util.function.Consumer<String> contentDisposition,
      java.util.function.Consumer<String> contentLanguage,
      java.util.function.Consumer<String> cacheControl,
      java.util.function.Consumer<Map<String, String>> meta) {
    contentType.accept(h.contentType());
    contentEncoding.accept(h.contentEncoding());
    contentDisposition.accept(h.contentDisposition());
    contentLanguage.accept(h.contentLanguage());
    cacheControl.accept(h.cacheControl());
    meta.accept(metadata);
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

  public void deleteObjectRequest(Exchange exchange) {
    S3Request s3 = request(exchange);
    exchange
        .getIn()
        .setBody(DeleteObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).build());
    // camel-aws2-s3 reads the key header before it looks at the typed request.
    exchange.getIn().setHeader(AWS2S3Constants.KEY, s3.key());
  }

  public void deleteObjectResponse(Exchange exchange) {
    S3Request s3 = request(exchange);
    if (multipartState != null) {
      // A multipart object's index goes with it (a no-op delete for other objects).
      multipartState.deleteIndex(s3.bucket(), s3.key());
    }
    RequestState.of(exchange).respond(S3Response.status(204));
  }

  // ---- helpers

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
        r.metadata());
  }

  /** The headers a client sees: the gateway's own metadata entries are never shown. */
  static ObjectHeaders clientHeaders(
      String contentType,
      String contentEncoding,
      String contentDisposition,
      String contentLanguage,
      String cacheControl,
      String expires,
      Map<String, String> metadata) {
    Map<String, String> user = new LinkedHashMap<>();
    metadata.forEach(
        (k, v) -> {
          if (!ObjectMetadata.isCryptoEntry(k)) {
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
        user);
  }

  static S3Request request(Exchange exchange) {
    return RequestState.of(exchange).request();
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
