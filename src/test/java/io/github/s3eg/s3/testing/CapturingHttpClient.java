package io.github.s3eg.s3.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * An {@link SdkHttpClient} that records each request instead of sending it and answers 200 with an
 * empty body. Plugged into a real {@code S3Client}, it yields exactly what the SDK would send: the
 * SDK's own marshalling, signing, aws-chunked encoding and trailer checksums.
 */
public final class CapturingHttpClient implements SdkHttpClient {

  private final List<CapturedRequest> requests = new ArrayList<>();

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        capture(request);
        return HttpExecuteResponse.builder()
            .response(
                SdkHttpResponse.builder()
                    .statusCode(200)
                    .putHeader("Content-Length", "0")
                    .putHeader("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"")
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(new byte[0])))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  private synchronized void capture(HttpExecuteRequest request) {
    SdkHttpRequest http = request.httpRequest();
    byte[] body = new byte[0];
    if (request.contentStreamProvider().isPresent()) {
      try (InputStream in = request.contentStreamProvider().get().newStream()) {
        body = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, List<String>> headers = new LinkedHashMap<>(http.headers());
    if (http.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("host"))) {
      // The HTTP client adds Host from the URI; the signer signed that value.
      boolean standardPort = http.port() == SdkHttpUtils.standardPort(http.protocol());
      headers.put("Host", List.of(standardPort ? http.host() : http.host() + ":" + http.port()));
    }
    String rawQuery =
        SdkHttpUtils.encodeAndFlattenQueryParameters(http.rawQueryParameters()).orElse("");
    requests.add(
        new CapturedRequest(http.method().name(), http.encodedPath(), rawQuery, headers, body));
  }

  /** The most recent request. */
  public synchronized CapturedRequest last() {
    return requests.get(requests.size() - 1);
  }

  public synchronized List<CapturedRequest> all() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {}
}
