package io.github.s3eg.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser-hardening headers the gateway puts on every response (S3 answers, errors, probes,
 * metrics). S3 clients ignore them; they matter when a browser is pointed at the gateway, for
 * example through a presigned URL. {@code Strict-Transport-Security} is sent only over TLS: over
 * plain HTTP it would be meaningless, and browsers ignore it there anyway.
 */
public final class SecurityHeaders {

  private static final Map<String, String> ALWAYS =
      Map.of(
          "X-Frame-Options", "DENY",
          "X-Content-Type-Options", "nosniff",
          "X-XSS-Protection", "1; mode=block",
          "Content-Security-Policy", "default-src 'self'",
          "Referrer-Policy", "strict-origin-when-cross-origin");

  static final String HSTS = "max-age=31536000; includeSubDomains";

  private SecurityHeaders() {}

  /** The headers for a response on a connection that is ({@code tls}) or is not encrypted. */
  public static Map<String, String> forResponse(boolean tls) {
    Map<String, String> headers = new LinkedHashMap<>(ALWAYS);
    if (tls) {
      headers.put("Strict-Transport-Security", HSTS);
    }
    return headers;
  }
}
