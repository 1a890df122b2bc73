package io.github.s3eg.s3.auth;

/** How far an authentication attempt got: recorded so that a failure can be audited. */
final class AuthAttempt {
  AuthMethod method;
  String accessKey;
}
