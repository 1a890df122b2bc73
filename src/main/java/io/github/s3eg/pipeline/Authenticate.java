package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.Authenticator;
import io.github.s3eg.s3.auth.RequestHeaders;
import io.github.s3eg.s3.auth.S3Action;
import io.github.s3eg.s3.auth.SignedRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The {@code authenticate} step: the SigV4 (or, if enabled, SigV2) signature is verified against
 * the gateway's client credentials, then the principal's permission for the operation and bucket is
 * checked. Every later step of the request, and every backend call, requires the {@link
 * Authentication} this makes ({@link PipelineGuard}).
 */
public final class Authenticate {

  private final Authenticator authenticator;

  /** {@code authenticator} null means authentication is switched off by configuration. */
  public Authenticate(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * Verifies and authorizes {@code s3}, sent as {@code request}.
   *
   * @throws io.github.s3eg.s3.S3Exception AccessDenied, SignatureDoesNotMatch, … when it may not
   */
  Authentication authenticate(S3Request s3, HttpServerRequest request) {
    SignedRequest signed =
        SignedRequest.of(s3.method(), request.uri(), RequestHeaders.of(request.headers()));
    AuthResult result =
        authenticator == null
            ? AuthResult.unauthenticated(signed)
            : authenticator.authenticate(signed);
    result
        .principal()
        .authorize(S3Action.classify(s3.method(), s3.bucket(), s3.key()), s3.bucket());
    return new Authentication(signed, result);
  }

  /** The step. */
  Step step() {
    return Step.named("authenticate")
        .requires(Fact.PARSED)
        .provides(Fact.AUTHENTICATED)
        .beforeAuthentication()
        .does(
            (state, exchange) ->
                state.authenticated(authenticate(state.request(), state.http().request())));
  }
}
