package io.github.s3eg.pipeline;

import io.github.s3eg.cache.CachedObject;
import io.github.s3eg.cache.ObjectCache;
import io.github.s3eg.crypto.Compression;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.http.RequestBodyStream;
import io.github.s3eg.ops.RequestListener;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.auth.Access;
import io.github.s3eg.s3.auth.AuthResult;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Everything one S3 request carries from step to step, in one typed object: the exchange property
 * {@value #PROPERTY}. Each slot is filled by the step that provides it and read through an accessor
 * that fails with {@link MissingStepException} when that step did not run, so that a deleted or
 * misplaced step is an error naming the step, never a null read as "not encrypted" or "nobody".
 *
 * <p>Routes may read it in expressions, e.g. {@code ${exchangeProperty.s3eg.operation}}; Java steps
 * get it with {@link RequestStates#of}. No public method of this class, or of a class its accessors
 * return, takes a parameter Camel's bean binding fills by type ({@code Exchange}, {@code Message},
 * {@code CamelContext}, …): Camel would then cache the bean information of each request's instance,
 * and its bean cache would keep the last thousand requests alive, with their buffers ({@code
 * ExpressionsDoNotPinRequestsTest}).
 */
public final class RequestState {

  /** The exchange property that holds the state. */
  public static final String PROPERTY = "s3eg";

  private final HttpExchange http;
  private final Set<Fact> facts = EnumSet.noneOf(Fact.class);

  private S3Request request;
  private String operation;
  private boolean open;
  private Authentication authentication;
  private String verifiedPrincipal;
  private java.util.List<Access> accesses = java.util.List.of();
  private java.util.List<String> deletedKeys;
  private RequestBodyStream wire;
  private RequestBody body;
  private Optional<Compression> compression;
  private EncryptedUpload ciphertext;
  private OpenedObject upload;
  private ObjectKey key;
  private AuthenticatedPlaintext plaintext;
  private ReadPlan readPlan;
  private MultipartSteps.Work multipart;
  private CopySteps.Work copy;
  private RecordListing listing;
  private final java.util.List<AutoCloseable> onDone = new java.util.ArrayList<>(1);
  private StoredObject storedObject;
  private CiphertextLocator locator;
  private CiphertextLocator.Located located;
  private io.github.s3eg.crypto.MultipartChecksumRecord multipartChecksum;
  private final java.util.Map<ResponseInputStream<?>, Boolean> streams =
      new java.util.IdentityHashMap<>();
  private S3Response response;
  private CachedObject cacheHit;
  private ObjectCache.Ticket cacheTicket;
  private String keyId;
  private String keyVersion;
  private String routedOperation;
  private final java.util.List<String> backendCalls = new java.util.ArrayList<>(2);
  private io.github.s3eg.backend.WriteCondition writeCondition;
  private ConditionalWrites.Check writeConditionCheck;
  private io.github.s3eg.s3.AclHeaders acl = io.github.s3eg.s3.AclHeaders.NONE;
  private io.github.s3eg.versions.VersionDeletion.Pending deletedVersion;
  private software.amazon.awssdk.services.s3.model.DeleteObjectResponse deleteAnswer;
  private Object operationState;
  private BucketFeatureLookup.Turn featureLookup;

  RequestState(HttpExchange http) {
    this.http = http;
  }

  // ---- what every request has

  public HttpExchange http() {
    return http;
  }

  public String requestId() {
    return http.requestId();
  }

  /** Whether {@code fact} was provided (by a step, or a value accessor's slot). */
  public boolean has(Fact fact) {
    return facts.contains(fact);
  }

  /**
   * Fails with {@link MissingStepException} unless {@code fact} was provided.
   *
   * @param step the step that needs it, for the message
   */
  public void require(Fact fact, String step) {
    if (!facts.contains(fact)) {
      throw new MissingStepException(fact, "step '" + step + "'");
    }
  }

  /**
   * Fails unless the request's signature was verified: a browser upload's form is verified by
   * {@code readForm}, and until then nothing may reach the backend.
   *
   * @param where the step or endpoint that needs it, for the message
   */
  public void requireSigned(String where) {
    if (authentication != null && authentication.formPending()) {
      throw new MissingStepException(
          Fact.AUTHENTICATED,
          where + " (a browser upload's form signature must be verified first, by 'readForm')");
    }
  }

  /** Records a fact that carries no value (rate limited, cache invalidated, request checked). */
  public void provide(Fact fact) {
    facts.add(fact);
  }

  private <T> T get(T value, Fact fact) {
    if (value == null || !facts.contains(fact)) {
      throw new MissingStepException(fact);
    }
    return value;
  }

  private void set(Fact fact, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(fact + " needs a value");
    }
    facts.add(fact);
  }

  // ---- rejectUnsupported: the ACL headers a write forwards

  /**
   * The ACL headers the request's backend write carries ({@code rejectUnsupported} keeps them when
   * ACLs are forwarded, {@code SUBRESOURCES_FORWARDED}); none otherwise.
   */
  public io.github.s3eg.s3.AclHeaders acl() {
    return acl;
  }

  void keepAcl(io.github.s3eg.s3.AclHeaders acl) {
    this.acl = acl == null ? io.github.s3eg.s3.AclHeaders.NONE : acl;
  }

  // ---- bucketFeatures

  BucketFeatureLookup.Turn featureLookup() {
    return featureLookup;
  }

  void startFeatureLookup(BucketFeatureLookup.Turn turn) {
    this.featureLookup = turn;
  }

  // ---- DeleteObject of a version

  /** The records of the version a DELETE names, found before it goes (null: none named). */
  io.github.s3eg.versions.VersionDeletion.Pending deletedVersionOrNull() {
    return deletedVersion;
  }

  void recordDeletedVersion(io.github.s3eg.versions.VersionDeletion.Pending pending) {
    this.deletedVersion = pending;
  }

  /** The backend's DeleteObject answer (its version, its delete marker), or null. */
  software.amazon.awssdk.services.s3.model.DeleteObjectResponse deleteAnswerOrNull() {
    return deleteAnswer;
  }

  void recordDeleteAnswer(software.amazon.awssdk.services.s3.model.DeleteObjectResponse answer) {
    this.deleteAnswer = answer;
  }

  /**
   * What an operation's own steps keep between them (a browser upload's form, a forwarded
   * configuration document), typed by the steps that read it.
   */
  <T> T operationState(Class<T> type, String providedBy, String step) {
    if (!type.isInstance(operationState)) {
      throw new MissingStepException(
          Fact.RESPONSE, "step '" + step + "' (it needs what '" + providedBy + "' provides)");
    }
    return type.cast(operationState);
  }

  void keepOperationState(Object value) {
    this.operationState = value;
  }

  // ---- checkWriteConditions

  /** The check of the write's conditions in progress (between its backend reads), or null. */
  ConditionalWrites.Check writeConditionCheck() {
    return writeConditionCheck;
  }

  void beginWriteConditionCheck(ConditionalWrites.Check check) {
    this.writeConditionCheck = check;
  }

  /** The write's If-None-Match / If-Match, checked; what the backend write must carry. */
  void provideWriteCondition(io.github.s3eg.backend.WriteCondition condition) {
    set(Fact.WRITE_CHECKED, condition);
    this.writeCondition = condition;
  }

  /** The condition the request's backend write carries ({@code WriteCondition.NONE}: none). */
  public io.github.s3eg.backend.WriteCondition writeCondition() {
    return get(writeCondition, Fact.WRITE_CHECKED);
  }

  // ---- parseRequest

  /** The parsed request. */
  public S3Request request() {
    return get(request, Fact.PARSED);
  }

  /** The parsed request, or null when parsing failed or did not run (error and log paths). */
  public S3Request requestOrNull() {
    return request;
  }

  void parsed(S3Request request, String operation, boolean open) {
    set(Fact.PARSED, request);
    this.request = request;
    this.operation = operation;
    this.open = open;
  }

  /** The S3 operation ({@code PutObject}, …) the dispatch routes on; null when none matches. */
  public String operation() {
    return operation;
  }

  /**
   * True for the requests the gateway answers without a signature: the probes ({@code /live},
   * {@code /ready}, {@code /health}) and, with {@code METRICS_PUBLIC=true}, the metrics scrape.
   */
  public boolean open() {
    return open;
  }

  /** The probe this request asks for ({@code live}, {@code ready}, {@code health}), or null. */
  public String probe() {
    return request == null ? null : request.probe();
  }

  /** True for {@code GET /metrics} (exactly: no query), the Prometheus scrape. */
  public boolean scrape() {
    return request != null && ParseRequest.isScrape(request);
  }

  // ---- authenticate

  public Authentication authentication() {
    return get(authentication, Fact.AUTHENTICATED);
  }

  /** The authentication, or null when it failed or did not run (for logs and error paths). */
  public Authentication authenticationOrNull() {
    return authentication;
  }

  void authenticated(Authentication authentication) {
    set(Fact.AUTHENTICATED, authentication);
    this.authentication = authentication;
  }

  /**
   * A browser upload's form was verified ({@code readForm}): the request is now the PutObject the
   * form asks for, by the principal its policy was signed by.
   */
  void formVerified(S3Request put, Authentication signed) {
    if (authentication == null || !authentication.formPending() || signed.formPending()) {
      throw new IllegalStateException("not a browser upload whose form is pending");
    }
    this.request = put;
    this.authentication = signed;
  }

  /**
   * The signature was verified (authorization may still refuse): who sent the request and what it
   * touches, for the audit log. Not {@link Fact#AUTHENTICATED}: no step may rely on it.
   */
  void signatureVerified(AuthResult result, java.util.List<Access> accesses) {
    this.verifiedPrincipal = result.principal().accessKey();
    this.accesses = java.util.List.copyOf(accesses);
  }

  /** The keys a DeleteObjects document named, for the audit log. */
  void auditDeletedKeys(java.util.List<String> keys) {
    this.deletedKeys = java.util.List.copyOf(keys);
  }

  // ---- readRequestBody

  public RequestBody body() {
    return get(body, Fact.REQUEST_BODY);
  }

  /** Recorded as soon as reading begins, so that an error answer knows how much is left. */
  void bodyStarted(RequestBodyStream wire) {
    this.wire = wire;
  }

  void provideBody(RequestBody body) {
    set(Fact.REQUEST_BODY, body);
    this.body = body;
  }

  /** The request body as it arrives, once a step began reading it; else null. */
  public RequestBodyStream wire() {
    return wire;
  }

  // ---- compress, encrypt, encryptPart

  /** The compression chosen for this upload; empty when it is stored uncompressed. */
  public Optional<Compression> compression() {
    return get(compression, Fact.COMPRESSION_CHOSEN);
  }

  void provideCompression(Optional<Compression> chosen) {
    set(Fact.COMPRESSION_CHOSEN, chosen);
    this.compression = chosen;
  }

  /** What goes to the backend: ciphertext only {@code encrypt} or {@code encryptPart} made. */
  public EncryptedUpload ciphertext() {
    return get(ciphertext, Fact.CIPHERTEXT);
  }

  void provideCiphertext(EncryptedUpload upload) {
    set(Fact.CIPHERTEXT, upload);
    this.ciphertext = upload;
  }

  /** The multipart upload's opened record (its data key). */
  public OpenedObject upload() {
    return get(upload, Fact.UPLOAD_KEY);
  }

  void provideUpload(OpenedObject upload) {
    set(Fact.UPLOAD_KEY, upload);
    this.upload = upload;
  }

  // ---- resolveKey, decrypt

  public ObjectKey key() {
    return get(key, Fact.DATA_KEY);
  }

  void provideKey(ObjectKey key) {
    set(Fact.DATA_KEY, key);
    this.key = key;
  }

  public AuthenticatedPlaintext plaintext() {
    return get(plaintext, Fact.PLAINTEXT);
  }

  /**
   * The plaintext, or null if {@code decrypt} did not run (e.g. the answer came from the cache).
   */
  public AuthenticatedPlaintext plaintextOrNull() {
    return plaintext;
  }

  void providePlaintext(AuthenticatedPlaintext plaintext) {
    set(Fact.PLAINTEXT, plaintext);
    this.plaintext = plaintext;
  }

  /** The backend read planned before the object's metadata is known (GetObject). */
  ReadPlan readPlan() {
    return readPlan;
  }

  void recordReadPlan(ReadPlan plan) {
    this.readPlan = plan;
  }

  /** What a multipart request's steps learn on the way (created on first use). */
  MultipartSteps.Work multipart() {
    if (multipart == null) {
      multipart = new MultipartSteps.Work();
    }
    return multipart;
  }

  /** What a copy's steps learn on the way (created on first use). */
  public CopySteps.Work copy() {
    if (copy == null) {
      copy = new CopySteps.Work();
    }
    return copy;
  }

  /** The listing of the gateway's records this request's steps started, or null. */
  RecordListing listing() {
    return listing;
  }

  void startListing(RecordListing listing) {
    if (this.listing != null) {
      throw new IllegalStateException("a request lists one set of the gateway's records");
    }
    this.listing = listing;
  }

  /** Closed when the request ends, however it ended (spool files, …). */
  void onDone(AutoCloseable resource) {
    onDone.add(resource);
  }

  /** The backend's answer about the request's object (its first GET or HEAD). */
  public StoredObject storedObject() {
    return get(storedObject, Fact.STORED_OBJECT);
  }

  /** The backend's answer about the request's object, or null when none came. */
  public StoredObject storedObjectOrNull() {
    return storedObject;
  }

  CiphertextLocator locator() {
    return locator;
  }

  void startLocating(CiphertextLocator locator) {
    this.locator = locator;
  }

  /** What {@code locateCiphertext} found for {@code decrypt}. */
  CiphertextLocator.Located located() {
    return get(located, Fact.CIPHERTEXT_LOCATED);
  }

  void provideLocated(CiphertextLocator.Located located) {
    set(Fact.CIPHERTEXT_LOCATED, located);
    this.located = located;
  }

  /**
   * A multipart object's checksum record, as {@code locateCiphertext} read it when the client asked
   * for the checksum; null when not asked, or the object has none.
   */
  io.github.s3eg.crypto.MultipartChecksumRecord multipartChecksumRecordOrNull() {
    return multipartChecksum;
  }

  /** The object checksum of {@link #multipartChecksumRecordOrNull()}, or null. */
  io.github.s3eg.s3.checksum.ObjectChecksum multipartChecksumOrNull() {
    return multipartChecksum == null
        ? null
        : io.github.s3eg.s3.checksum.ObjectChecksum.of(multipartChecksum);
  }

  void recordMultipartChecksum(io.github.s3eg.crypto.MultipartChecksumRecord record) {
    this.multipartChecksum = record;
  }

  // ---- what the backend steps answered

  /**
   * Called by every backend step ({@code backend:…}, and camel-aws2-s3 endpoints) as it sends its
   * request: the metrics count backend requests per operation and call.
   */
  void backendCalled(String call) {
    backendCalls.add(call);
  }

  /** Called by every {@code backend:} step with its request and answer. */
  void backendAnswered(BackendCall call, Object request, Object answer) {
    switch (call) {
      case GET_OBJECT -> {
        if (answer instanceof ResponseInputStream<?> in) {
          streams.put(in, Boolean.FALSE);
          @SuppressWarnings("unchecked")
          ResponseInputStream<GetObjectResponse> get = (ResponseInputStream<GetObjectResponse>) in;
          GetObjectRequest r = (GetObjectRequest) request;
          if (storedObject == null && isRequestObject(r.bucket(), r.key())) {
            storedObject = StoredObject.of(r.bucket(), r.key(), get);
            facts.add(Fact.STORED_OBJECT);
          }
        }
      }
      case HEAD_OBJECT -> {
        HeadObjectRequest r = (HeadObjectRequest) request;
        if (answer != null && storedObject == null && isRequestObject(r.bucket(), r.key())) {
          storedObject = StoredObject.of(r.bucket(), r.key(), (HeadObjectResponse) answer);
          facts.add(Fact.STORED_OBJECT);
        }
      }
      case PUT_OBJECT, COPY_OBJECT, UPLOAD_PART, UPLOAD_PART_COPY, COMPLETE_MULTIPART_UPLOAD ->
          facts.add(Fact.STORED);
      case PUT_RECORD -> facts.add(Fact.RECORDED);
      case HEAD_BUCKET -> {
        // The request's own bucket was found (the answer of a missing one is NoSuchBucket).
        if (((software.amazon.awssdk.services.s3.model.HeadBucketRequest) request)
            .bucket()
            .equals(request().bucket())) {
          facts.add(Fact.BUCKET_FOUND);
        }
      }
      default -> {}
    }
  }

  private boolean isRequestObject(String bucket, String key) {
    return request != null && bucket.equals(request.bucket()) && key.equals(request.key());
  }

  /**
   * Gives a backend stream back: to the connection pool if it was read to its end, else aborted
   * (not drained). Each stream once; the rest are aborted when the request ends ({@link
   * #releaseStreams}).
   */
  void release(ResponseInputStream<?> stream) {
    if (stream != null && !Boolean.TRUE.equals(streams.put(stream, Boolean.TRUE))) {
      ObjectOperations.release(stream);
    }
  }

  /** When the request ends, however it ended: aborts the backend streams nobody gave back. */
  void releaseStreams() {
    for (AutoCloseable resource : onDone) {
      try {
        resource.close();
      } catch (Exception e) {
        // A temporary file the next cleaner removes; nothing for the client.
      }
    }
    onDone.clear();
    streams.forEach(
        (stream, released) -> {
          if (!released) {
            stream.abort();
          }
        });
    streams.clear();
  }

  // ---- the answer

  public S3Response response() {
    return get(response, Fact.RESPONSE);
  }

  public S3Response responseOrNull() {
    return response;
  }

  /** The operation's answer; the last step of {@code s3-api} sends it. */
  public void respond(S3Response response) {
    set(Fact.RESPONSE, response);
    this.response = response;
  }

  // ---- object cache

  /** A cached copy found by the cache lookup, or null. */
  public CachedObject cacheHit() {
    return cacheHit;
  }

  void recordCacheHit(CachedObject hit) {
    this.cacheHit = hit;
  }

  ObjectCache.Ticket cacheTicket() {
    return cacheTicket;
  }

  void recordCacheTicket(ObjectCache.Ticket ticket) {
    this.cacheTicket = ticket;
  }

  // ---- what the logs are told

  /** The id of the key that wrapped the object's data key (audit log), or null. */
  public String keyId() {
    return keyId;
  }

  public String keyVersion() {
    return keyVersion;
  }

  void auditKey(String id, String version) {
    this.keyId = id;
    this.keyVersion = version;
  }

  /** The operation route that handled the request (metrics, audit), or null. */
  public String routedOperation() {
    return routedOperation;
  }

  public void nameOperation(String name) {
    this.routedOperation = name;
  }

  /** What the request listeners (access log, metrics, audit) are told once it was answered. */
  RequestListener.Completed completed(int status, long bytes, String errorCode, boolean aborted) {
    return new RequestListener.Completed(
        http.requestId(),
        http.startNanos(),
        http.request().method().name(),
        request,
        verifiedPrincipal,
        routedOperation,
        keyId,
        keyVersion,
        status,
        bytes,
        errorCode,
        aborted,
        java.util.List.copyOf(backendCalls),
        accesses.stream().filter(a -> Access.SOURCE.equals(a.role())).findFirst().orElse(null),
        deletedKeys);
  }
}
