package io.github.s3eg.s3.auth;

import java.time.Instant;
import java.util.List;

/**
 * The SigV4 claims of one request, parsed from either the {@code Authorization} header or the
 * presigned query parameters, so that both forms are verified by the same code.
 *
 * @param credential the credential scope
 * @param signedHeaders the signed header names, in the order given
 * @param signatureHex the signature as sent
 * @param signature the signature as bytes
 * @param timestamp the request time as signed, {@code yyyyMMdd'T'HHmmss'Z'}
 * @param requestTime the same instant
 * @param canonicalQuery the canonical query string
 * @param payloadHash the hashed-payload line of the canonical request
 */
record SigV4Request(
    CredentialScope credential,
    List<String> signedHeaders,
    String signatureHex,
    byte[] signature,
    String timestamp,
    Instant requestTime,
    String canonicalQuery,
    String payloadHash) {

  SigV4Request {
    signedHeaders = List.copyOf(signedHeaders);
  }

  String signedHeadersLine() {
    return String.join(";", signedHeaders);
  }
}
