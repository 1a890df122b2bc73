package io.github.s3eg.s3.testing;

import io.github.s3eg.s3.auth.RequestHeaders;
import io.github.s3eg.s3.auth.SignedRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request as an AWS SDK client put it on the wire: request line, headers and encoded body. */
public record CapturedRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body) {

  public SignedRequest signedRequest() {
    return new SignedRequest(method, rawPath, rawQuery, RequestHeaders.ofMap(headers));
  }

  public InputStream bodyStream() {
    return new ByteArrayInputStream(body);
  }

  public String header(String name) {
    return signedRequest().headers().first(name).orElse(null);
  }

  /** The request timestamp the SDK signed. */
  public Instant signedAt() {
    return Instant.from(
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .parse(header("x-amz-date")));
  }

  /** A copy with {@code name} set to {@code value} (replacing any value in any case). */
  public CapturedRequest withHeader(String name, String value) {
    Map<String, List<String>> copy = withoutHeader(name).headers();
    copy.put(name, List.of(value));
    return new CapturedRequest(method, rawPath, rawQuery, copy, body);
  }

  public CapturedRequest withoutHeader(String name) {
    Map<String, List<String>> copy = new LinkedHashMap<>(headers);
    copy.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    return new CapturedRequest(method, rawPath, rawQuery, copy, body);
  }

  public CapturedRequest withMethod(String newMethod) {
    return new CapturedRequest(newMethod, rawPath, rawQuery, headers, body);
  }

  public CapturedRequest withPath(String newPath) {
    return new CapturedRequest(method, newPath, rawQuery, headers, body);
  }

  public CapturedRequest withQuery(String newQuery) {
    return new CapturedRequest(method, rawPath, newQuery, headers, body);
  }

  public CapturedRequest withBody(byte[] newBody) {
    return new CapturedRequest(method, rawPath, rawQuery, headers, newBody);
  }
}
