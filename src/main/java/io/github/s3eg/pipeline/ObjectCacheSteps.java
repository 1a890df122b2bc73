package io.github.s3eg.pipeline;

import io.github.s3eg.cache.CachedObject;
import io.github.s3eg.cache.Capture;
import io.github.s3eg.cache.ObjectCache;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The {@link ObjectCache} as route steps ({@code objectCache} in {@code objects.yaml}):
 *
 * <ul>
 *   <li>{@code lookup}, first in GetObject and HeadObject: a cached copy goes to the exchange
 *       property {@value #HIT} (the route's {@code choice} then skips the backend); on a miss a
 *       fill ticket is taken, before the backend read.
 *   <li>{@code respond}: the answer from the cached copy, with the same range, condition and header
 *       code as the backend path ({@link ByteRange}, {@link Preconditions}, {@link
 *       ObjectOperations#objectAnswer}), so that both answer alike.
 *   <li>{@code fill}, last in GetObject: a whole, small, encrypted object's plaintext is copied as
 *       it streams to the client and stored when the response ended after every byte was read and
 *       authenticated. Ranged answers and unencrypted objects are never stored.
 *   <li>{@code invalidate}: around every write of the request's object.
 * </ul>
 *
 * <p>Authentication and authorization run in {@code s3-api} before any of these steps.
 */
public final class ObjectCacheSteps {

  private final ObjectCache cache;

  public ObjectCacheSteps(ObjectCache cache) {
    this.cache = cache;
  }

  public void lookup(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    // A part of a multipart object is not the object; the cache holds current objects only.
    if (!cache.enabled() || s3.has("partNumber") || s3.has(RequestedVersion.PARAMETER)) {
      return;
    }
    Optional<CachedObject> hit = cache.get(s3.bucket(), s3.key());
    RequestState state = RequestStates.of(exchange);
    if (hit.isPresent()) {
      state.recordCacheHit(hit.get());
    } else {
      state.recordCacheTicket(cache.ticket(s3.bucket(), s3.key()));
    }
  }

  /** GetObject or HeadObject from the cached copy, as the backend path would answer them. */
  public void respond(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    CachedObject cached = RequestStates.of(exchange).cacheHit();
    if (cached == null) {
      throw new MissingStepException(Fact.RESPONSE, "step 'cacheRespond' (no cached copy)");
    }
    if ("HEAD".equals(s3.method())) {
      S3Response head =
          ObjectOperations.headAnswer(
              s3, cached.headers(), cached.etag(), cached.lastModified(), cached.size());
      showChecksum(s3, cached, head);
      RequestStates.of(exchange).respond(head);
      return;
    }
    // The range before the conditions: the backend path resolves it in its decrypt step.
    Optional<ByteRange> range = ByteRange.resolve(s3.header("Range"), cached.size());
    Preconditions.check(s3, cached.etag(), cached.lastModified());
    long first = range.map(ByteRange::first).orElse(0L);
    long length = range.map(ByteRange::length).orElse(cached.size());
    S3Response response =
        ObjectOperations.objectAnswer(
                range.isPresent() ? 206 : 200,
                s3,
                cached.headers(),
                cached.etag(),
                cached.lastModified())
            .header("Content-Range", range.map(ByteRange::contentRange).orElse(null));
    if (range.isEmpty()) {
      showChecksum(s3, cached, response);
    }
    response.stream(
        new ByteArrayInputStream(cached.plaintext(), (int) first, (int) length), length, () -> {});
    if (cached.keyReference() != null) {
      ObjectOperations.auditKey(exchange, Map.of(ObjectMetadata.KEK, cached.keyReference()));
    }
    RequestStates.of(exchange).respond(response);
  }

  private static void showChecksum(S3Request s3, CachedObject cached, S3Response response) {
    if (cached.checksum() != null && ObjectChecksum.requested(s3) && s3.header("Range") == null) {
      cached.checksum().writeTo(response);
    }
  }

  /** After getObjectResponse: captures a whole small encrypted object on its way out. */
  @SuppressWarnings("unchecked")
  public void fill(Exchange exchange) {
    RequestState state = RequestStates.of(exchange);
    ObjectCache.Ticket ticket = state.cacheTicket();
    S3Response response = state.responseOrNull();
    AuthenticatedPlaintext body = state.plaintextOrNull();
    // Only the gateway's own encrypted objects are cached (not S3 Encryption Client ones).
    OpenedObject opened =
        body == null || state.key().s3ecOrNull() != null ? null : state.key().openedOrNull();
    if (ticket == null
        || response == null
        || response.status() != 200
        || response.stream() == null
        || opened == null
        || body == null
        || body.range() != null) {
      return;
    }
    S3Request s3 = ObjectOperations.request(exchange);
    ObjectChecksum checksum =
        opened.isMultipart()
            ? state.multipartChecksumOrNull()
            : opened.checksum().map(ObjectChecksum::of).orElse(null);
    if (opened.isMultipart() && !ObjectChecksum.requested(s3)) {
      // Its checksum (in a record beside it) was not read: a cached copy could not show it.
      return;
    }
    Optional<Capture> capture = cache.capture(response.stream(), response.streamLength());
    if (capture.isEmpty()) {
      return;
    }
    StoredObject stored = state.storedObject();
    HttpExchange http = state.http();
    String etag = ObjectOperations.etag(opened, stored.eTag());
    Pending pending =
        new Pending(
            stored.headers(),
            etag,
            stored.lastModified(),
            stored.metadata().get(ObjectMetadata.KEK),
            checksum);
    AutoCloseable release = response.streamRelease();
    response.stream(
        capture.get(),
        response.streamLength(),
        () -> {
          // Read to the end first: it authenticates the last segment, before the source goes.
          Optional<byte[]> plaintext = capture.get().finish();
          try {
            release.close();
          } finally {
            // ended(): the sender wrote every byte and ended the response (no client abort).
            if (plaintext.isPresent() && http != null && http.response().ended()) {
              cache.commit(ticket, pending.with(plaintext.get()));
            }
          }
        });
  }

  /** Around a write of the request's object: see {@link ObjectCache#invalidate}. */
  public void invalidate(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    cache.invalidate(s3.bucket(), s3.key());
  }

  /** What a fill knows before the plaintext has gone through. */
  private record Pending(
      ObjectHeaders headers,
      String etag,
      Instant lastModified,
      String keyReference,
      ObjectChecksum checksum) {

    CachedObject with(byte[] plaintext) {
      return new CachedObject(plaintext, headers, etag, lastModified, keyReference, checksum);
    }
  }
}
