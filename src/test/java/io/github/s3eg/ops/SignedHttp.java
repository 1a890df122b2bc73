package io.github.s3eg.ops;

import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.SigV4Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

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
    SdkHttpRequest signed =
        SigV4Signer.sign(SigV4Signer.request(method, uri).build(), accessKey, secretKey);
    HttpRequest.Builder request =
        SigV4Signer.withHeaders(
            signed,
            HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
