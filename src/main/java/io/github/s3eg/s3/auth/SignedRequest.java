package io.github.s3eg.s3.auth;

import java.util.Locale;
import java.util.Objects;

/**
 * The parts of an HTTP request that S3 authentication looks at, exactly as received.
 *
 * @param method the HTTP method, e.g. {@code PUT}
 * @param rawPath the path of the request line, still percent-encoded and not normalised ({@code
 *     //}, {@code ./} and {@code ../} are significant in S3). Characters up to U+00FF are taken as
 *     single octets — that is how Vert.x/Netty hand over the request line, so a client that sent
 *     raw UTF-8 is understood; characters above U+00FF are encoded as UTF-8. The key parser reads
 *     it the same way ({@link io.github.s3eg.s3.PercentDecoding}).
 * @param rawQuery the query string without {@code ?}, still percent-encoded; empty if none
 * @param headers all request headers; for HTTP/2 the lead must supply {@code host} from {@code
 *     :authority}
 */
public record SignedRequest(
    String method, String rawPath, String rawQuery, RequestHeaders headers) {

  public SignedRequest {
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    rawQuery = rawQuery == null ? "" : rawQuery;
    Objects.requireNonNull(headers, "headers");
  }

  /**
   * Splits a raw request-target (path plus optional query, as in Vert.x {@code request.uri()}). A
   * fragment is not part of a request-target and is not expected.
   */
  public static SignedRequest of(String method, String rawUri, RequestHeaders headers) {
    int q = rawUri.indexOf('?');
    return q < 0
        ? new SignedRequest(method, rawUri, "", headers)
        : new SignedRequest(method, rawUri.substring(0, q), rawUri.substring(q + 1), headers);
  }
}
