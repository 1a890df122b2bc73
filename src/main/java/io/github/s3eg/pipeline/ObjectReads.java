package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.SegmentLayout;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.ops.GatewayMetrics;
import io.github.s3eg.pipeline.CiphertextLocator.Located;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import io.github.s3eg.versions.DeleteMarkers;
import java.util.Optional;
import org.apache.camel.Exchange;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/**
 * The steps of GetObject and HeadObject around the backend reads:
 *
 * <ul>
 *   <li>{@code planRead}: the backend GET of whole ciphertext segments covering the client's range,
 *       planned under the configured layout (or on a cached part index) so that a ranged read is
 *       one backend request; {@code plannedRangeFailed} when the backend refused it;
 *   <li>{@code headObjectRequest}: the backend HEAD;
 *   <li>{@code resolveKey}: the stored object's metadata verified and its data key unwrapped for
 *       this bucket and key ({@link ObjectKey});
 *   <li>{@code locateCiphertext}: what else the key needs to read ({@link CiphertextLocator}), one
 *       {@code backend:getObject} at a time;
 *   <li>{@code decrypt}: the plaintext ({@link Decryption});
 *   <li>{@code getObjectResponse} and {@code headObjectResponse}: the S3 answer.
 * </ul>
 */
public final class ObjectReads {

  private final DecryptObject keys;
  private final SegmentLayout layout;
  private final MultipartState multipart;
  private final GatewayMetrics metrics;
  private final DeleteMarkers deleteMarkers;
  private final CiphertextLocator.OlderIndexes olderIndexes;

  /**
   * @param deleteMarkers explains a read's 404 that met a delete marker, as S3 answers it (null:
   *     never)
   * @param olderVersions finds a version's missing part index among the older versions of its name
   *     (null: never)
   */
  public ObjectReads(
      DecryptObject keys,
      SegmentLayout layout,
      MultipartState multipart,
      GatewayMetrics metrics,
      DeleteMarkers deleteMarkers,
      io.github.s3eg.versions.VersionRecords olderVersions) {
    this.keys = keys;
    this.layout = layout;
    this.multipart = multipart;
    this.metrics = metrics;
    this.deleteMarkers = deleteMarkers;
    this.olderIndexes =
        olderVersions == null
            ? null
            : (bucket, name, opened) -> olderVersions.read(bucket, name, opened.header().encode());
  }

