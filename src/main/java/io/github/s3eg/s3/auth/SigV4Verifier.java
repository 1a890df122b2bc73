package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Recomputes a SigV4 signature from the request and the client's secret and compares it, in
 * constant time, with the one the client sent. On a mismatch the error carries the canonical
 * request and string to sign, as S3's does, so a client developer can see where they differ.
 */
final class SigV4Verifier {

  private SigV4Verifier() {}

  /**
   * @return the signing context for chunk verification
   * @throws S3Exception {@link S3ErrorCode#SIGNATURE_DOES_NOT_MATCH}
   */
  static SigningContext verify(
      SignedRequest request, SigV4Request claims, ClientCredential credential) {
    String canonicalRequest = CanonicalRequest.build(request, claims);
    CredentialScope scope = claims.credential();
    String stringToSign =
        SigV4Signing.stringToSign(claims.timestamp(), scope.scope(), canonicalRequest);
    byte[] signingKey =
        SigV4Signing.signingKey(credential.secret(), scope.date(), scope.region(), scope.service());
    byte[] expected = SigV4Signing.hmac(signingKey, stringToSign);
    if (!MessageDigest.isEqual(expected, claims.signature())) {
      throw new S3Exception(
              S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
              "The request signature we calculated does not match the signature you provided."
                  + " Check your key and signing method.")
          .with("AWSAccessKeyId", scope.accessKey())
          .with("StringToSign", stringToSign)
          .with("SignatureProvided", claims.signatureHex())
          .with("StringToSignBytes", spacedHex(stringToSign))
          .with("CanonicalRequest", canonicalRequest)
          .with("CanonicalRequestBytes", spacedHex(canonicalRequest));
    }
    return new SigningContext(
        signingKey, scope.scope(), claims.timestamp(), SigV4Signing.hex(expected));
  }

  /** The bytes of {@code text} as space-separated hex pairs, the way S3 shows them. */
  private static String spacedHex(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
