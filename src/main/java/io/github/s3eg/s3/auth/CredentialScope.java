package io.github.s3eg.s3.auth;

/**
 * The {@code Credential} value of SigV4: {@code <access key>/<yyyyMMdd>/<region>/s3/aws4_request}.
 * The gateway is region-agnostic, so any non-empty region is accepted; it is taken from here into
 * both the signing key and the string to sign, so the two cannot disagree.
 */
record CredentialScope(String accessKey, String date, String region, String service) {

  /**
   * Parses a credential string.
   *
   * @throws IllegalArgumentException with a message fit for the client
   */
  static CredentialScope parse(String credential) {
    String[] parts = credential.split("/", -1);
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "the Credential is mal-formed; expecting"
              + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"");
    }
    if (parts[0].isEmpty()) {
      throw new IllegalArgumentException("the Credential has an empty access key");
    }
    if (!parts[1].matches("\\d{8}")) {
      throw new IllegalArgumentException(
          "the Credential has an invalid date '" + parts[1] + "'; expecting YYYYMMDD");
    }
    if (parts[2].isEmpty()) {
      throw new IllegalArgumentException("the Credential has an empty region");
    }
    if (!SigV4Signing.SERVICE.equals(parts[3])) {
      throw new IllegalArgumentException(
          "the Credential has an incorrect service \"" + parts[3] + "\"; expecting \"s3\"");
    }
    if (!SigV4Signing.TERMINATOR.equals(parts[4])) {
      throw new IllegalArgumentException(
          "the Credential has an incorrect terminal \""
              + parts[4]
              + "\"; expecting \"aws4_request\"");
    }
    return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
  }

  /** {@code <yyyyMMdd>/<region>/s3/aws4_request}, as it appears in every string to sign. */
  String scope() {
    return date + "/" + region + "/" + service + "/" + SigV4Signing.TERMINATOR;
  }
}
