package io.github.s3eg.backend;

import io.github.s3eg.s3.auth.UriEncoding;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Where a request for a bucket and key goes on the backend: path-style ({@code host/bucket/key}) or
 * virtual-hosted ({@code bucket.host/key}), under the endpoint's own path if it has one. The key is
 * percent-encoded once, slashes kept, no {@code .}/{@code ..} normalisation (S3 signs and stores
 * the key as it is).
 */
record BackendAddress(URI endpoint, boolean pathStyle) {

  /** A request for {@code bucket} and {@code key} (null for the bucket itself), not yet signed. */
  SdkHttpFullRequest.Builder request(SdkHttpMethod method, String bucket, String key) {
    return SdkHttpFullRequest.builder()
        .method(method)
        .protocol(endpoint.getScheme())
        .host(pathStyle ? endpoint.getHost() : bucket + "." + endpoint.getHost())
        .port(endpoint.getPort())
        .encodedPath(path(bucket, key));
  }

  private String path(String bucket, String key) {
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String encodedKey =
        key == null ? "" : UriEncoding.encode(key.getBytes(StandardCharsets.UTF_8), true);
    if (pathStyle) {
      return base + "/" + bucket + (key == null ? "" : "/" + encodedKey);
    }
    return base + "/" + encodedKey;
  }
}
