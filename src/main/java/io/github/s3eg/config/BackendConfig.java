package io.github.s3eg.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the gateway reaches its S3 backend. With no {@code BACKEND_ENDPOINT} the gateway starts an
 * embedded S3Proxy under {@link #dataDir()} and uses that.
 */
public record BackendConfig(
    Optional<URI> endpoint,
    String region,
    Optional<String> accessKey,
    Optional<String> secretKey,
    BackendProvider provider,
    boolean pathStyle,
    Path dataDir,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxConnections,
    int maxRetries,
    boolean multipartEtagsCountParts,
    boolean keysArePaths,
    boolean unsignedPayload,
    Optional<SecondBackend> second,
    Optional<MirrorBackend> mirror) {

  public boolean embedded() {
    return endpoint.isEmpty();
  }

  @Override
  public String toString() {
    // Never print the secret key.
    return "BackendConfig[endpoint="
        + endpoint.map(URI::toString).orElse("(embedded)")
        + ", region="
        + region
        + ", provider="
        + provider
        + ", pathStyle="
        + pathStyle
        + "]";
  }

  static BackendConfig from(Settings s) {
    Optional<URI> endpoint =
        s.get("BACKEND_ENDPOINT").map(e -> parseEndpoint("BACKEND_ENDPOINT", e));
    BackendProvider provider = BackendProvider.parse(s.get("BACKEND_PROVIDER", "generic"));
    Optional<String> accessKey = s.get("BACKEND_ACCESS_KEY");
    Optional<String> secretKey = s.get("BACKEND_SECRET_KEY");
    if (endpoint.isPresent() && accessKey.isPresent() != secretKey.isPresent()) {
      throw new ConfigurationException(
          accessKey.isPresent() ? "BACKEND_SECRET_KEY" : "BACKEND_ACCESS_KEY",
          "must be set together with "
              + (accessKey.isPresent() ? "BACKEND_ACCESS_KEY" : "BACKEND_SECRET_KEY"));
    }
    return new BackendConfig(
        endpoint,
        s.get("BACKEND_REGION", "us-east-1"),
        accessKey,
        secretKey,
        provider,
        s.getBoolean("BACKEND_USE_PATH_STYLE", endpoint.isEmpty() || provider.pathStyle()),
        Path.of(s.get("DATA_DIR", "data")),
        Duration.ofMillis(s.getInt("BACKEND_CONNECT_TIMEOUT_MS", 5_000, 100, 600_000)),
        s.getDuration(
            "BACKEND_TIMEOUT", Duration.ofSeconds(300), Duration.ofMillis(100), Duration.ofDays(1)),
        s.getInt("BACKEND_MAX_CONNECTIONS", 256, 1, 10_000),
        s.getInt("BACKEND_MAX_RETRIES", 3, 0, 10),
        // S3, MinIO, Ceph, Wasabi end a multipart object's ETag in "-<parts>"; S3Proxy 2.x's
        // filesystem store (the embedded backend) does not.
        s.getBoolean("BACKEND_MULTIPART_ETAGS", endpoint.isPresent()),
        // A backend that resolves "./x" to "x" would let a client name the gateway's reserved
        // keys, or another client key, under a second spelling: such keys are refused there.
        s.getBoolean("BACKEND_KEYS_ARE_PATHS", endpoint.isEmpty() || provider.keysArePaths()),
        // Bodies sent to the backend are ciphertext whose every segment is authenticated: a signed
        // payload (one more SHA-256 pass over it) adds nothing where nobody can sit in between.
        // Over HTTPS the SDK sends UNSIGNED-PAYLOAD anyway.
        s.getBoolean(
            "BACKEND_UNSIGNED_PAYLOAD", endpoint.isEmpty() || isLoopback(endpoint.get().getHost())),
        SecondBackend.from(s, endpoint.isEmpty()),
        MirrorBackend.from(s));
  }

  /** A loopback host name or address as it appears in a URL (no DNS lookup). */
  static boolean isLoopback(String host) {
    return host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }

  static URI parseEndpoint(String setting, String text) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          setting, "must be an http(s) URL such as https://s3.example.com, was '" + text + "'");
    }
  }
}
