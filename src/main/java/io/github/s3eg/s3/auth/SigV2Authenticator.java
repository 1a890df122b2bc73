package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates legacy SigV2 requests: {@code Authorization: AWS <key>:<base64 HMAC-SHA1>} and
 * presigned {@code ?AWSAccessKeyId=…&Expires=…&Signature=…}. SigV2 signs neither the body nor the
 * region, which is why the gateway only accepts it when the operator turns it on.
 */
final class SigV2Authenticator {

  private final CredentialStore store;
  private final Clock clock;
  private final Duration maxSkew;
  private final Set<String> virtualHostDomains;

  SigV2Authenticator(
      CredentialStore store, Clock clock, Duration maxSkew, Set<String> virtualHostDomains) {
    this.store = store;
    this.clock = clock;
    this.maxSkew = maxSkew;
    this.virtualHostDomains = virtualHostDomains;
  }

  AuthResult authenticateHeader(
      SignedRequest request, String authorization, QueryParameters query, AuthAttempt attempt) {
    String credentials = authorization.substring("AWS ".length()).trim();
    int colon = credentials.lastIndexOf(':');
    if (colon <= 0 || colon == credentials.length() - 1) {
      throw new S3Exception(
          S3ErrorCode.INVALID_ARGUMENT,
          "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
    }
    String accessKey = credentials.substring(0, colon);
    String signature = credentials.substring(colon + 1);
    attempt.accessKey = accessKey;
    ClientCredential credential =
        store.find(accessKey).orElseThrow(Authenticator::unknownAccessKey);

    Optional<String> amzDate = request.headers().first("x-amz-date");
    Optional<String> date = request.headers().first("date");
    Instant time = amzDate.or(() -> date).flatMap(AmzDates::parseHttpDate).orElse(null);
    if (time == null) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED,
          "AWS authentication requires a valid Date or x-amz-date header");
    }
    Instant now = clock.instant();
    if (Duration.between(time, now).abs().compareTo(maxSkew) > 0) {
      throw new S3Exception(
              S3ErrorCode.REQUEST_TIME_TOO_SKEWED,
              "The difference between the request time and the current time is too large.")
          .with("RequestTime", date.or(() -> amzDate).orElse(""))
          .with("ServerTime", AmzDates.formatIsoBasic(now))
          .with("MaxAllowedSkewMilliseconds", Long.toString(maxSkew.toMillis()));
    }
    String dateLine = amzDate.isPresent() ? "" : date.orElseThrow().trim();
    String stringToSign =
        SigV2StringToSign.build(request, query, dateLine, virtualHostBucket(request));
    verify(credential, stringToSign, signature);
    return result(credential, request, AuthMethod.SIGV2_HEADER);
  }

  AuthResult authenticateQuery(SignedRequest request, QueryParameters query, AuthAttempt attempt) {
    String accessKey = query.first("AWSAccessKeyId").orElse("");
    // Base64 has no spaces: a space here is a '+' the client did not percent-encode.
    String signature = query.first("Signature").orElse("").replace(' ', '+');
    String expires = query.first("Expires").orElse("");
    if (accessKey.isEmpty() || signature.isEmpty() || expires.isEmpty()) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED,
          "Query-string authentication requires the Signature, Expires and AWSAccessKeyId"
              + " parameters");
    }
    attempt.accessKey = accessKey;
    ClientCredential credential =
        store.find(accessKey).orElseThrow(Authenticator::unknownAccessKey);
    long expiresEpoch;
    try {
      expiresEpoch = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED, "Invalid date (should be seconds since epoch): " + expires);
    }
    Instant now = clock.instant();
    if (now.getEpochSecond() > expiresEpoch) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
          .with("Expires", expiresText(expiresEpoch))
          .with("ServerTime", AmzDates.formatIsoBasic(now));
    }
    // SigV2 carries no signing time, only the end of validity: a URL valid for more than the
    // SigV4 limit from now is refused, so a leaked V2 URL lives no longer than a V4 one.
    if (expiresEpoch - now.getEpochSecond() > SigV4QueryParser.MAX_EXPIRES_SECONDS) {
      throw new S3Exception(
              S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
              "Expires must be less than a week (604800 seconds) from now")
          .with("Expires", expiresText(expiresEpoch))
          .with("ServerTime", AmzDates.formatIsoBasic(now));
    }
    String stringToSign =
        SigV2StringToSign.build(request, query, expires, virtualHostBucket(request));
    verify(credential, stringToSign, signature);
    return result(credential, request, AuthMethod.SIGV2_QUERY);
  }

  /** A client's {@code Expires} for an error message; any long, even one no Instant can hold. */
  private static String expiresText(long epochSecond) {
    try {
      return AmzDates.formatIsoBasic(Instant.ofEpochSecond(epochSecond));
    } catch (DateTimeException e) {
      return Long.toString(epochSecond);
    }
  }

  private static void verify(ClientCredential credential, String stringToSign, String signature) {
    byte[] expected = hmacSha1(credential.secret(), stringToSign);
    byte[] provided;
    try {
      provided = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      provided = new byte[0];
    }
    if (!MessageDigest.isEqual(expected, provided)) {
      throw new S3Exception(
              S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
              "The request signature we calculated does not match the signature you provided."
                  + " Check your key and signing method.")
          .with("AWSAccessKeyId", credential.accessKey())
          .with("StringToSign", stringToSign)
          .with("SignatureProvided", signature);
    }
  }

  /**
   * The body of a SigV2 request is only protected by Content-MD5 (checked by the body stream); an
   * {@code x-amz-content-sha256} digest, if a client sends one, is checked too.
   */
  private static AuthResult result(
      ClientCredential credential, SignedRequest request, AuthMethod method) {
    Optional<String> sha = request.headers().first("x-amz-content-sha256");
    PayloadMode mode = sha.flatMap(PayloadHeader::classify).orElse(PayloadMode.UNSIGNED);
    if (mode.isStreaming()) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST, "aws-chunked payloads require AWS Signature Version 4.");
    }
    return new AuthResult(
        credential.principal(),
        method,
        mode,
        mode == PayloadMode.SHA256 ? PayloadHeader.digest(sha.orElseThrow()) : null,
        null);
  }

  /** The bucket in the Host header, for virtual-hosted requests under a configured domain. */
  private String virtualHostBucket(SignedRequest request) {
    String host = request.headers().first("host").orElse("").trim().toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      host = host.substring(0, colon);
    }
    for (String domain : virtualHostDomains) {
      String suffix = "." + domain.toLowerCase(Locale.ROOT);
      if (host.endsWith(suffix) && host.length() > suffix.length()) {
        return host.substring(0, host.length() - suffix.length());
      }
    }
    return null;
  }

  private static byte[] hmacSha1(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }
}
