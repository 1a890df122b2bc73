package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Verifies the signature of a browser upload's policy (SigV4 "POST policy"): the form's {@code
 * x-amz-signature} must be {@code HMAC-SHA256(signing key, policy)}, the policy being the base64
 * text exactly as sent, under the signing key of the {@code x-amz-credential} scope. The signature
 * binds the policy, so the policy's conditions are what the credential's owner allowed; the form
 * fields themselves are not signed and are checked against those conditions ({@code PostPolicy}).
 */
final class PostPolicySignature {

  private final CredentialStore store;

  PostPolicySignature(CredentialStore store) {
    this.store = store;
  }

  /**
   * @param fields the form fields before the file (names case-insensitive)
   * @return the authenticated request, without a payload digest (the file is checked against the
   *     policy's conditions, not a signature)
   * @throws S3Exception InvalidArgument for a missing field, InvalidAccessKeyId, or
   *     SignatureDoesNotMatch
   */
  AuthResult verify(Map<String, String> fields) {
    if (fields.containsKey("AWSAccessKeyId") || fields.containsKey("signature")) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED,
          "AWS Signature Version 2 POST policies are not supported by this gateway; sign the"
              + " policy with AWS Signature Version 4");
    }
    if (!fields.containsKey("policy")
        && !fields.containsKey("x-amz-signature")
        && !fields.containsKey("x-amz-credential")) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED, "Access Denied: anonymous requests are not allowed");
    }
    String policy = required(fields, "policy");
    String algorithm = required(fields, "x-amz-algorithm");
    String credentialField = required(fields, "x-amz-credential");
    required(fields, "x-amz-date");
    String signature = required(fields, "x-amz-signature");
    if (!SigV4Signing.ALGORITHM.equals(algorithm)) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT, "The algorithm " + algorithm + " is not supported.")
          .with("ArgumentName", "x-amz-algorithm");
    }
    CredentialScope scope;
    try {
      scope = CredentialScope.parse(credentialField);
    } catch (IllegalArgumentException e) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid argument: " + e.getMessage())
          .with("ArgumentName", "x-amz-credential");
    }
    ClientCredential credential =
        store.find(scope.accessKey()).orElseThrow(Authenticator::unknownAccessKey);
    byte[] expected =
        SigV4Signing.hmac(
            SigV4Signing.signingKey(
                credential.secret(), scope.date(), scope.region(), scope.service()),
            policy);
    byte[] given = SigV4Signing.parseSignature(signature.trim());
    if (given == null || !MessageDigest.isEqual(expected, given)) {
      throw new S3Exception(
          S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
          "The request signature we calculated does not match the signature you provided. Check"
              + " your key and signing method.");
    }
    return new AuthResult(
        credential.principal(), AuthMethod.SIGV4_POST_POLICY, PayloadMode.UNSIGNED, null, null);
  }

  private static String required(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null || value.isEmpty()) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT,
              "Bucket POST must contain a field named '"
                  + name
                  + "'.  If it is specified, please check the order of the fields.")
          .with("ArgumentName", name);
    }
    return value;
  }
}
