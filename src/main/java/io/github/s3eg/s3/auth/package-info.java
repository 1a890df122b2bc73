/**
 * Who sent an S3 request, and may they do it.
 *
 * <p>Per request: build a {@link io.github.s3eg.s3.auth.SignedRequest} from the request line and
 * headers exactly as received, call {@link io.github.s3eg.s3.auth.Authenticator#authenticate}, then
 * {@link io.github.s3eg.s3.auth.Principal#authorize} with the {@link
 * io.github.s3eg.s3.auth.S3Action} and bucket the router derived. Failures are {@link
 * io.github.s3eg.s3.S3Exception}s ({@link io.github.s3eg.s3.auth.AuthenticationException} for
 * authentication, with audit details).
 *
 * <p>Keys come from a {@link io.github.s3eg.s3.auth.CredentialStore} (environment variables and the
 * YAML file described in {@link io.github.s3eg.s3.auth.CredentialsFile}). Everything here is
 * immutable after construction and thread-safe; time comes from an injectable {@link
 * java.time.Clock}.
 */
package io.github.s3eg.s3.auth;
