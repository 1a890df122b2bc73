package io.github.s3eg.keys.cosmian;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link CosmianClient} talks to a Cosmian KMS: the KMIP endpoint ({@code
 * http(s)://host:9998/kmip/2_1}; the path is added when only a base URL is given), one timeout for
 * connecting and for each request, and for HTTPS an optional CA bundle (else the JDK's roots) and
 * an optional client certificate and key for mutual TLS.
 */
public record CosmianClientConfig(
    URI kmipEndpoint,
    Duration timeout,
    Optional<Path> caCert,
    Optional<Path> clientCert,
    Optional<Path> clientKey) {

  /** The path of Cosmian's JSON TTLV endpoint. */
  public static final String KMIP_PATH = "/kmip/2_1";

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public CosmianClientConfig {
    Objects.requireNonNull(kmipEndpoint, "kmipEndpoint");
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(clientCert, "clientCert");
    Objects.requireNonNull(clientKey, "clientKey");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (clientCert.isPresent() != clientKey.isPresent()) {
      throw new IllegalArgumentException("a client certificate needs its key and vice versa");
    }
  }

  /**
   * Parses {@code http(s)://host:port[/kmip/2_1]}.
   *
   * @throws IllegalArgumentException for anything else (other schemes, query strings, user info)
   */
  public static URI kmipEndpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("must start with http:// or https://");
    }
    if (uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must be http(s)://host[:port][/kmip/2_1]");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.isEmpty() || path.equals("/")) {
      path = KMIP_PATH;
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  public boolean https() {
    return kmipEndpoint.getScheme().equals("https");
  }

  /** {@code GET /version} beside the KMIP endpoint: Cosmian's documented liveness check. */
  public URI versionEndpoint() {
    String path = kmipEndpoint.getRawPath();
    String base =
        path.endsWith(KMIP_PATH) ? path.substring(0, path.length() - KMIP_PATH.length()) : "";
    return URI.create(
        kmipEndpoint.getScheme() + "://" + kmipEndpoint.getRawAuthority() + base + "/version");
  }
}
