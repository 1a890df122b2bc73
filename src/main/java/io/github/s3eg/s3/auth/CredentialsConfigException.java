package io.github.s3eg.s3.auth;

/**
 * The client credentials configuration is unusable: a missing variable, an unreadable file, or a
 * YAML entry that does not follow the documented format. Raised at startup so the gateway never
 * runs with a half-read key list. The message names the source and the offending key or entry, and
 * never contains a secret.
 */
public class CredentialsConfigException extends RuntimeException {

  public CredentialsConfigException(String message) {
    super(message);
  }

  public CredentialsConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
