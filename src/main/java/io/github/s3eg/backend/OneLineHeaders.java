package io.github.s3eg.backend;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends a header that has several values as one line, its values joined by commas (RFC 9110 §5.3),
 * instead of one line per value. The AWS SDK sends {@code Content-Encoding: gzip} and {@code
 * Content-Encoding: aws-chunked} as two lines when it signs an upload in chunks (plain-HTTP
 * backends) and the object has a Content-Encoding of its own; it signs them as {@code
 * gzip,aws-chunked}. Ceph RGW 16.2 reads only one of the two lines and refuses the signature (403),
 * so such uploads failed. One line is what AWS documents for this case and what the signature
 * already covers, so every backend gets it.
 */
final class OneLineHeaders implements SdkHttpClient {

  private final SdkHttpClient delegate;

  OneLineHeaders(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    SdkHttpRequest http = request.httpRequest();
    if (http.headers().values().stream().noneMatch(values -> values.size() > 1)) {
      return delegate.prepareRequest(request);
    }
    SdkHttpRequest.Builder joined = http.toBuilder();
    for (Map.Entry<String, List<String>> header : http.headers().entrySet()) {
      if (header.getValue().size() > 1) {
        joined.putHeader(header.getKey(), String.join(",", header.getValue()));
      }
    }
    return delegate.prepareRequest(
        HttpExecuteRequest.builder()
            .request(joined.build())
            .contentStreamProvider(request.contentStreamProvider().orElse(null))
            .metricCollector(request.metricCollector().orElse(null))
            .build());
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
