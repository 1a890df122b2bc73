package io.github.s3eg.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 for hand-built test requests, signed as an S3 client signs them: service {@code s3} in
 * {@code us-east-1}, unsigned payload, the path signed as it is sent (no second encoding, no
 * dot-segment removal). {@link #request} starts one.
 */
public final class SigV4Signer {

  /** Headers the JDK client sets itself and refuses to be given. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length");

  private SigV4Signer() {}

  /** A request to sign: {@code method} on {@code uri}, declaring an unsigned payload. */
  public static SdkHttpRequest.Builder request(String method, URI uri) {
    return SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(method))
        .uri(uri)
        .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  }

  /** Signs {@code unsigned} now, with no payload. */
  public static SdkHttpRequest sign(SdkHttpRequest unsigned, String accessKey, String secretKey) {
    return sign(unsigned, null, accessKey, secretKey, Clock.systemUTC());
  }

  /** Signs {@code unsigned} at {@code clock}; {@code payload} may be null (no body). */
  public static SdkHttpRequest sign(
      SdkHttpRequest unsigned,
      ContentStreamProvider payload,
      String accessKey,
      String secretKey,
      Clock clock) {
    return AwsV4HttpSigner.create()
        .sign(
            r -> {
              r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                  .request(unsigned)
                  .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                  .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                  .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                  // S3 signs the path as sent: no second encoding, no dot-segment removal.
                  .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                  .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                  .putProperty(HttpSigner.SIGNING_CLOCK, clock);
              if (payload != null) {
                r.payload(payload);
              }
            })
        .request();
  }

  /** Puts the signed request's headers on a JDK request, but those the JDK client sets itself. */
  public static HttpRequest.Builder withHeaders(
      SdkHttpRequest signed, HttpRequest.Builder request) {
    signed
        .headers()
        .forEach(
            (name, values) -> {
              if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
              }
            });
    return request;
  }
}
