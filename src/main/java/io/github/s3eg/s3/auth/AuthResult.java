package io.github.s3eg.s3.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * A successfully authenticated request: who sent it, how, and what the body verification needs.
 * Pass it to {@code RequestBodies.open} to get the request body as a verified stream.
 */
public final class AuthResult {

  private final Principal principal;
  private final AuthMethod method;
  private final PayloadMode payloadMode;
  private final String payloadSha256;
  private final SigningContext signingContext;

  AuthResult(
      Principal principal,
      AuthMethod method,
      PayloadMode payloadMode,
      String payloadSha256,
      SigningContext signingContext) {
    this.principal = Objects.requireNonNull(principal);
    this.method = Objects.requireNonNull(method);
    this.payloadMode = Objects.requireNonNull(payloadMode);
    this.payloadSha256 = payloadSha256;
    this.signingContext = signingContext;
    if (payloadMode == PayloadMode.SHA256 && payloadSha256 == null) {
      throw new IllegalArgumentException("SHA256 payload mode needs the expected digest");
    }
    if (payloadMode.hasChunkSignatures() && signingContext == null && method != AuthMethod.NONE) {
      throw new IllegalArgumentException("signed chunks need a signing context");
    }
  }

  /** The principal of every request when authentication is switched off. */
  public static final Principal UNAUTHENTICATED =
      new Principal("anonymous", Permission.ADMIN, java.util.Set.of(Principal.ALL_BUCKETS));

  /**
   * The result for a request whose signature is not checked ({@code AUTH_ENABLED=false}): the body
   * is still decoded and its digests, lengths and trailer checksums still verified, but chunk
   * signatures cannot be (there is no secret to check them with).
   */
  public static AuthResult unauthenticated(SignedRequest request) {
    String value = request.headers().first("x-amz-content-sha256").orElse(null);
    PayloadMode mode =
        value == null
            ? PayloadMode.UNSIGNED
            : PayloadHeader.classify(value).orElseThrow(PayloadHeader::invalid);
    return new AuthResult(
        UNAUTHENTICATED,
        AuthMethod.NONE,
        mode,
        mode == PayloadMode.SHA256 ? PayloadHeader.digest(value) : null,
        null);
  }

  public Principal principal() {
    return principal;
  }

  public AuthMethod method() {
    return method;
  }

  public PayloadMode payloadMode() {
    return payloadMode;
  }

  /** The hex SHA-256 the body must hash to, in {@link PayloadMode#SHA256} mode. */
  public Optional<String> payloadSha256() {
    return Optional.ofNullable(payloadSha256);
  }

  /** The chunk-signing context; present for SigV4 header authentication. */
  public Optional<SigningContext> signingContext() {
    return Optional.ofNullable(signingContext);
  }

  @Override
  public String toString() {
    return "AuthResult[accessKey="
        + principal.accessKey()
        + ", method="
        + method
        + ", payloadMode="
        + payloadMode
        + "]";
  }
}
