package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…} and the
 * request date into {@link SigV4Request} claims. Only shape is checked here; whether the claims are
 * true is {@link SigV4Verifier}'s job.
 */
final class SigV4HeaderParser {

  private SigV4HeaderParser() {}

  static SigV4Request parse(SignedRequest request, String authorization, QueryParameters query) {
    String rest = authorization.substring(SigV4Signing.ALGORITHM.length()).trim();
    Map<String, String> fields = new HashMap<>();
    for (String part : rest.split(",")) {
      String field = part.trim();
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw malformed("the authorization component \"" + field + "\" is malformed.");
      }
      if (fields.put(field.substring(0, eq), field.substring(eq + 1)) != null) {
        throw malformed("the authorization component \"" + field + "\" appears twice.");
      }
    }
    String credentialValue = require(fields, "Credential");
    String signedHeadersValue = require(fields, "SignedHeaders");
    String signatureHex = require(fields, "Signature");
    CredentialScope credential;
    try {
      credential = CredentialScope.parse(credentialValue);
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
    List<String> signedHeaders = signedHeaders(signedHeadersValue);
    byte[] signature = SigV4Signing.parseSignature(signatureHex);
    if (signature == null) {
      throw malformed("the Signature must be 64 hexadecimal characters.");
    }

    Optional<String> amzDate = request.headers().first("x-amz-date");
    Instant time =
        amzDate.isPresent()
            ? AmzDates.parseIsoBasic(amzDate.get()).orElse(null)
            : request.headers().first("date").flatMap(AmzDates::parseHttpDate).orElse(null);
    if (time == null) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED,
          "AWS authentication requires a valid Date or x-amz-date header");
    }
    String timestamp = amzDate.orElseGet(() -> AmzDates.formatIsoBasic(time));
    if (!timestamp.startsWith(credential.date())) {
      throw malformed("Invalid credential date. Date is not the same as X-Amz-Date.");
    }

    return new SigV4Request(
        credential,
        signedHeaders,
        signatureHex,
        signature,
        timestamp,
        time,
        query.canonical(null),
        payloadHash(request));
  }

  /** Splits {@code SignedHeaders}; {@code host} must be among them, as S3 requires. */
  static List<String> signedHeaders(String value) {
    List<String> names = Arrays.asList(value.split(";", -1));
    if (value.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
      throw malformed("the SignedHeaders list is empty or has an empty name.");
    }
    if (!names.contains("host")) {
      throw malformed("the host header must be signed.");
    }
    return names;
  }

  /**
   * The {@code x-amz-content-sha256} value, which S3 requires with header authentication and which
   * is the hashed-payload line of the canonical request.
   */
  private static String payloadHash(SignedRequest request) {
    List<String> values = request.headers().all("x-amz-content-sha256");
    if (values.isEmpty()) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "Missing required header for this request: x-amz-content-sha256");
    }
    if (values.size() > 1 || PayloadHeader.classify(values.get(0).trim()).isEmpty()) {
      throw PayloadHeader.invalid();
    }
    return values.get(0).trim();
  }

  private static String require(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null || value.isEmpty()) {
      throw malformed("the authorization header is missing " + name + ".");
    }
    return value;
  }

  private static S3Exception malformed(String detail) {
    return new S3Exception(
        S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
        "The authorization header is malformed; " + detail);
  }
}
