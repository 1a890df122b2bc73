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
  private final boolean formPending;

  Authentication(SignedRequest signed, AuthResult result, List<Access> accesses) {
    this(signed, result, accesses, false);
  }

  private Authentication(
      SignedRequest signed, AuthResult result, List<Access> accesses, boolean formPending) {
    this.signed = signed;
    this.result = result;
    this.accesses = List.copyOf(accesses);
    this.formPending = formPending;
  }

  /**
   * A browser upload, whose signature is in its form (POST Object): nobody is authenticated yet.
   * The request may be rate limited, checked and dispatched, but no step that calls the backend
   * runs and no backend request is sent until {@code readForm} verified the form's policy and
   * authorized its key.
   */
  static Authentication pendingForm(
      SignedRequest signed, AuthResult nobody, List<Access> accesses) {
    return new Authentication(signed, nobody, accesses, true);
  }

  /** True until {@code readForm} verified a browser upload's form ({@link #pendingForm}). */
  public boolean formPending() {
    return formPending;
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
