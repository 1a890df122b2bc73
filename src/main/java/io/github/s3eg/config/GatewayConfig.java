package io.github.s3eg.config;

import io.github.s3eg.s3.ConfigurationSubresource;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Every gateway setting, read once at start-up from {@link Settings} and validated; a bad value
 * fails start-up with one line naming the setting. {@code docs/configuration.md} lists them all.
 */
public record GatewayConfig(
    ListenAddress listen,
    String logLevel,
    Optional<String> serverDomain,
    int maxConcurrentRequests,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    boolean disableMultipartUploads,
    java.time.Duration requestTimeout,
    BackendConfig backend,
    AuthConfig auth,
    EncryptionConfig encryption,
    CompressionConfig compression,
    OpsConfig ops,
    Set<String> subresourcesForwarded) {

  /** Where the gateway listens with a backend configured: every interface. */
  public static final String DEFAULT_LISTEN_ADDR = ":8080";

  /**
   * Where it listens in trial mode (no BACKEND_ENDPOINT: embedded store, generated key and
   * credentials): this machine only, until LISTEN_ADDR says otherwise.
   */
  public static final String TRIAL_LISTEN_ADDR = "127.0.0.1:8080";

  private static final Set<String> LOG_LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  public static GatewayConfig from(Map<String, String> environment, Properties properties) {
    return from(new Settings(environment, properties));
  }

  public static GatewayConfig from(Settings s) {
    String logLevel = s.get("LOG_LEVEL", "INFO").toUpperCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      throw new ConfigurationException(
          "LOG_LEVEL", "must be one of " + LOG_LEVELS + ", was '" + logLevel + "'");
    }
    BackendConfig backend = BackendConfig.from(s);
    ListenAddress listen =
        ListenAddress.parse(
            s.get("LISTEN_ADDR", backend.embedded() ? TRIAL_LISTEN_ADDR : DEFAULT_LISTEN_ADDR));
    return new GatewayConfig(
        listen,
        logLevel,
        s.get("SERVER_DOMAIN").map(d -> d.toLowerCase(Locale.ROOT)),
        s.getInt("SERVER_MAX_CONCURRENT_REQUESTS", 512, 1, 100_000),
        s.getInt("SERVER_MAX_REQUEST_LINE", 64 * 1024, 4096, 1024 * 1024),
        s.getInt("SERVER_MAX_HEADER_SIZE", 64 * 1024, 8192, 1024 * 1024),
        s.getBoolean("SERVER_DISABLE_MULTIPART_UPLOADS", false),
        s.getDuration(
            "SERVER_REQUEST_TIMEOUT",
            java.time.Duration.ofSeconds(120),
            java.time.Duration.ofMillis(100),
            java.time.Duration.ofHours(1)),
        backend,
        AuthConfig.from(s, listen, backend.dataDir()),
        EncryptionConfig.from(s),
        CompressionConfig.from(s),
        OpsConfig.from(s),
        subresourcesForwarded(s.get("SUBRESOURCES_FORWARDED", "all")));
  }

  /**
   * {@code SUBRESOURCES_FORWARDED}: the configuration sub-resources forwarded to the backend
   * ({@link ConfigurationSubresource#settings()}), as a comma-separated list, {@code all} or {@code
   * none}; the others are answered 501 NotImplemented.
   */
  static Set<String> subresourcesForwarded(String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("all")) {
      return ConfigurationSubresource.settings();
    }
    Set<String> forwarded = new LinkedHashSet<>();
    if (v.isEmpty() || v.equalsIgnoreCase("none")) {
      return forwarded;
    }
    for (String name : v.split(",")) {
      forwarded.add(
          ConfigurationSubresource.setting(name)
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          "SUBRESOURCES_FORWARDED",
                          "unknown sub-resource '"
                              + name.trim()
                              + "' (expected all, none or a list of "
                              + String.join(", ", ConfigurationSubresource.settings())
                              + ")")));
    }
    return forwarded;
  }
}
