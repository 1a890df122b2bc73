package io.github.s3eg.pipeline;

import io.github.s3eg.s3.auth.Access;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.Principal;
import io.github.s3eg.s3.auth.SignedRequest;
import java.util.List;

/**
 * A request whose signature the {@code authenticate} step verified (or, with {@code
 * AUTH_ENABLED=false}, deliberately did not) and whose principal may do the request's operation:
 * the result that body verification, rate limiting, the audit log and every backend call rely on.
 * Only {@code authenticate} makes one.
 */
public final class Authentication {

  private final SignedRequest signed;
  private final AuthResult result;
  private final List<Access> accesses;

  Authentication(SignedRequest signed, AuthResult result, List<Access> accesses) {
    this.signed = signed;
    this.result = result;
    this.accesses = List.copyOf(accesses);
  }

  /**
   * Every resource the request touches, each authorized ({@link
   * io.github.s3eg.s3.auth.PermissionMatrix}).
   */
  public List<Access> accesses() {
    return accesses;
  }

  /** The HTTP request as it was signed. */
  public SignedRequest signed() {
    return signed;
  }

  public AuthResult result() {
    return result;
  }

  public Principal principal() {
    return result.principal();
  }
}
