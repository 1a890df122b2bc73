package io.github.s3eg.s3.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What chunk and trailer signatures of an {@code aws-chunked} body are chained from: the signing
 * key derived for the request, its credential scope, its timestamp and the request's own (seed)
 * signature.
 *
 * <p>The signing key is secret: it is held privately and only used through {@link
 * #newChunkSigner()}; {@link #toString()} does not show it.
 */
public final class SigningContext {

  private final byte[] signingKey;
  private final String scope;
  private final String timestamp;
  private final String seedSignature;

  SigningContext(byte[] signingKey, String scope, String timestamp, String seedSignature) {
    this.signingKey = signingKey.clone();
    this.scope = Objects.requireNonNull(scope);
    this.timestamp = Objects.requireNonNull(timestamp);
    this.seedSignature = Objects.requireNonNull(seedSignature);
  }

  /**
   * Builds a context from a known secret, for tools and tests that produce chunked bodies
   * themselves.
   *
   * @param scope {@code yyyyMMdd/region/s3/aws4_request}
   * @param timestamp {@code yyyyMMdd'T'HHmmss'Z'}
   */
  public static SigningContext of(
      String secretKey, String scope, String timestamp, String seedSignature) {
    String[] parts = scope.split("/");
    if (parts.length != 4) {
      throw new IllegalArgumentException("scope must be date/region/service/aws4_request");
    }
    byte[] key =
        SigV4Signing.signingKey(
            secretKey.getBytes(StandardCharsets.UTF_8), parts[0], parts[1], parts[2]);
    return new SigningContext(key, scope, timestamp, seedSignature);
  }

  /** {@code yyyyMMdd/region/s3/aws4_request}. */
  public String scope() {
    return scope;
  }

  /** The request timestamp, {@code yyyyMMdd'T'HHmmss'Z'}. */
  public String timestamp() {
    return timestamp;
  }

  /** The request signature (lower-case hex) that the first chunk signature chains from. */
  public String seedSignature() {
    return seedSignature;
  }

  /** A signer for one body; not thread-safe, make one per stream. */
  public ChunkSigner newChunkSigner() {
    return new ChunkSigner(SigV4Signing.newMac(signingKey), scope, timestamp);
  }

  @Override
  public String toString() {
    return "SigningContext[scope=" + scope + ", timestamp=" + timestamp + "]";
  }
}
