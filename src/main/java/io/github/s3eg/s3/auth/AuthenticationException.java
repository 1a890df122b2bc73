package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3Exception;
import java.util.Optional;

/**
 * A request failed authentication. It is an {@link S3Exception}, so the error route renders it like
 * any other S3 error; in addition it tells the audit log which access key was claimed (if the
 * request got that far) and which scheme was tried. The message is the client-facing reason and is
 * safe to log: it never contains a secret.
 */
public final class AuthenticationException extends S3Exception {

  private final String accessKeyId;
  private final AuthMethod method;

  AuthenticationException(S3Exception failure, String accessKeyId, AuthMethod method) {
    super(failure.errorCode(), failure.getMessage(), failure.getCause());
    failure.extraElements().forEach(this::with);
    this.accessKeyId = accessKeyId;
    this.method = method;
  }

  /** The access key the request claimed, if it could be parsed. */
  public Optional<String> accessKeyId() {
    return Optional.ofNullable(accessKeyId);
  }

  /** The authentication scheme the request used, if it was recognised. */
  public Optional<AuthMethod> method() {
    return Optional.ofNullable(method);
  }

  /** A one-line reason for the audit log: code, scheme, claimed key, message. */
  public String auditReason() {
    return errorCode().code()
        + " ("
        + (method == null ? "no auth" : method.name())
        + (accessKeyId == null ? "" : ", key " + accessKeyId)
        + "): "
        + getMessage();
  }
}
