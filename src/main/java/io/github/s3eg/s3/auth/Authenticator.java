package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The entry point of request authentication: one call per request, before anything else looks at
 * it.
 *
 * <pre>{@code
 * Authenticator auth = Authenticator.builder(CredentialStore.fromEnvironment(System::getenv))
 *     .allowSigV2(false)
 *     .build();
 * AuthResult result = auth.authenticate(SignedRequest.of(method, rawUri, RequestHeaders.of(headers)));
 * PermissionMatrix.authorize(result.principal(), PermissionMatrix.of(operation, s3Request));
 * VerifiedBody body = RequestBodies.open(result, request, rawBodyStream);
 * }</pre>
 *
 * <p>Supported: SigV4 in the {@code Authorization} header and in presigned URLs, and (only when
 * enabled) SigV2 in the header and in the query. Anonymous requests, browser POST policies and
 * SigV4a are refused. Every failure is an {@link AuthenticationException} carrying the S3 error
 * (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed, …) and the
 * claimed access key for the audit log.
 *
 * <p>Immutable and thread-safe.
 */
public final class Authenticator {

  /** S3's tolerance for clock differences: 15 minutes. */
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);

  private final SigV4Authenticator sigV4;
  private final SigV2Authenticator sigV2;
  private final boolean allowSigV2;
  private final PostPolicySignature postPolicy;

  private Authenticator(Builder b) {
    this.postPolicy = new PostPolicySignature(b.store);
    this.sigV4 = new SigV4Authenticator(b.store, b.clock, b.maxSkew);
    this.sigV2 = new SigV2Authenticator(b.store, b.clock, b.maxSkew, b.virtualHostDomains);
    this.allowSigV2 = b.allowSigV2;
  }

  public static Builder builder(CredentialStore store) {
    return new Builder(store);
  }

  /**
   * Authenticates a request.
   *
   * @throws AuthenticationException if the request is not authentic, with the S3 error to return
   */
  public AuthResult authenticate(SignedRequest request) {
    AuthAttempt attempt = new AuthAttempt();
    try {
      return dispatch(request, attempt);
    } catch (AuthenticationException e) {
      throw e;
    } catch (S3Exception e) {
      throw new AuthenticationException(e, attempt.accessKey, attempt.method);
    }
  }

  /**
   * Authenticates a browser upload by the signature of its policy (the form's fields before the
   * file); the policy's conditions are checked by the caller.
   *
   * @throws AuthenticationException if the form is not signed by a known credential
   */
  public AuthResult authenticatePostPolicy(java.util.Map<String, String> fields) {
    AuthAttempt attempt = new AuthAttempt();
    attempt.method = AuthMethod.SIGV4_POST_POLICY;
    try {
      return postPolicy.verify(fields);
    } catch (S3Exception e) {
      String credential = fields.get("x-amz-credential");
      attempt.accessKey =
          credential == null || credential.indexOf('/') < 0
              ? null
              : credential.substring(0, credential.indexOf('/'));
      throw new AuthenticationException(e, attempt.accessKey, attempt.method);
    }
  }

  private AuthResult dispatch(SignedRequest request, AuthAttempt attempt) {
    QueryParameters query = QueryParameters.parse(request.rawQuery());
    List<String> authorizations = request.headers().all("authorization");
    boolean presignedV4 =
        query.contains(SigV4QueryParser.ALGORITHM) || query.contains(SigV4QueryParser.CREDENTIAL);
    boolean presignedV2 = query.contains("AWSAccessKeyId") || query.contains("Signature");
    if (!authorizations.isEmpty() && (presignedV4 || presignedV2)) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Only one auth mechanism allowed");
    }
    if (authorizations.size() > 1) {
      throw new S3Exception(
          S3ErrorCode.INVALID_ARGUMENT, "Only one Authorization header is allowed");
    }
    if (!authorizations.isEmpty()) {
      String authorization = authorizations.get(0).trim();
      if (authorization.startsWith(SigV4Signing.ALGORITHM + " ")) {
        attempt.method = AuthMethod.SIGV4_HEADER;
        return sigV4.authenticateHeader(request, authorization, query, attempt);
      }
      if (authorization.startsWith("AWS ")) {
        attempt.method = AuthMethod.SIGV2_HEADER;
        requireSigV2();
        return sigV2.authenticateHeader(request, authorization, query, attempt);
      }
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unsupported Authorization Type");
    }
    if (presignedV4) {
      attempt.method = AuthMethod.SIGV4_PRESIGNED;
      return sigV4.authenticatePresigned(request, query, attempt);
    }
    if (presignedV2) {
      attempt.method = AuthMethod.SIGV2_QUERY;
      requireSigV2();
      return sigV2.authenticateQuery(request, query, attempt);
    }
    throw new S3Exception(
        S3ErrorCode.ACCESS_DENIED, "Access Denied: anonymous requests are not allowed");
  }

  private void requireSigV2() {
    if (!allowSigV2) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED,
          "AWS Signature Version 2 is disabled on this gateway; sign requests with AWS Signature"
              + " Version 4");
    }
  }

  static S3Exception unknownAccessKey() {
    return new S3Exception(
        S3ErrorCode.INVALID_ACCESS_KEY_ID,
        "The AWS Access Key Id you provided does not exist in our records.");
  }

  /** Configures an {@link Authenticator}. */
  public static final class Builder {
    private final CredentialStore store;
    private Clock clock = Clock.systemUTC();
    private Duration maxSkew = DEFAULT_MAX_SKEW;
    private boolean allowSigV2;
    private Set<String> virtualHostDomains = Set.of();

    private Builder(CredentialStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The clock that request times are checked against; tests pass a fixed one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far a header-signed request's time may be from now (default 15 minutes), and how far in
     * the future a presigned URL may start.
     */
    public Builder maxClockSkew(Duration maxSkew) {
      if (maxSkew.isNegative()) {
        throw new IllegalArgumentException("maxSkew must not be negative");
      }
      this.maxSkew = maxSkew;
      return this;
    }

    /** Accept legacy SigV2 requests (default: refuse them with AccessDenied). */
    public Builder allowSigV2(boolean allow) {
      this.allowSigV2 = allow;
      return this;
    }

    /**
     * Domains under which the gateway serves virtual-hosted–style buckets ({@code
     * bucket.<domain>}). Only SigV2 needs this: its signed resource names the bucket even when the
     * path does not. SigV4 signs the path as sent and is unaffected.
     */
    public Builder virtualHostDomains(Set<String> domains) {
      this.virtualHostDomains = Set.copyOf(domains);
      return this;
    }

    public Authenticator build() {
      return new Authenticator(this);
    }
  }
}
