package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Authenticates SigV4 requests, header-signed and presigned: parse the claims, find the key, check
 * the time window, verify the signature, check that no {@code x-amz-*} header was slipped in
 * unsigned, and work out how the body is protected.
 *
 * <p>Time windows differ on purpose. A header-signed request must be within the clock skew of now
 * in both directions (S3's replay window). A presigned URL is valid from its {@code X-Amz-Date}
 * (less the skew, for clients whose clock runs ahead) until {@code X-Amz-Date + X-Amz-Expires},
 * however long ago it was made.
 */
final class SigV4Authenticator {

  private final CredentialStore store;
  private final Clock clock;
  private final Duration maxSkew;

  SigV4Authenticator(CredentialStore store, Clock clock, Duration maxSkew) {
    this.store = store;
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  AuthResult authenticateHeader(
      SignedRequest request, String authorization, QueryParameters query, AuthAttempt attempt) {
    SigV4Request claims = SigV4HeaderParser.parse(request, authorization, query);
    attempt.accessKey = claims.credential().accessKey();
    ClientCredential credential = lookup(claims);
    checkSkew(claims.requestTime());
    SigningContext context = SigV4Verifier.verify(request, claims, credential);
    checkAmzHeadersSigned(request, claims.signedHeaders());
    String payloadHash = claims.payloadHash();
    PayloadMode mode = PayloadHeader.classify(payloadHash).orElseThrow(PayloadHeader::invalid);
    return new AuthResult(
        credential.principal(),
        AuthMethod.SIGV4_HEADER,
        mode,
        mode == PayloadMode.SHA256 ? PayloadHeader.digest(payloadHash) : null,
        context);
  }

  AuthResult authenticatePresigned(
      SignedRequest request, QueryParameters query, AuthAttempt attempt) {
    SigV4QueryParser.Presigned presigned = SigV4QueryParser.parse(query);
    SigV4Request claims = presigned.claims();
    attempt.accessKey = claims.credential().accessKey();
    ClientCredential credential = lookup(claims);
    checkValidity(claims.requestTime(), presigned.lifetime());
    SigningContext context = SigV4Verifier.verify(request, claims, credential);
    checkAmzHeadersSigned(request, claims.signedHeaders());
    PayloadMode mode = PayloadMode.UNSIGNED;
    String digest = null;
    Optional<String> header = request.headers().first("x-amz-content-sha256").map(String::trim);
    if (header.isPresent()) {
      // Signed (checked above), so the client bound itself to it: honour it.
      mode = PayloadHeader.classify(header.get()).orElseThrow(PayloadHeader::invalid);
      if (mode.hasChunkSignatures()) {
        throw new S3Exception(
            S3ErrorCode.INVALID_REQUEST,
            "Signed aws-chunked payloads cannot be sent with a presigned URL.");
      }
      digest = mode == PayloadMode.SHA256 ? PayloadHeader.digest(header.get()) : null;
    }
    return new AuthResult(
        credential.principal(), AuthMethod.SIGV4_PRESIGNED, mode, digest, context);
  }

  private ClientCredential lookup(SigV4Request claims) {
    return store.find(claims.credential().accessKey()).orElseThrow(Authenticator::unknownAccessKey);
  }

  private void checkSkew(Instant requestTime) {
    Instant now = clock.instant();
    if (Duration.between(requestTime, now).abs().compareTo(maxSkew) > 0) {
      throw new S3Exception(
              S3ErrorCode.REQUEST_TIME_TOO_SKEWED,
              "The difference between the request time and the current time is too large.")
          .with("RequestTime", AmzDates.formatIsoBasic(requestTime))
          .with("ServerTime", AmzDates.formatIsoBasic(now))
          .with("MaxAllowedSkewMilliseconds", Long.toString(maxSkew.toMillis()));
    }
  }

  private void checkValidity(Instant signedAt, Duration lifetime) {
    Instant now = clock.instant();
    if (signedAt.isAfter(now.plus(maxSkew))) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request is not valid yet")
          .with("X-Amz-Date", AmzDates.formatIsoBasic(signedAt))
          .with("ServerTime", AmzDates.formatIsoBasic(now));
    }
    Instant expires = signedAt.plus(lifetime);
    if (now.isAfter(expires)) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
          .with("X-Amz-Expires", Long.toString(lifetime.toSeconds()))
          .with("Expires", AmzDates.formatIsoBasic(expires))
          .with("ServerTime", AmzDates.formatIsoBasic(now));
    }
  }

  /**
   * S3 refuses {@code x-amz-*} headers that are present but not signed: they change what a request
   * does (copy source, metadata, checksums), so an intermediary must not be able to add them.
   */
  static void checkAmzHeadersSigned(SignedRequest request, List<String> signedHeaders) {
    List<String> unsigned =
        request.headers().names().stream()
            .filter(n -> n.startsWith("x-amz-"))
            .filter(n -> !signedHeaders.contains(n.toLowerCase(Locale.ROOT)))
            .collect(Collectors.toList());
    if (!unsigned.isEmpty()) {
      throw new S3Exception(
              S3ErrorCode.ACCESS_DENIED,
              "There were headers present in the request which were not signed")
          .with("HeadersNotSigned", String.join(", ", unsigned));
    }
  }
}