  /**
   * S3's answer for a read whose backend answer was 404 because it met a delete marker (405 for a
   * version that is one, 404 with {@code x-amz-delete-marker} for a current one), else {@code
   * failure} as it is. The look-up is a backend request inside the step (docs/customizing.md).
   */
  Exception deleteMarkerOr(S3Request s3, String method, Exception failure) {
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

  // ---- planRead, plannedRangeFailed, headObjectRequest

  /** The GET of whole segments that cover the client's range, in one request. */
  GetObjectRequest planRead(RequestState state) {
    S3Request s3 = state.request();
    ReadPlan plan = ReadPlan.of(s3.header("Range"), layout);
    if (plan.backendRange() != null) {
      plan = multipartPlan(s3).orElse(plan);
    }
    state.recordReadPlan(plan);
    return GetObjectRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .versionId(RequestedVersion.of(s3))
        .range(plan.backendRange())
        .build();
  }

  /**
   * A ranged read of an object this instance knows to be multipart (its index is cached: it was
   * completed, read or listed here) is planned on the part table, so the one backend GET fetches
   * exactly the covering segments. {@code locateCiphertext} verifies the index and reads again if
   * the object changed since.
   */
  private Optional<ReadPlan> multipartPlan(S3Request s3) {
    return multipart
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
   * the plan assumed, so a satisfiable client range can be planned past its end (416): its first
   * byte is read instead (for the headers and the size), and {@code locateCiphertext} reads the
   * range through the frame index. Anything else (or a client's own range) is rethrown.
   */
  GetObjectRequest plannedRangeFailed(RequestState state, Exception failure) throws Exception {
    ReadPlan plan = state.readPlan();
    boolean plannedRangeTooFar =
        failure instanceof software.amazon.awssdk.services.s3.model.S3Exception e
            && e.statusCode() == 416
            && plan != null
            && plan.backendRange() != null;
    if (!plannedRangeTooFar) {
      throw deleteMarkerOr(state.request(), "GET", failure);
    }
    S3Request s3 = state.request();
    return GetObjectRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .versionId(RequestedVersion.of(s3))
        .range("bytes=0-0")
        .build();
  }

  static HeadObjectRequest headObjectRequest(RequestState state) {
    S3Request s3 = state.request();
    return HeadObjectRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .versionId(RequestedVersion.of(s3))
        .build();
  }

  // ---- resolveKey, locateCiphertext, decrypt

  ObjectKey resolveKey(RequestState state) throws CryptoException {
    StoredObject stored = state.storedObject();
    return keys.resolve(stored.bucket(), stored.key(), stored.metadata());
  }

  /**
   * One turn of the search: the first time, from the stored object's first answer; then with the
   * answer to the read it asked for ({@code answer}). Returns the next read, or null once located.
   */
  GetObjectRequest locate(RequestState state, Object answer) throws Exception {
    CiphertextLocator locator = state.locator();
    if (locator == null) {
      StoredObject stored = state.storedObject();
      ReadPlan plan = state.readPlan();
      locator =
          new CiphertextLocator(
              state.key(),
              stored,
              state.request().header("Range"),
              plan != null && plan.backendRange() != null,
              multipart,
              state::release,
              checksumWanted(state),
              olderIndexes);
      state.startLocating(locator);
    } else if (locator.next() != null) {
      @SuppressWarnings("unchecked")
      ResponseInputStream<GetObjectResponse> in = (ResponseInputStream<GetObjectResponse>) answer;
      locator.accept(in);
    }
    if (locator.next() == null) {
      locator.checksumRecord().ifPresent(state::recordMultipartChecksum);
      state.provideLocated(locator.located());
    }
    return locator.next();
  }

  /**
   * Whether a multipart object's checksum record is read: for GetObjectAttributes when it asks for
   * the checksum or the parts; for GET and HEAD when the client asks for the checksum ({@code
   * x-amz-checksum-mode: ENABLED}) of the whole object, as S3 shows it only then.
   */
  private static boolean checksumWanted(RequestState state) {
    S3Request s3 = state.request();
    if ("GetObjectAttributes".equals(state.operation())) {
      return ObjectAttributes.needsChecksumRecord(s3);
    }
    return ObjectChecksum.requested(s3) && s3.header("Range") == null;
  }

  /**
   * The checksum a GET or HEAD shows: only when the client asks ({@code x-amz-checksum-mode:
   * ENABLED}) for the whole object, as S3 does; a multipart object's from its checksum record, a
   * single PUT's from its authenticated metadata.
   */
  static Optional<ObjectChecksum> shownChecksum(RequestState state, OpenedObject opened) {
    S3Request s3 = state.request();
    if (!ObjectChecksum.requested(s3) || s3.header("Range") != null) {
      return Optional.empty();
    }
    ObjectChecksum multipart = state.multipartChecksumOrNull();
    if (multipart != null) {
      return Optional.of(multipart);
    }
    return opened == null ? Optional.empty() : opened.checksum().map(ObjectChecksum::of);
  }

  AuthenticatedPlaintext decrypt(RequestState state) throws Exception {
    if (state.located() instanceof Located.S3ec s3ec) {
      return keys.s3ecReads().readLocated(state.request(), s3ec, state::release);
    }
    return Decryption.decrypt(state.key(), state.located(), state::release);
  }

  // ---- the answers

  /** Conditions against the plaintext ETag, headers, 200/206, and the plaintext stream. */
  S3Response getObjectResponse(RequestState state) {
    S3Request s3 = state.request();
    StoredObject stored = state.storedObject();
    boolean s3ec = state.key().s3ecOrNull() != null;
    OpenedObject opened = s3ec ? null : state.key().openedOrNull();
    AuthenticatedPlaintext body = state.plaintext();
    String etag = body.etag() != null ? body.etag() : ObjectOperations.etag(opened, stored.eTag());
    try {
      Preconditions.check(s3, etag, stored.lastModified());
    } catch (S3Exception e) {
      body.release();
      throw e;
    }
    S3Response response =
        ObjectOperations.objectAnswer(
                body.range() != null ? 206 : 200, s3, stored.headers(), etag, stored.lastModified())
            .header("Content-Range", body.range() == null ? null : body.range().contentRange());
    stored.writeVersionHeaders(response);
    if (body.range() == null) {
      shownChecksum(state, opened).ifPresent(c -> c.writeTo(response));
    }
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
    ObjectOperations.auditKey(state, stored.metadata());
    return response;
  }

  static S3Response headObjectResponse(RequestState state) {
    S3Request s3 = state.request();
    StoredObject stored = state.storedObject();
    if (!(state.located() instanceof Located.Described described)) {
      throw new IllegalStateException("a HeadObject located a body to read");
    }
    S3Response response =
        ObjectOperations.headAnswer(
            s3,
            stored.headers(),
            described.etag(),
            stored.lastModified(),
            described.plaintextSize());
    stored.writeVersionHeaders(response);
    if (s3.header("Range") == null && state.key().s3ecOrNull() == null) {
      shownChecksum(state, state.key().openedOrNull()).ifPresent(c -> c.writeTo(response));
    }
    return response;
  }

  // ---- the steps

  Step planReadStep() {
    return Step.named("planRead")
        .callsBackend()
        .does((state, exchange) -> exchange.getIn().setBody(planRead(state)));
  }

  Step plannedRangeFailedStep() {
    return Step.named("plannedRangeFailed")
        .callsBackend()
        .does(
            (state, exchange) ->
                exchange
                    .getIn()
                    .setBody(
                        plannedRangeFailed(
                            state,
                            exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))));
  }

  static Step headObjectRequestStep() {
    return Step.named("headObjectRequest")
        .callsBackend()
        .does((state, exchange) -> exchange.getIn().setBody(headObjectRequest(state)));
  }

  Step resolveKeyStep() {
    return Step.named("resolveKey")
        .requires(Fact.AUTHENTICATED, Fact.STORED_OBJECT)
        .provides(Fact.DATA_KEY)
        .does((state, exchange) -> state.provideKey(resolveKey(state)));
  }

  Step locateStep() {
    return Step.named("locateCiphertext")
        .callsBackend()
        .requires(Fact.DATA_KEY, Fact.STORED_OBJECT)
        .provides(Fact.CIPHERTEXT_LOCATED)
        .does(
            (state, exchange) ->
                exchange.getIn().setBody(locate(state, exchange.getIn().getBody())));
  }

  /** After a failed backend HEAD: S3's answer when it met a delete marker, else the failure. */
  Step readFailedStep() {
    return Step.named("readFailed")
        .callsBackend()
        .alwaysFails()
        .does(
            (state, exchange) -> {
              throw deleteMarkerOr(
                  state.request(),
                  state.request().method(),
                  exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
            });
  }

  Step decryptStep() {
    return Step.named("decrypt")
        .requires(Fact.DATA_KEY, Fact.CIPHERTEXT_LOCATED)
        .provides(Fact.PLAINTEXT)
        .does((state, exchange) -> state.providePlaintext(decrypt(state)));
  }

  Step getObjectResponseStep() {
    return Step.named("getObjectResponse")
        .requires(Fact.PLAINTEXT, Fact.STORED_OBJECT)
        .provides(Fact.RESPONSE)
        .does((state, exchange) -> state.respond(getObjectResponse(state)));
  }

  static Step headObjectResponseStep() {
    return Step.named("headObjectResponse")
        .requires(Fact.CIPHERTEXT_LOCATED, Fact.STORED_OBJECT)
        .provides(Fact.RESPONSE)
        .does((state, exchange) -> state.respond(headObjectResponse(state)));
  }
}
