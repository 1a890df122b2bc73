package io.github.s3eg.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Plain SigV4-signed HTTP requests (unsigned payload) to a gateway or a backend, to read what a
 * server really sends: raw XML, every response header. The same request can go to the backend
 * directly and through the gateway, to compare both answers. Requests can be signed at a given
 * clock (for a gateway running on a fixed clock).
 */
final class SigV4Http {

  /** One answer: status, headers by lower-case name, body as text. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;
  private final Clock clock;

  SigV4Http(URI endpoint, String accessKey, String secretKey, Clock clock) {
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.clock = clock;
  }

  /** Signs with the fixture gateway's client credentials at the system clock. */
  static SigV4Http gateway(GatewayFixture fixture) {
    return new SigV4Http(
        fixture.endpoint(),
        GatewayFixture.CLIENT_KEY,
        GatewayFixture.CLIENT_SECRET,
        Clock.systemUTC());
  }

  /** Signs with the backend's own credentials: the request bypasses the gateway. */
  static SigV4Http backend(S3Backend backend) {
    return new SigV4Http(
        backend.endpoint(), backend.accessKey(), backend.secretKey(), Clock.systemUTC());
  }

  /**
   * Sends {@code method} to {@code pathAndQuery} (already percent-encoded, as it goes on the wire)
   * with {@code headers} and {@code body}.
   */
  Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    URI uri = URI.create(endpoint + pathAndQuery);
    SdkHttpRequest.Builder unsigned = SigV4Signer.request(method, uri);
    headers.forEach(unsigned::putHeader);
    if (body.length > 0) {
      unsigned.putHeader("Content-Length", Integer.toString(body.length));
    }
    SdkHttpRequest signed =
        SigV4Signer.sign(
            unsigned.build(),
            ContentStreamProvider.fromByteArray(body),
            accessKey,
            secretKey,
            clock);
    HttpRequest.Builder request =
        SigV4Signer.withHeaders(
            signed,
            HttpRequest.newBuilder(uri)
                .method(
                    method,
                    body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body)));
    HttpResponse<String> response =
        HTTP.send(
            request.build(),
            HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
    Map<String, List<String>> byName = new LinkedHashMap<>();
    response.headers().map().forEach((k, v) -> byName.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return new Response(response.statusCode(), byName, response.body());
  }

  Response get(String pathAndQuery) throws IOException, InterruptedException {
    return send("GET", pathAndQuery, Map.of(), new byte[0]);
  }
}
