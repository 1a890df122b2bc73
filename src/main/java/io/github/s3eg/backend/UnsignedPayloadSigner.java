package io.github.s3eg.backend;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 for the backend with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} over plain HTTP too
 * ({@code BACKEND_UNSIGNED_PAYLOAD}). The SDK signs every body it sends over HTTP (aws-chunked, one
 * SHA-256 pass and an HMAC per 128 KiB of ciphertext) and has no setting to stop it; over HTTPS it
 * sends {@code UNSIGNED-PAYLOAD}. That pass cost about a fifth of a large upload's worker CPU, and
 * what it protects is already protected: every segment of the ciphertext is authenticated (AEAD)
 * and a tampered or truncated body is never served. The request itself (method, path, headers,
 * length) stays signed.
 *
 * <p>The SDK's own signer decides by the request's scheme only, so this one lets it sign the
 * request as if it went over HTTPS (same host, port and path: the signature does not cover the
 * scheme) and then puts the scheme back. Port 80 becomes 443 for the signing so that the signed
 * {@code Host} stays the bare host name the HTTP client sends.
 */
final class UnsignedPayloadSigner implements AwsV4HttpSigner {

  private final AwsV4HttpSigner delegate = AwsV4HttpSigner.create();

  /** The SDK's SigV4 auth scheme with this signer. */
  static AwsV4AuthScheme authScheme() {
    UnsignedPayloadSigner signer = new UnsignedPayloadSigner();
    return new AwsV4AuthScheme() {
      @Override
      public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
      }

      @Override
      public IdentityProvider<AwsCredentialsIdentity> identityProvider(
          IdentityProviders providers) {
        return providers.identityProvider(AwsCredentialsIdentity.class);
      }

      @Override
      public AwsV4HttpSigner signer() {
        return signer;
      }
    };
  }

  @Override
  public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
    SdkHttpRequest http = request.request();
    if (isHttps(http)) {
      return delegate.sign(request);
    }
    SignedRequest signed = delegate.sign(request.copy(r -> r.request(asHttps(http))));
    return signed.copy(r -> r.request(restore(signed.request(), http)));
  }

  @Override
  public CompletableFuture<AsyncSignedRequest> signAsync(
      AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
    SdkHttpRequest http = request.request();
    if (isHttps(http)) {
      return delegate.signAsync(request);
    }
    return delegate
        .signAsync(request.copy(r -> r.request(asHttps(http))))
        .thenApply(signed -> signed.copy(r -> r.request(restore(signed.request(), http))));
  }

  private static boolean isHttps(SdkHttpRequest http) {
    return "https".equalsIgnoreCase(http.protocol());
  }

  private static SdkHttpRequest asHttps(SdkHttpRequest http) {
    return http.toBuilder().protocol("https").port(http.port() == 80 ? 443 : http.port()).build();
  }

  private static SdkHttpRequest restore(SdkHttpRequest signed, SdkHttpRequest original) {
    return signed.toBuilder().protocol(original.protocol()).port(original.port()).build();
  }
}
