package io.github.s3eg.s3;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One S3 request as the client sent it: method, bucket and key taken from the raw request URI (not
 * Vert.x's normalised path, which would turn {@code a//b} into {@code a/b}), the decoded query
 * parameters, and a case-insensitive copy of the headers. Immutable; it is the request state's
 * {@code request} slot.
 *
 * <p>The dispatch in the routes uses the {@link S3Operation} named from it; routes may still read
 * it, for example {@code ${exchangeProperty.s3eg.request.method} == 'PUT'}.
 */
public record S3Request(
    String requestId,
    String method,
    String rawPath,
    String rawQuery,
    String bucket,
    String key,
    Map<String, String> query,
    Map<String, List<String>> headers,
    String clientAddress) {

  /** The exchange property that holds the parsed request. */
  public S3Request {
    query = Collections.unmodifiableMap(query);
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
  }

  /** {@code service} (no bucket), {@code bucket} or {@code object}: what the request is about. */
  public String level() {
    if (bucket == null) {
      return "service";
    }
    return key == null ? "bucket" : "object";
  }

  /** First value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public Optional<String> optionalHeader(String name) {
    return Optional.ofNullable(header(name));
  }

  /** True when the query string names this parameter (with or without a value). */
  public boolean has(String parameter) {
    return query.containsKey(parameter);
  }

  public String param(String name) {
    return query.get(name);
  }

  /**
   * The operations probe this request asks for ({@code health}, {@code ready}, {@code live}), or
   * null: only {@code GET} or {@code HEAD} of exactly that path, without a query. Anything else on
   * those paths is an S3 request like any other and is authenticated.
   */
  public String probe() {
    if (!(method.equals("GET") || method.equals("HEAD")) || !rawQuery.isEmpty()) {
      return null;
    }
    return switch (rawPath) {
      case "/health" -> "health";
      case "/ready" -> "ready";
      case "/live" -> "live";
      default -> null;
    };
  }

  /** Whether this is a metrics scrape: {@code GET /metrics} exactly, without a query. */
  public boolean isMetricsScrape() {
    return method.equals("GET") && rawPath.equals("/metrics") && rawQuery.isEmpty();
  }

  /** Object or bucket path for messages and audit: {@code bucket/key}. */
  public String resource() {
    if (bucket == null) {
      return "/";
    }
    return key == null ? bucket : bucket + "/" + key;
  }
}
