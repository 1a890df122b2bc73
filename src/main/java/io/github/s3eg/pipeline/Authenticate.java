package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.auth.Access;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.Authenticator;
import io.github.s3eg.s3.auth.PermissionMatrix;
import io.github.s3eg.s3.auth.RequestHeaders;
import io.github.s3eg.s3.auth.SignedRequest;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The {@code authenticate} step: the SigV4 (or, if enabled, SigV2) signature is verified against
 * the gateway's client credentials, then the principal's permission on every resource the operation
 * touches ({@link PermissionMatrix}: the bucket and key of the request, and the source of a copy).
 * Every later step of the request, and every backend call, requires the {@link Authentication} this
 * makes ({@link PipelineGuard}); the audit log records every resource.
 */
public final class Authenticate {

  /** The operation whose signature is in its body, not its headers. */
  static final String BROWSER_UPLOAD = "PostObject";

  private final Authenticator authenticator;

  /** {@code authenticator} null means authentication is switched off by configuration. */
  public Authenticate(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * Verifies and authorizes {@code s3}, sent as {@code request}, for {@code operation}. What was
   * verified before a refusal (the principal, the resources) is recorded in {@code state} for the
   * audit log. A browser upload (POST Object with a form) is signed in its form, not its headers:
   * its authentication stays pending ({@link Authentication#formPending()}) until {@code readForm}
   * has verified the form's policy signature; no backend call runs before.
   *
   * @throws io.github.s3eg.s3.S3Exception AccessDenied, SignatureDoesNotMatch, … when it may not
   */
  Authentication authenticate(RequestState state, S3Request s3, HttpServerRequest request) {
    SignedRequest signed =
        SignedRequest.of(s3.method(), request.uri(), RequestHeaders.of(request.headers()));
    String operation;
    if (s3.probe() != null) {
      operation = PermissionMatrix.HEALTH_DETAILS;
    } else if (s3.isMetricsScrape()) {
      operation = PermissionMatrix.METRICS;
    } else {
      operation = state.operation();
    }
    if (authenticator != null && BROWSER_UPLOAD.equals(operation) && isForm(s3)) {
      // Any other POST on a bucket is authenticated here like every request (unsigned: 403).
      return Authentication.pendingForm(
          signed, AuthResult.unauthenticated(signed), PermissionMatrix.of(operation, s3));
    }
    AuthResult result =
        authenticator == null
            ? AuthResult.unauthenticated(signed)
            : authenticator.authenticate(signed);
    List<Access> accesses = PermissionMatrix.of(operation, s3);
    state.signatureVerified(result, accesses);
    PermissionMatrix.authorize(result.principal(), accesses);
    return new Authentication(signed, result, accesses);
  }

  static boolean isForm(S3Request s3) {
    String type = s3.header("Content-Type");
    return type != null
        && type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
  }

  /** The step. */
  Step step() {
    return Step.named("authenticate")
        .requires(Fact.PARSED)
        .provides(Fact.AUTHENTICATED)
        .beforeAuthentication()
        .does(
            (state, exchange) ->
                state.authenticated(authenticate(state, state.request(), state.http().request())));
  }
}
