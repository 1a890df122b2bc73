package io.github.s3eg.s3.auth;

/** How a request proved who sent it; recorded in the audit log. */
public enum AuthMethod {
  /** {@code Authorization: AWS4-HMAC-SHA256 …}. */
  SIGV4_HEADER,
  /** {@code ?X-Amz-Algorithm=AWS4-HMAC-SHA256&…} (presigned URL). */
  SIGV4_PRESIGNED,
  /** A browser upload's form: a policy signed with SigV4 ({@code x-amz-signature}). */
  SIGV4_POST_POLICY,
  /** {@code Authorization: AWS <key>:<signature>} (legacy, off unless enabled). */
  SIGV2_HEADER,
  /** {@code ?AWSAccessKeyId=…&Expires=…&Signature=…} (legacy presigned, off unless enabled). */
  SIGV2_QUERY,
  /**
   * Not checked: authentication was switched off by configuration ({@code AUTH_ENABLED=false}), for
   * deployments that authenticate in front of the gateway.
   */
  NONE
}
