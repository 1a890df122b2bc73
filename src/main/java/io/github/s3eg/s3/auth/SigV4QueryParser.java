package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.time.Duration;
import java.time.Instant;

/**
 * Parses the query parameters of a presigned SigV4 URL ({@code X-Amz-Algorithm}, {@code
 * X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders}, {@code
 * X-Amz-Signature}) into {@link SigV4Request} claims. The payload of a presigned request is always
 * {@code UNSIGNED-PAYLOAD}: nobody knows the body when the URL is made.
 */
final class SigV4QueryParser {

  static final String ALGORITHM = "X-Amz-Algorithm";
  static final String CREDENTIAL = "X-Amz-Credential";
  static final String DATE = "X-Amz-Date";
  static final String EXPIRES = "X-Amz-Expires";
  static final String SIGNED_HEADERS = "X-Amz-SignedHeaders";
  static final String SIGNATURE = "X-Amz-Signature";

  /** S3's limit on {@code X-Amz-Expires}: seven days. */
  static final long MAX_EXPIRES_SECONDS = 604_800;

  /** Claims plus the URL's lifetime. */
  record Presigned(SigV4Request claims, Duration lifetime) {}

  private SigV4QueryParser() {}

  static Presigned parse(QueryParameters query) {
    for (String name :
        new String[] {ALGORITHM, CREDENTIAL, DATE, EXPIRES, SIGNED_HEADERS, SIGNATURE}) {
      if (query.count(name) != 1) {
        throw error(
            "Query-string authentication version 4 requires the X-Amz-Algorithm,"
                + " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders,"
                + " and X-Amz-Expires parameters (each exactly once).");
      }
    }
    if (!SigV4Signing.ALGORITHM.equals(query.first(ALGORITHM).orElseThrow())) {
      throw error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    CredentialScope credential;
    try {
      credential = CredentialScope.parse(query.first(CREDENTIAL).orElseThrow());
    } catch (IllegalArgumentException e) {
      throw error("Error parsing the X-Amz-Credential parameter; " + e.getMessage());
    }
    String timestamp = query.first(DATE).orElseThrow();
    Instant time =
        AmzDates.parseIsoBasic(timestamp)
            .orElseThrow(
                () ->
                    error(
                        "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
    if (!timestamp.startsWith(credential.date())) {
      throw error(
          "Error parsing the X-Amz-Credential parameter; the date does not match X-Amz-Date.");
    }
    long expires = expires(query.first(EXPIRES).orElseThrow());
    String signatureHex = query.first(SIGNATURE).orElseThrow();
    byte[] signature = SigV4Signing.parseSignature(signatureHex);
    if (signature == null) {
      throw error("X-Amz-Signature must be 64 hexadecimal characters.");
    }
    SigV4Request claims;
    try {
      claims =
          new SigV4Request(
              credential,
              SigV4HeaderParser.signedHeaders(query.first(SIGNED_HEADERS).orElseThrow()),
              signatureHex,
              signature,
              timestamp,
              time,
              query.canonical(SIGNATURE),
              PayloadMode.UNSIGNED_PAYLOAD);
    } catch (S3Exception e) {
      throw error("X-Amz-SignedHeaders is malformed; it must list host.");
    }
    return new Presigned(claims, Duration.ofSeconds(expires));
  }

  private static long expires(String value) {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw error("X-Amz-Expires should be a number");
    }
    if (seconds < 1) {
      throw error("X-Amz-Expires must be at least 1 (seconds)");
    }
    if (seconds > MAX_EXPIRES_SECONDS) {
      throw error("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    return seconds;
  }

  private static S3Exception error(String message) {
    return new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, message);
  }
}
