package io.github.s3eg.ops;

import io.github.s3eg.it.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Plain HTTP GETs, signed (SigV4, unsigned payload) or not, for the operations endpoints. */
final class SignedHttp {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private SignedHttp() {}

  static HttpResponse<String> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> signedGet(URI uri) throws Exception {
    return signedGet(uri, GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET);
  }

  static HttpResponse<String> signedGet(URI uri, String accessKey, String secretKey)
      throws Exception {
    return signed("GET", uri, accessKey, secretKey);
  }

  /** A signed request without a body (an admin endpoint's POST, for one). */
  static HttpResponse<String> signed(String method, URI uri, String accessKey, String secretKey)
      throws Exception {
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(uri)
            .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
            .request();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
    for (Map.Entry<String, java.util.List<String>> h : signed.headers().entrySet()) {
      if (!h.getKey().equalsIgnoreCase("Host")) {
        h.getValue().forEach(v -> request.header(h.getKey(), v));
      }
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
